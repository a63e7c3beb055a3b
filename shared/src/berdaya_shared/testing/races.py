"""Races as a user makes them: real concurrent requests, released together by a barrier.

``served`` puts a service's app behind uvicorn on a free loopback port (real HTTP, real
connections, real threads in the server); ``race`` sends one request per connection, all
released at once; ``at_once`` does the same for any callable (a TestClient call, a consumer
handler). Used by every service's PostgreSQL race tests.
"""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn


@contextmanager
def served(runtime: Any) -> Iterator[str]:
    """The service's app served by uvicorn on a free 127.0.0.1 port in a background thread;
    yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(runtime.create_app(), log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def race(base_url: str, calls: list[Callable[[httpx.Client], httpx.Response]]) -> list[httpx.Response]:
    """Run every call on its own connection, released together by a barrier; responses in the
    order of ``calls``."""
    start = threading.Barrier(len(calls), timeout=30)

    def run(call: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            client.get("/healthz")  # connect before the barrier: the requests leave together
            start.wait()
            return call(client)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls, timeout=120))


def at_once(count: int, call: Callable[[int], Any]) -> list[Any]:
    """Run ``call(0..count-1)`` in threads released together; returns the outcomes in order."""
    start = threading.Barrier(count, timeout=30)

    def run(i: int) -> Any:
        start.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count), timeout=120))


def statuses(responses: list[httpx.Response]) -> list[int]:
    return sorted(r.status_code for r in responses)
