const AWS = require('aws-sdk');
const SQS = require('aws-sdk/clients/sqs');

const docClient = new AWS.DynamoDB.DocumentClient();
const s3 = new AWS.S3({ region: 'eu-west-1' });
const sqs = new SQS();
const TABLE = process.env.TABLE_NAME;

exports.handler = async (event) => {
  await docClient.put({ TableName: TABLE, Item: { id: event.id } }).promise();
  const obj = await s3.getObject({ Bucket: process.env.BUCKET, Key: 'a.json' }).promise();
  await sqs.sendMessage({ QueueUrl: process.env['QUEUE_URL'], MessageBody: 'x' }).promise();
  const url = s3.getSignedUrl('putObject', { Bucket: 'uploads-bucket', Key: 'k' });
  await new AWS.Lambda().invoke({ FunctionName: `${process.env.STAGE}-worker` }).promise();
  return { obj, url };
};

exports.batch = async (items) => {
  await docClient.batchWrite({ RequestItems: { [process.env.AUDIT_TABLE]: items } }).promise();
  await docClient.transactWrite({ TransactItems: [{ Put: { TableName: process.env.LEDGER_TABLE, Item: {} } }] }).promise();
};
