const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: process.env.DB_HOST });

async function findUser(id) {
  return pool.query('SELECT * FROM users WHERE id = ?', [id]);
}

exports.handler = async (event) => {
  const rows = await findUser(event.pathParameters.id);
  return { statusCode: 200, body: JSON.stringify(rows) };
};
