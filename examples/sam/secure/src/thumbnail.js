'use strict';
// S3 handler of the secure example: reads an upload and writes its thumbnail
// to a different bucket, so its own output never triggers it again.
const fs = require('fs');
const path = require('path');
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});
const OUT = process.env.THUMBNAILS_BUCKET;
const CACHE = '/tmp/cache/';

exports.handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    // Only the base name is used, and the resolved path must stay in the cache.
    const file = path.join(CACHE, path.basename(key));
    if (!file.startsWith(CACHE)) {
      continue;
    }
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const upload = await obj.Body.transformToByteArray();
    // A cached rendering, when there is one, wins over the upload.
    const body = fs.existsSync(file) ? fs.readFileSync(file) : upload;
    await s3.send(new PutObjectCommand({ Bucket: OUT, Key: path.basename(key), Body: body.slice(0, 1024) }));
  }
};
