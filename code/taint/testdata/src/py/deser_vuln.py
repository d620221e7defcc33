import base64
import pickle

import yaml


def lambda_handler(event, context):
    for record in event["Records"]:
        data = base64.b64decode(record["body"])
        obj = pickle.loads(data)
        cfg = yaml.load(record["body"])
    return obj, cfg
