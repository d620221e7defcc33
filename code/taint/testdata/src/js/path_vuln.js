const fs = require('fs');
const path = require('path');

exports.handler = async (event) => {
  const message = JSON.parse(event.Records[0].Sns.Message);
  const file = path.join('/tmp/reports', message.report);
  return fs.readFileSync(file, 'utf8');
};
