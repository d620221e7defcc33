import json

import yaml


def lambda_handler(event, context):
    for record in event["Records"]:
        obj = json.loads(record["body"])
        cfg = yaml.load(record["body"], Loader=yaml.SafeLoader)
    return obj, cfg
