exports.handler = async (event, context) => {
  console.log('request', context.awsRequestId, event.requestContext.http.method);
  return { statusCode: 200 };
};
