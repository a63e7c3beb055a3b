"""Jakarta's administrative areas as Kemendagri codes in dotted form: ``31`` (the province),
``31.74`` (a kota), ``31.74.06`` (a kecamatan), ``31.74.06.1001`` (a kelurahan)."""

from typing import Any

from sqlalchemy import or_

KELURAHAN_DEPTH = 3  # dots in a kelurahan code: 31.74.06.1001


def within(code: str, scope: str) -> bool:
    """True when ``code`` is ``scope`` or lies inside it ("31" is the whole province)."""
    return code == scope or code.startswith(scope + ".")


def in_area(column: Any, area: str) -> Any:
    """SQL condition: the row's area code lies in ``area`` (the same rule as ``within``).

    A kelurahan has nothing inside it, so its condition is a plain equality: an index that
    starts with the code then also serves the order after it (a lurah's list in due order)."""
    if area.count(".") >= KELURAHAN_DEPTH:
        return column == area
    return or_(column == area, column.startswith(area + ".", autoescape=True))
