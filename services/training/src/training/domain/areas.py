"""Kelurahan codes a venue may carry."""

import re

from berdaya_shared.errors import InvalidInput

# Until the shared Kemendagri gazetteer lands, the code's shape (31.xx.xx.xxxx) is checked.
KELURAHAN_PATTERN = re.compile(r"31\.\d{2}\.\d{2}\.\d{4}")


def check_kelurahan_code(code: str) -> None:
    if not KELURAHAN_PATTERN.fullmatch(code):
        raise InvalidInput(f"'{code}' bukan kode kelurahan di DKI Jakarta.",
                           en=f"'{code}' is not a kelurahan code in DKI Jakarta.",
                           field="kelurahan_code")
