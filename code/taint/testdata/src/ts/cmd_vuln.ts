import { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as cp from 'child_process';

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const host = event.queryStringParameters?.host as string;
  const out = cp.execSync(`ping -c 1 ${host}`).toString();
  return { statusCode: 200, body: out };
};
