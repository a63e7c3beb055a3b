from fastapi import FastAPI

from berdaya_shared.api.app import create_service_app
from berdaya_shared.gazetteer import Gazetteer

from .routes import applications, duplicates, imports, participants, programmes


def create_app(runtime) -> FastAPI:  # type: ignore[no-untyped-def]
    app = create_service_app(
        settings=runtime.settings, engine=runtime.engine,
        routers=[programmes.router, participants.router, applications.router, imports.router,
                 duplicates.router],
        description="People, households, programmes, applications, enrolment, dedup, bulk import.")
    app.state.sessions = runtime.sessions
    app.state.gazetteer = Gazetteer.load()
    return app
