"""wait_http.py URL SECONDS: exit 0 once URL answers 200, 1 after SECONDS (130 on Ctrl-C)."""

import sys
import time

import httpx


def main() -> int:
    url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return 0
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    print(f"wait_http: {url} not ready after {sys.argv[2]} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C: the caller reports the stop; no traceback
        sys.exit(130)
