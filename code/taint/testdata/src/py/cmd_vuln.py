import os
import subprocess


def lambda_handler(event, context):
    key = event["Records"][0]["s3"]["object"]["key"]
    os.system("convert /tmp/%s /tmp/out.png" % key)
    subprocess.run(f"gzip {key}", shell=True, check=True)
