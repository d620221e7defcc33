'use strict';
// HTTP handlers of the insecure example (API Gateway, function URL, WebSocket).
// Each "RULE:" comment names the code finding the line is meant to trigger;
// ../../secure/src/api.js does the same work safely.
const { execSync } = require('child_process');
const https = require('https');
const jwt = require('jsonwebtoken');
const mysql = require('mysql');
const { MongoClient } = require('mongodb');

const users = new MongoClient(process.env.MONGO_URL).db('shop').collection('users');
const db = mysql.createConnection({ host: process.env.DB_HOST, user: 'orders', password: process.env.DB_PASSWORD });

// RULE: secret in code (a Slack webhook with its token)
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/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';

exports.handler = async (event) => {
  const order = JSON.parse(event.body || '{}');
  // RULE: SQL built from event data (HTTP body)
  db.query("SELECT * FROM orders WHERE customer = '" + order.customer + "'");
  // RULE: event data reaches a shell (HTTP body)
  execSync(`convert /tmp/${order.logo} -resize 64x64 /tmp/logo.png`);
  // RULE: NoSQL query built from event data (HTTP body)
  const buyer = await users.findOne(order.buyer);
  // RULE: outbound request to a URL from event data (SSRF)
  await fetch(order.callbackUrl, { method: 'POST', body: JSON.stringify({ ok: true, notify: SLACK_WEBHOOK.length }) });
  return { statusCode: 201, body: JSON.stringify({ ok: true, buyer: buyer && buyer.id }) };
};

exports.receipt = async (event) => {
  const params = event.queryStringParameters || {};
  // RULE: event data reaches eval (function URL query string)
  const total = eval(params.expression);
  // RULE: JWT decoded without verifying its signature
  const claims = jwt.decode(event.headers.authorization);
  // RULE: TLS certificate verification disabled
  const agent = new https.Agent({ rejectUnauthorized: false });
  return { statusCode: 200, body: `Receipt for ${claims && claims.sub}: ${total} ${agent ? '' : ''}` };
};

exports.chat = async (event) => {
  // RULE: whole event written to logs
  console.log(JSON.stringify(event));
  return { statusCode: 200 };
};
