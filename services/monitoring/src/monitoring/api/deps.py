"""Monitoring's route dependencies: who may do what, and the service's settings."""

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from berdaya_shared.api.auth import Principal, require_roles

from ..config import MonitoringSettings

VISITORS = ("city_admin", "kecamatan_officer", "kelurahan_officer", "field_officer")
Visitor = Annotated[Principal, Depends(require_roles(*VISITORS))]
Reader = Annotated[Principal, Depends(require_roles(*VISITORS, "integration"))]
# Lurah, camat and city admins: who covers which kelurahan, who makes which visit.
AREA_OFFICERS = ("city_admin", "kecamatan_officer", "kelurahan_officer")
AreaOfficer = Annotated[Principal, Depends(require_roles(*AREA_OFFICERS))]
Admin = Annotated[Principal, Depends(require_roles("city_admin"))]


def _settings(request: Request) -> MonitoringSettings:
    settings: MonitoringSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[MonitoringSettings, Depends(_settings)]


def _today(request: Request) -> date:
    """Today in Jakarta from the app's clock (``build(..., today=...)``; tests inject one)."""
    clock: Callable[[], date] = request.app.state.today
    return clock()


TodayDep = Annotated[date, Depends(_today)]
