import subprocess


def lambda_handler(event, context):
    key = event["Records"][0]["s3"]["object"]["key"]
    subprocess.run(["convert", "/tmp/" + key, "/tmp/out.png"], check=True)
