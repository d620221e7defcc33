"""A minimal Lambda runtime loop, standard library only, for the extension's
end-to-end test: it polls AWS_LAMBDA_RUNTIME_API, records every event it
receives (to SEEN_FILE) and answers with what it got."""
import json
import os
import urllib.request

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
SEEN = os.environ["SEEN_FILE"]

while True:
    with urllib.request.urlopen(API + "/invocation/next") as resp:
        request_id = resp.headers["Lambda-Runtime-Aws-Request-Id"]
        body = resp.read()
    with open(SEEN, "ab") as f:
        f.write(body + b"\n")
    out = json.dumps({"runtime": "python", "received": json.loads(body)}).encode()
    req = urllib.request.Request(API + "/invocation/" + request_id + "/response", data=out, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
