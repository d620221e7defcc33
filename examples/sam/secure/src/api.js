'use strict';
// HTTP handlers of the secure example (API Gateway behind Cognito, IAM-only
// function URL). They use the same sinks as ../../insecure/src/api.js, safely.
const { execFile } = require('child_process');
const { promisify } = require('util');
const jwt = require('jsonwebtoken');
const mysql = require('mysql');
const { MongoClient } = require('mongodb');
const { DynamoDBClient, GetItemCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const run = promisify(execFile);
const ddb = new DynamoDBClient({});
const users = new MongoClient(process.env.MONGO_URL).db('shop').collection('users');
const db = mysql.createConnection({ host: process.env.DB_HOST, user: 'orders', password: process.env.DB_PASSWORD });
const ID = /^[0-9]{1,12}$/;
const LOGOS = new Set(['acme.png', 'partner.png']);
const CALLBACKS = { acme: 'https://hooks.acme.example/orders', partner: 'https://hooks.partner.example/acme' };

function reply(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

exports.handler = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body || '{}');
  } catch {
    return reply(400, { error: 'invalid JSON' });
  }
  // Parameterised query: the value never becomes SQL.
  db.query('SELECT * FROM orders WHERE customer = ?', [String(order.customer)]);
  // Argument array, no shell, allowlisted file name.
  if (LOGOS.has(order.logo)) {
    await run('convert', [`/opt/logos/${order.logo}`, '-resize', '64x64', '/tmp/logo.png']);
  }
  // Scalar query field, cast to a string: no operators from the event.
  const buyer = await users.findOne({ name: String(order.buyer) });
  // Outbound calls only to configured endpoints, chosen by name.
  if (Object.prototype.hasOwnProperty.call(CALLBACKS, order.partner)) {
    await fetch(CALLBACKS[order.partner], { method: 'POST', body: '{"ok":true}' });
  }
  const id = String(Date.now());
  await ddb.send(new PutItemCommand({ TableName: process.env.ORDERS_TABLE, Item: { id: { S: id }, total: { N: String(Number(order.total) || 0) } } }));
  return reply(201, { id, buyer: buyer && buyer.id });
};

exports.receipt = async (event) => {
  const order = (event.queryStringParameters || {}).order || '';
  if (!ID.test(order)) {
    return reply(400, { error: 'invalid order id' });
  }
  // Verified token with a fixed algorithm; the key comes from the environment.
  const claims = jwt.verify(event.headers.authorization || '', process.env.JWT_PUBLIC_KEY, { algorithms: ['RS256'] });
  const item = await ddb.send(new GetItemCommand({ TableName: process.env.ORDERS_TABLE, Key: { id: { S: order } } }));
  return reply(200, { receipt: Number(order), customer: claims.sub, found: Boolean(item.Item) });
};
