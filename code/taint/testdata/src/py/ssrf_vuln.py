import urllib.request

import requests


def lambda_handler(event, context):
    url = event["queryStringParameters"]["url"]
    r = requests.get(url, timeout=5)
    urllib.request.urlopen(event.get("queryStringParameters", {}).get("callback"))
    return r.text
