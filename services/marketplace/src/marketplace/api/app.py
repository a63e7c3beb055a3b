from fastapi import FastAPI

from berdaya_shared.api.app import create_service_app
from berdaya_shared.runtime import ServiceRuntime

from .routes import bazaars, catalogue, orders, products, reports, sellers


def create_app(runtime: ServiceRuntime) -> FastAPI:
    app = create_service_app(settings=runtime.settings, engine=runtime.engine,
                             routers=[sellers.router, products.router, catalogue.router,
                                      catalogue.categories_router,
                                      orders.router, orders.public_router, reports.router,
                                      bazaars.router],
                             description="Seller profiles of graduates and the public catalogue.")
    app.state.sessions = runtime.sessions
    return app
