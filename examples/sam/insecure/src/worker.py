"""SQS handler of the insecure example: stores each order message."""
import base64
import json
import os
import pickle
import subprocess

import boto3
import pymysql

TABLE = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
DB = pymysql.connect(host=os.environ.get("DB_HOST"), user="orders")


def handler(event, context):
    for record in event["Records"]:
        order = json.loads(record["body"])
        # RULE: unsafe deserializer (SQS message)
        extra = pickle.loads(base64.b64decode(order["extra"]))
        # RULE: SQL built from event data (SQS message)
        DB.cursor().execute(f"UPDATE orders SET status = 'paid' WHERE id = '{order['id']}'")
        # RULE: event data reaches a shell (SQS message)
        subprocess.run("zip /tmp/archive.zip " + order["file"], shell=True)
        TABLE.put_item(Item={"id": order["id"], "total": str(order.get("total", 0)), "extra": str(extra)})
    return {"batchItemFailures": []}
