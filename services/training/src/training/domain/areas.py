"""Kelurahan codes a venue may carry: those of the Kemendagri gazetteer (shared)."""

from berdaya_shared.errors import InvalidInput
from berdaya_shared.gazetteer import Gazetteer


def check_kelurahan_code(code: str) -> None:
    area = Gazetteer.load().get(code)
    if area is None or area.level != "kelurahan" or area.code != code:
        raise InvalidInput(f"'{code}' bukan kode kelurahan di DKI Jakarta.",
                           en=f"'{code}' is not a kelurahan code in DKI Jakarta.",
                           field="kelurahan_code")
