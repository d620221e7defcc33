"""SNS handler of the secure example: logs each order event's status."""
import json

STATUSES = {"created", "paid", "shipped", "cancelled"}


def handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["Sns"]["Message"])
        status = message.get("status")
        if status in STATUSES:
            print(json.dumps({"order": str(message.get("id")), "status": status}))
