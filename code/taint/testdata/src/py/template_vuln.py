import json

from jinja2 import Template


def lambda_handler(event, context):
    body = json.loads(event["body"])
    return Template("Hello " + body["name"]).render()
