import { S3Event } from 'aws-lambda';
import { promises as fsp } from 'fs';
import * as path from 'path';
import middy from '@middy/core';

const base = async (event: S3Event) => {
  const key = decodeURIComponent(event.Records[0].s3.object.key.replace(/\+/g, ' '));
  await fsp.writeFile(path.join('/tmp', path.basename(key)), 'data');
};

export const handler = middy(base);
