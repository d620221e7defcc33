const serialize = require('node-serialize');

exports.handler = async (event) => {
  const session = Buffer.from(event.headers.cookie, 'base64').toString();
  const obj = serialize.unserialize(session);
  return { statusCode: 200, body: obj.name };
};
