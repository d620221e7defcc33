'use strict';
// HTTP handlers of the insecure example (API Gateway, function URL, WebSocket).

const orders = new Map();

exports.handler = async (event) => {
  if (event.httpMethod === 'POST') {
    const order = JSON.parse(event.body || '{}');
    const id = String(orders.size + 1);
    orders.set(id, order);
    return { statusCode: 201, body: JSON.stringify({ id }) };
  }
  const id = (event.pathParameters || {}).id;
  if (!orders.has(id)) {
    return { statusCode: 404, body: JSON.stringify({ error: 'not found' }) };
  }
  return { statusCode: 200, body: JSON.stringify(orders.get(id)) };
};

exports.receipt = async (event) => {
  const params = event.queryStringParameters || {};
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/plain' },
    body: `Receipt for order ${params.order || '?'}`,
  };
};

exports.chat = async (event) => {
  const { routeKey, connectionId } = event.requestContext;
  console.log('websocket', routeKey, connectionId);
  return { statusCode: 200 };
};
