"""``create_service_app``: the FastAPI app every service starts from.

It binds ``request_id``/``correlation_id`` for each request (from ``X-Request-ID`` /
``X-Correlation-ID`` or fresh), logs one line per request, counts it for Prometheus, installs
the problem-details handlers and the input guard, and serves ``/healthz``, ``/readyz`` and
``/metrics``. An exception no handler knows is a bug of ours: it is logged as JSON with the
request and correlation ids, counted as a 500, and answered as a problem document that
carries ``X-Request-ID`` like every other response.

Readiness: the api is ready when its own store answers. Kafka is not on the request path
(the outbox holds events while the broker is away), so its state is reported in ``/readyz``
as a detail, never as a 503 that would take every replica out of service.
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
from .guard import InputGuard
from .problems import install_problem_handlers, internal_error, problem

log = get_logger(__name__)


def create_service_app(*, settings: ServiceSettings, engine: Engine,
                       routers: Iterable[APIRouter], description: str = "") -> FastAPI:
    app = FastAPI(title=f"Berdaya {settings.service_name}", version="1.0.0",
                  description=description)
    app.state.settings = settings
    app.state.engine = engine
    install_problem_handlers(app)
    app.add_middleware(InputGuard)  # inside request_context: its 422s carry the request ids
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
            try:
                response = await call_next(request)
            except Exception as exc:  # noqa: BLE001 - a bug of ours: logged, counted, answered
                log.exception("http.unhandled_error", error=type(exc).__name__,
                              method=request.method, path=request.url.path)
                response = internal_error(request)
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
        except Exception as exc:  # noqa: BLE001 - a detail: events wait in the outbox
            checks["kafka"] = f"unavailable: {type(exc).__name__} (events wait in the outbox)"
        if checks["database"] == "ok":
            return JSONResponse({"status": "ready", "checks": checks})
        return problem(503, "Belum siap", "Basis data layanan ini tidak dapat dihubungi.",
                       slug="not-ready", checks=checks)

    @app.get("/metrics", tags=["ops"])
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)
    return app
