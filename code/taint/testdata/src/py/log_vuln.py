import json
import logging
import os

logger = logging.getLogger()


def lambda_handler(event, context):
    logger.info(json.dumps(event))
    print("token", os.environ.get("API_TOKEN"))
    return {"statusCode": 200}
