"""wait_http.py URL SECONDS: exit 0 once URL answers 200, 1 after SECONDS."""

import sys
import time

import httpx

url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        if httpx.get(url, timeout=5).status_code == 200:
            sys.exit(0)
    except httpx.HTTPError:
        pass
    time.sleep(0.5)
print(f"wait_http: {url} not ready", file=sys.stderr)
sys.exit(1)
