import subprocess


def lambda_handler(event, context):
    count = int(event["queryStringParameters"]["count"])
    return subprocess.check_output("seq %d" % count, shell=True)
