const { MongoClient } = require('mongodb');
const { DynamoDBDocumentClient, ScanCommand } = require('@aws-sdk/lib-dynamodb');
const client = new MongoClient(process.env.MONGO_URL);

exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  const user = await client.db('app').collection('users').findOne({ name: body.name, password: body.password });
  const scan = new ScanCommand({
    TableName: process.env.TABLE,
    FilterExpression: `owner = ${body.owner}`,
  });
  return { statusCode: 200, body: JSON.stringify({ user, scan }) };
};
