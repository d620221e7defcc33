import { S3Client, PutObjectCommand, S3 } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import * as sns from '@aws-sdk/client-sns';

const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const doc = DynamoDBDocument.from(new DynamoDBClient({}));
const agg = new S3({});

export const handler = async (event: { key: string }) => {
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET!, Key: event.key, Body: 'x' }));
  const item = await ddb.send(new GetCommand({ TableName: process.env.TABLE, Key: { id: event.key } }));
  await doc.put({ TableName: 'literal-table', Item: {} });
  await agg.deleteObject({ Bucket: process.env.BUCKET, Key: event.key });
  const params = { TopicArn: process.env.TOPIC_ARN, Message: 'hi' };
  await new sns.SNSClient({}).send(new sns.PublishCommand(params));
  return item;
};
