import json
import boto3
from boto3.dynamodb.conditions import Attr
from pymongo import MongoClient

db = MongoClient()["app"]
table = boto3.resource("dynamodb").Table("users")


def lambda_handler(event, context):
    body = json.loads(event["body"])
    user = db.users.find_one({"name": str(body["name"])})
    items = table.scan(FilterExpression=Attr("owner").eq(body["owner"]))
    return {"user": user, "items": items}
