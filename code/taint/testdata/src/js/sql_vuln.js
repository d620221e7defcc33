const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: process.env.DB_HOST });

async function findUser(id) {
  const sql = "SELECT * FROM users WHERE id = '" + id + "'";
  return pool.query(sql);
}

exports.handler = async (event) => {
  const id = event.pathParameters.id;
  const rows = await findUser(id);
  return { statusCode: 200, body: JSON.stringify(rows) };
};
