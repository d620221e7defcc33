const cp = require('child_process');

function objectKey(evt) {
  return evt.Records[0].s3.object.key;
}

function convert(file) {
  cp.execSync('convert ' + file + ' out.png');
}

async function handler(event) {
  const key = objectKey(event);
  convert(key);
}

module.exports = { handler };
