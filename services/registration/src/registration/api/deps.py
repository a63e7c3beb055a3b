"""Registration's route dependencies: who may do what, and the shared reference data."""

from typing import Annotated

from fastapi import Depends, Request

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.gazetteer import Gazetteer

from ..config import RegistrationSettings

OFFICERS = ("city_admin", "kecamatan_officer", "kelurahan_officer")
Officer = Annotated[Principal, Depends(require_roles(*OFFICERS))]
Admin = Annotated[Principal, Depends(require_roles("city_admin"))]
AnyRole = Annotated[Principal, Depends(require_roles(
    *OFFICERS, "field_officer", "trainer", "integration"))]


def _settings(request: Request) -> RegistrationSettings:
    settings: RegistrationSettings = request.app.state.settings
    return settings


def _gazetteer(request: Request) -> Gazetteer:
    gazetteer: Gazetteer = request.app.state.gazetteer
    return gazetteer


SettingsDep = Annotated[RegistrationSettings, Depends(_settings)]
GazetteerDep = Annotated[Gazetteer, Depends(_gazetteer)]
