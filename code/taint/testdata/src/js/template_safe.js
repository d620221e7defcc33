const ejs = require('ejs');

const TEMPLATE = '<p>Hello <%= user %></p>';

exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  const html = ejs.render(TEMPLATE, { user: body.name });
  return { statusCode: 200, body: html };
};
