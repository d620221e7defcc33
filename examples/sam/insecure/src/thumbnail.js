'use strict';
// S3 handler of the insecure example: writes a "thumbnail" next to each upload
// in the same bucket, which triggers it again (the recursive loop).
const fs = require('fs');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});

exports.handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    // RULE: file path built from event data (S3 object key)
    const body = fs.readFileSync('/tmp/cache/' + key);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `thumbnails/${key}`, Body: body.slice(0, 1024) }));
  }
};
