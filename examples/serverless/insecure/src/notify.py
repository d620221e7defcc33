"""SNS handler of the insecure example: logs each order event."""
import json


def handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["Sns"]["Message"])
        print(f"order {message.get('id')} is {message.get('status')}")
