"""Marketplace's route dependencies: who may do what, and the service's settings."""

from typing import Annotated

from fastapi import Depends, Request

from berdaya_shared.api.auth import Principal, require_roles

from ..config import MarketplaceSettings

OFFICERS = ("city_admin", "kecamatan_officer", "kelurahan_officer")
Officer = Annotated[Principal, Depends(require_roles(*OFFICERS))]
Reader = Annotated[Principal, Depends(require_roles(*OFFICERS, "field_officer"))]


def _settings(request: Request) -> MarketplaceSettings:
    settings: MarketplaceSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[MarketplaceSettings, Depends(_settings)]
