const axios = require('axios');

exports.handler = async (event) => {
  const { url } = event.queryStringParameters;
  const res = await axios.get(url);
  const other = await fetch(event.queryStringParameters.callback);
  return { statusCode: 200, body: res.data };
};
