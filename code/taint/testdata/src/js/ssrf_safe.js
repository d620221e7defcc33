const axios = require('axios');

const ALLOWED = ['https://api.example.com/a', 'https://api.example.com/b'];

exports.handler = async (event) => {
  const { url } = event.queryStringParameters;
  if (!ALLOWED.includes(url)) {
    return { statusCode: 400 };
  }
  const res = await axios.get(url);
  return { statusCode: 200, body: res.data };
};
