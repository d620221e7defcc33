const https = require('https');

const agent = new https.Agent({ rejectUnauthorized: true, ca: process.env.CA_BUNDLE });

exports.handler = async () => ({ agent });
