from fastapi import FastAPI

from berdaya_shared.api.app import create_service_app
from berdaya_shared.runtime import ServiceRuntime

from .routes import cohorts, kits, people, roster


def create_app(runtime: ServiceRuntime) -> FastAPI:
    app = create_service_app(settings=runtime.settings, engine=runtime.engine,
                             routers=[roster.router, cohorts.router, people.router, kits.router],
                             description="Roster, cohorts, attendance and graduation.")
    app.state.sessions = runtime.sessions
    return app
