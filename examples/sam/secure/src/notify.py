"""SNS handler of the secure example: renders and posts each order event."""
import json

import jinja2
import requests
import yaml

TEMPLATE = jinja2.Environment(autoescape=True).from_string("Order {{ order.id }} is {{ order.status }}")
WEBHOOK = "https://hooks.acme.example/orders"
STATUSES = {"created", "paid", "shipped", "cancelled"}


def handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["Sns"]["Message"])
        settings = yaml.safe_load(message.get("settings") or "{}")
        if message.get("status") not in STATUSES:
            continue
        text = TEMPLATE.render(order={"id": str(message.get("id")), "status": message["status"]})
        requests.post(WEBHOOK, data=text, timeout=int(settings.get("timeout", 5)))
