exports.handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  const password = process.env.DB_PASSWORD;
  console.info(`connecting with ${password}`);
  return { statusCode: 200 };
};
