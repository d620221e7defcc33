'use strict';
// S3 handler of the secure example: reads an upload and writes its thumbnail
// to a different bucket, so its own output never triggers it again.
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});
const OUT = process.env.THUMBNAILS_BUCKET;

exports.handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await obj.Body.transformToByteArray();
    await s3.send(new PutObjectCommand({ Bucket: OUT, Key: key, Body: body.slice(0, 1024) }));
  }
};
