import subprocess


def extract_name(evt):
    body = evt.get("body") or "{}"
    return body


def run(name):
    return subprocess.check_output("ls -l " + name, shell=True)


def lambda_handler(event, context):
    return run(extract_name(event))
