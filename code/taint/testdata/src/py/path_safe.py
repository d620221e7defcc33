import json
import os

BASE = "/tmp/reports"


def lambda_handler(event, context):
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    path = os.path.realpath(os.path.join(BASE, message["report"]))
    if not path.startswith(BASE + "/"):
        raise ValueError("bad path")
    with open(path) as f:
        return f.read()
