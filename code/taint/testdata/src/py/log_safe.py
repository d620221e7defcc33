import logging

logger = logging.getLogger()


def lambda_handler(event, context):
    logger.info("request %s", context.aws_request_id)
    return {"statusCode": 200}
