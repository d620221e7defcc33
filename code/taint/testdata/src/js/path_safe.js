const fs = require('fs');
const path = require('path');

const BASE = '/tmp/reports';

exports.handler = async (event) => {
  const message = JSON.parse(event.Records[0].Sns.Message);
  const file = path.join(BASE, path.basename(message.report));
  return fs.readFileSync(file, 'utf8');
};
