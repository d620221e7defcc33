import json
import os


def lambda_handler(event, context):
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    path = os.path.join("/tmp/reports", message["report"])
    with open(path) as f:
        return f.read()
