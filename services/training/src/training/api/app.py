from fastapi import FastAPI

from berdaya_shared.api.app import create_service_app
from berdaya_shared.runtime import ServiceRuntime

from .routes import cohorts, decisions, kits, people, roster, sessions, tracks, venues


def create_app(runtime: ServiceRuntime) -> FastAPI:
    app = create_service_app(settings=runtime.settings, engine=runtime.engine,
                             routers=[roster.router, tracks.router, venues.router, cohorts.router,
                                      sessions.router, decisions.router, people.router,
                                      kits.router],
                             description="Roster, tracks, venues, cohorts, sessions, attendance, "
                                         "assessments and graduation.")
    app.state.sessions = runtime.sessions
    return app
