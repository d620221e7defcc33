const { exec } = require('child_process');

module.exports = async function (context, req) {
  exec('nslookup ' + req.query.host, (err, out) => {
    context.res = { body: out };
  });
};
