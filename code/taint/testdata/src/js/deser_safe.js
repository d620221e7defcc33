exports.handler = async (event) => {
  const session = Buffer.from(event.headers.cookie, 'base64').toString();
  const obj = JSON.parse(session);
  return { statusCode: 200, body: obj.name };
};
