const jwt = require('jsonwebtoken');

exports.handler = async (event) => {
  const token = event.headers.Authorization.replace('Bearer ', '');
  const claims = jwt.decode(token);
  return { statusCode: 200, body: claims.sub };
};
