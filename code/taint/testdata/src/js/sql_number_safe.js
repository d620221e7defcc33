const { Pool } = require('pg');
const pool = new Pool();

exports.handler = async (event) => {
  const limit = parseInt(event.queryStringParameters.limit, 10);
  const res = await pool.query(`SELECT * FROM items LIMIT ${limit}`);
  return res.rows;
};
