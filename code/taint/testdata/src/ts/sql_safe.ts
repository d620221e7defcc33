import { SQSEvent } from 'aws-lambda';
import { Client } from 'pg';

const client = new Client();

export async function handler(event: SQSEvent): Promise<void> {
  await Promise.all(event.Records.map(async (record) => {
    const { orderId }: { orderId: string } = JSON.parse(record.body);
    await client.query('DELETE FROM orders WHERE id = $1', [orderId]);
  }));
}
