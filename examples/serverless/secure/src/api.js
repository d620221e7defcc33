'use strict';
// HTTP handlers of the secure example (API Gateway behind Cognito, IAM-only function URL).

const orders = new Map();
const ID = /^[0-9]{1,12}$/;

function reply(statusCode, body) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

exports.handler = async (event) => {
  if (event.httpMethod === 'POST') {
    let order;
    try {
      order = JSON.parse(event.body || '{}');
    } catch {
      return reply(400, { error: 'invalid JSON' });
    }
    const id = String(orders.size + 1);
    orders.set(id, { total: Number(order.total) || 0 });
    return reply(201, { id });
  }
  const id = (event.pathParameters || {}).id;
  if (!ID.test(id || '') || !orders.has(id)) {
    return reply(404, { error: 'not found' });
  }
  return reply(200, orders.get(id));
};

exports.receipt = async (event) => {
  const order = (event.queryStringParameters || {}).order || '';
  if (!ID.test(order)) {
    return reply(400, { error: 'invalid order id' });
  }
  return reply(200, { receipt: order });
};
