import os

import boto3
from boto3.session import Session

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
BUCKET = os.getenv("BUCKET")
sqs = Session().client("sqs")


class Repo:
    def __init__(self):
        self.ddb = boto3.client("dynamodb")

    def save(self, item):
        self.ddb.put_item(TableName=os.environ.get("ORDERS"), Item=item)


def lambda_handler(event, context):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    table.put_item(Item={"id": "1"})
    sqs.send_message(QueueUrl=os.environ["QUEUE"], MessageBody="x")
    boto3.client("lambda").invoke(FunctionName="worker-fn")
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "k"})
    s3.get_waiter("object_exists")
    return pages, url


def batch(items):
    boto3.client("dynamodb").batch_write_item(RequestItems={os.environ["AUDIT"]: items})
    boto3.client("dynamodb").transact_write_items(TransactItems=[{"Put": {"TableName": os.environ["LEDGER"], "Item": {}}}])
