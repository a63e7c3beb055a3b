"""JWT bearer auth with roles and an area scope.

A token carries ``sub``, ``roles`` and ``area``: a Kemendagri code in dotted form for the
part of Jakarta its holder may see: ``31`` (the whole province, city admins),
``31.74`` (a kota), ``31.74.06`` (a kecamatan) or ``31.74.06.1001`` (a kelurahan).
A record belongs to a caller's area when its kelurahan code equals the area or lies under it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..areas import in_area, within
from ..errors import Forbidden, NotFound, Unauthorized

__all__ = ["Principal", "PrincipalDep", "ROLES", "current_principal", "decode_token", "in_area",
           "issue_token", "require_roles", "within"]

ROLES = {"city_admin", "kecamatan_officer", "kelurahan_officer", "field_officer", "trainer",
         "integration"}
_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    area: str

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def covers(self, area_code: str) -> bool:
        return within(area_code, self.area)

    def ensure_covers(self, area_code: str, *, hide: bool = True) -> None:
        """Outside the caller's area: 404 (does not reveal existence) or 403 for writes."""
        if not self.covers(area_code):
            if hide:
                raise NotFound("Data ini tidak ada di wilayah Anda.", en="No such record in your area.")
            raise Forbidden(f"Wilayah {area_code} berada di luar wilayah Anda ({self.area}).",
                            en=f"Area {area_code} is outside your area {self.area}.", field="area")


def issue_token(secret: str, *, subject: str, roles: list[str], area: str,
                audience: str = "berdaya", ttl: timedelta = timedelta(hours=12)) -> str:
    unknown = set(roles) - ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    now = datetime.now(UTC)
    claims = {"sub": subject, "roles": roles, "area": area, "aud": audience,
              "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_token(token: str, secret: str, audience: str = "berdaya") -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=audience,
                            options={"require": ["sub", "exp", "aud"]})
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"Token tidak sah: {exc}", en=f"Invalid token: {exc}",
                           field="authorization") from exc
    roles = frozenset(r for r in claims.get("roles", []) if r in ROLES)
    area = str(claims.get("area", ""))
    if not roles or not area:
        raise Unauthorized("Token tidak memuat peran yang dikenal atau wilayah.",
                           en="Token carries no known role or no area.", field="authorization")
    return Principal(subject=str(claims["sub"]), roles=roles, area=area)


def current_principal(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if credentials is None:
        raise Unauthorized("Kirim token bearer di header Authorization.",
                           en="Send a bearer token in the Authorization header.",
                           field="authorization")
    settings = request.app.state.settings
    principal = decode_token(credentials.credentials, settings.jwt_secret, settings.jwt_audience)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str):  # type: ignore[no-untyped-def]
    def check(principal: PrincipalDep) -> Principal:
        if not principal.has(*roles):
            raise Forbidden(f"Tindakan ini memerlukan salah satu peran: {', '.join(roles)}.",
                            en=f"This action needs one of the roles: {', '.join(roles)}.",
                            field="roles")
        return principal
    return check


if __name__ == "__main__":  # python -m berdaya_shared.api.auth --role city_admin --area 31
    import argparse
    import os

    from ..settings import DEV_JWT_SECRET

    parser = argparse.ArgumentParser(description="Issue a development token.")
    parser.add_argument("--role", action="append", required=True, choices=sorted(ROLES))
    parser.add_argument("--area", default="31")
    parser.add_argument("--subject", default="dev-user")
    parser.add_argument("--hours", type=int, default=12)
    args = parser.parse_args()
    print(issue_token(os.environ.get("BERDAYA_JWT_SECRET", DEV_JWT_SECRET), subject=args.subject,
                      roles=args.role, area=args.area, ttl=timedelta(hours=args.hours)))
