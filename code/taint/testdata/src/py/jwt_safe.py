import os

import jwt


def lambda_handler(event, context):
    token = event["headers"]["authorization"].split(" ")[1]
    claims = jwt.decode(token, os.environ["PUBLIC_KEY"], algorithms=["RS256"])
    return claims["sub"]
