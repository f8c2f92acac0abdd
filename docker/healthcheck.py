"""Docker health check for the web container: GET /healthz (port 8000) must answer 200.

Production settings redirect plain HTTP to HTTPS and accept only ALLOWED_HOSTS, so the
request says it came through the HTTPS proxy and names the first allowed host.
"""

import os
import sys
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
if host in ("", "*"):
    host = "localhost"
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('STRIDE_HEALTHCHECK_PORT', '8000')}/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (a fixed local URL)
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:
    print(f"health check failed: {error}", file=sys.stderr)
    sys.exit(1)
