import json


def lambda_handler(event, context):
    for record in event["Records"]:
        body = json.loads(record["body"])
        result = int(body["a"]) + int(body["b"])
    return result
