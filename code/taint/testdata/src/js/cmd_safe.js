const { execFile } = require('child_process');

exports.handler = async (event) => {
  const key = event.Records[0].s3.object.key;
  execFile('convert', [`/tmp/${key}`, '/tmp/out.png'], (err) => { if (err) throw err; });
};
