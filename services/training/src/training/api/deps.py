"""Training's route dependencies: who may do what, and the service's settings."""

from typing import Annotated

from fastapi import Depends, Request

from berdaya_shared.api.auth import Principal, require_roles

from ..config import TrainingSettings

OFFICERS = ("city_admin", "kecamatan_officer", "kelurahan_officer")
Admin = Annotated[Principal, Depends(require_roles("city_admin"))]
Officer = Annotated[Principal, Depends(require_roles(*OFFICERS))]
Organiser = Annotated[Principal, Depends(require_roles("city_admin", "kecamatan_officer", "trainer"))]
Reader = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer", "trainer", "integration"))]


def _settings(request: Request) -> TrainingSettings:
    settings: TrainingSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[TrainingSettings, Depends(_settings)]
