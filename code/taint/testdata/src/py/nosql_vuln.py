import json
import boto3
from pymongo import MongoClient

db = MongoClient()["app"]
table = boto3.resource("dynamodb").Table("users")


def lambda_handler(event, context):
    body = json.loads(event["body"])
    user = db.users.find_one(body["filter"])
    items = table.scan(FilterExpression="owner = " + body["owner"])
    return {"user": user, "items": items}
