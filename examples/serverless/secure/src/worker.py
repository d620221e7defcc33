"""SQS handler of the secure example: stores each order, reports bad messages."""
import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
            TABLE.put_item(Item={"id": str(int(order["id"])), "total": str(float(order.get("total", 0)))})
        except (KeyError, ValueError, TypeError):
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
