const jwt = require('jsonwebtoken');

exports.handler = async (event) => {
  const token = event.headers.Authorization.replace('Bearer ', '');
  const claims = jwt.verify(token, process.env.PUBLIC_KEY, { algorithms: ['RS256'] });
  return { statusCode: 200, body: claims.sub };
};
