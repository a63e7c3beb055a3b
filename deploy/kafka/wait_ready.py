"""Wait until a Kafka broker really serves clients (used by deploy/kafka/kafka.sh).

An open TCP port does not prove the broker serves clients (it may still be registering
with its controller or loading metadata). So we bootstrap a real aiokafka admin client
and ask for the cluster description, retrying until a deadline.

usage: wait_ready.py BOOTSTRAP [--timeout SECONDS] [--pid PID] [--brokers N]
(--brokers: wait until the cluster lists at least N brokers; deploy/kafka/cluster.sh)
Exit 0 when ready, 1 on timeout, 2 if the broker process (--pid) died meanwhile.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time

from aiokafka.admin import AIOKafkaAdminClient


def alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:  # Linux: a zombie (exited, not yet reaped) is dead for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: fall back to a plain existence check
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True


async def probe(bootstrap: str, brokers: int = 1) -> bool:
    client = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await client.start()
        cluster = await client.describe_cluster()
        return len(cluster.get("brokers") or []) >= brokers
    except Exception:  # not up yet: connection refused, timeouts, metadata errors...  # noqa: BLE001 - any failure means not ready yet
        return False
    finally:
        await client.close()


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("bootstrap")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--brokers", type=int, default=1)
    args = ap.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # aiokafka logs every failed connect
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if not alive(args.pid):
            print(f"broker process {args.pid} exited", file=sys.stderr)
            return 2
        if await probe(args.bootstrap, args.brokers):
            return 0
        await asyncio.sleep(0.5)
    print(f"broker at {args.bootstrap} not ready after {args.timeout:.0f}s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
