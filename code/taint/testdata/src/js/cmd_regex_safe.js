const cp = require('child_process');

async function handler(event) {
  const name = JSON.parse(event.body).name;
  if (!/^[a-z0-9-]{1,32}$/.test(name)) {
    throw new Error('bad name');
  }
  cp.execSync('convert ' + name + ' out.png');
}

module.exports = { handler };
