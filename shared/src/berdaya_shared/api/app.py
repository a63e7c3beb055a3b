"""``create_service_app``: the FastAPI app every service starts from.

It binds ``request_id``/``correlation_id`` for each request (from ``X-Request-ID`` /
``X-Correlation-ID`` or fresh), logs one line per request, counts it for Prometheus, installs
the problem-details handlers, and serves ``/healthz``, ``/readyz`` and ``/metrics``.
"""

import asyncio
import time
import uuid
from collections.abc import Iterable

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.engine import Engine

from ..db import ping
from ..kafka import kafka_ready
from ..logging import bound_contextvars, get_logger
from ..metrics import HTTP_LATENCY, HTTP_REQUESTS
from ..settings import ServiceSettings
from .problems import install_problem_handlers, problem

log = get_logger(__name__)


def create_service_app(*, settings: ServiceSettings, engine: Engine,
                       routers: Iterable[APIRouter], description: str = "") -> FastAPI:
    app = FastAPI(title=f"Berdaya {settings.service_name}", version="1.0.0",
                  description=description)
    app.state.settings = settings
    app.state.engine = engine
    install_problem_handlers(app)
    service = settings.service_name
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "PATCH"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID",
                                          "X-Correlation-ID"],
                           expose_headers=["X-Request-ID", "X-Correlation-ID"])

    @app.middleware("http")
    async def request_context(request: Request, call_next):  # type: ignore[no-untyped-def]
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        correlation = request.headers.get("x-correlation-id") or request_id
        started = time.perf_counter()
        with bound_contextvars(request_id=request_id, correlation_id=correlation):
            response = await call_next(request)
            route = getattr(request.scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            HTTP_REQUESTS.labels(service, request.method, route, response.status_code).inc()
            HTTP_LATENCY.labels(service, route).observe(elapsed)
            principal = getattr(request.state, "principal", None)
            log.info("http.request", method=request.method, route=route,
                     status=response.status_code, duration_ms=round(elapsed * 1000, 1),
                     user=principal.subject if principal else None)
        response.headers["X-Request-ID"] = request_id
        response.headers["X-Correlation-ID"] = correlation
        return response

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get("/readyz", tags=["ops"])
    async def readyz() -> Response:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(asyncio.to_thread(ping, engine), 5)
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            checks["database"] = f"failed: {type(exc).__name__}"
        try:
            await asyncio.wait_for(kafka_ready(settings.kafka_bootstrap_servers), 5)
            checks["kafka"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["kafka"] = f"failed: {type(exc).__name__}"
        if all(v == "ok" for v in checks.values()):
            return JSONResponse({"status": "ready", "checks": checks})
        return problem(503, "Not ready", "A dependency is unavailable.", slug="not-ready",
                       checks=checks)

    @app.get("/metrics", tags=["ops"])
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)
    return app
