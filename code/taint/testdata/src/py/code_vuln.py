import json


def lambda_handler(event, context):
    for record in event["Records"]:
        body = json.loads(record["body"])
        result = eval(body["expression"])
        exec("x = " + body["code"])
    return result
