from fastapi import FastAPI

from berdaya_shared.api.app import create_service_app

from .routes import cohorts, roster


def create_app(runtime) -> FastAPI:  # type: ignore[no-untyped-def]
    app = create_service_app(settings=runtime.settings, engine=runtime.engine,
                             routers=[roster.router, cohorts.router],
                             description="Roster, cohorts, attendance and graduation.")
    app.state.sessions = runtime.sessions
    return app
