const { exec } = require('child_process');

exports.handler = async (event) => {
  const key = event.Records[0].s3.object.key;
  const cmd = `convert /tmp/${key} /tmp/out.png`;
  exec(cmd, (err) => { if (err) throw err; });
};
