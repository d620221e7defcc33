const ejs = require('ejs');

exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  const html = ejs.render(body.template, { user: 'x' });
  return { statusCode: 200, body: html };
};
