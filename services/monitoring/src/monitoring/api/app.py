from collections.abc import Callable
from datetime import date

from fastapi import FastAPI

from berdaya_shared.api.app import create_service_app
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.runtime import ServiceRuntime

from .routes import dashboard, escalations, indicators, officers, plans, programmes, referrals, visits, work


def create_app(runtime: ServiceRuntime, *, today: Callable[[], date] = today_in_jakarta) -> FastAPI:
    app = create_service_app(settings=runtime.settings, engine=runtime.engine,
                             routers=[plans.router, visits.router, programmes.router,
                                      officers.router, work.router, escalations.router,
                                      indicators.router, referrals.router, dashboard.router],
                             description="Follow-up plans after graduation on working days, field officers "
                                         "and their visits, overdue visits.")
    app.state.sessions = runtime.sessions
    app.state.today = today
    return app
