"""SQS handler of the insecure example: stores each order message."""
import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])


def handler(event, context):
    for record in event["Records"]:
        order = json.loads(record["body"])
        TABLE.put_item(Item={"id": order["id"], "total": str(order.get("total", 0))})
    return {"batchItemFailures": []}
