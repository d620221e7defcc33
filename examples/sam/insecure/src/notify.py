"""SNS handler of the insecure example: renders and posts each order event."""
import json

import jinja2
import requests
import yaml


def handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["Sns"]["Message"])
        # RULE: unsafe YAML load (SNS message)
        settings = yaml.load(message["settings"], Loader=yaml.Loader)
        # RULE: event data used as a template (SNS message)
        text = jinja2.Template(message["template"]).render(order=message)
        # RULE: SSRF and TLS verification disabled (SNS message)
        requests.post(message["webhook"], data=text, verify=False, timeout=settings.get("timeout", 5))
