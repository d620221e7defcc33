import json

from jinja2 import Template

GREETING = Template("Hello {{ name }}")


def lambda_handler(event, context):
    body = json.loads(event["body"])
    return GREETING.render(name=body["name"])
