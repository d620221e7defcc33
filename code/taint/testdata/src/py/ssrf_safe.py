import requests

ALLOWED = {"https://api.example.com/a", "https://api.example.com/b"}


def lambda_handler(event, context):
    url = event["queryStringParameters"]["url"]
    if url not in ALLOWED:
        return {"statusCode": 400}
    r = requests.get(url, timeout=5)
    return r.text
