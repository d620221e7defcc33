import { S3Event } from 'aws-lambda';
import { promises as fsp } from 'fs';
import middy from '@middy/core';

const base = async (event: S3Event) => {
  const key = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, ' '));
  await fsp.writeFile('/tmp/' + key, 'data');
};

export const handler = middy(base);
