"""DKI Jakarta areas with Kemendagri codes (kota 31.74, kecamatan 31.74.06, kelurahan 31.74.06.1001).

Shared by every service that checks an area code (registration's people and programmes,
training's venues and people); the data and its provenance are in ``reference/``."""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

from .areas import within as within  # re-exported for domain callers
from .fields import InvalidField

PROVINCE_CODE = "31"
LEVELS = ("kota", "kecamatan", "kelurahan")


@dataclass(frozen=True)
class Area:
    code: str
    level: str
    name: str
    parent_code: str
    postal_code: str


def _key(name: str) -> str:
    """Case-, space- and punctuation-insensitive form of an area name."""
    name = re.sub(r"^\s*(kelurahan|kel\.|kecamatan|kec\.)\s*", "", name.casefold())
    return re.sub(r"[\W_]+", "", name)


def dotted(code: str) -> str:
    """Accept '3174061001' as well as '31.74.06.1001'."""
    code = code.strip()
    if code.isdigit() and len(code) in (4, 6, 10):
        return ".".join(p for p in (code[:2], code[2:4], code[4:6], code[6:]) if p)
    return code


class Gazetteer:
    """Read-only lookup over the bundled jakarta_wilayah.csv."""

    def __init__(self, areas: list[Area]) -> None:
        self._by_code = {a.code: a for a in areas}
        self._children: dict[str, list[Area]] = {}
        self._kelurahan_by_key: dict[str, list[Area]] = {}
        for area in sorted(areas, key=lambda a: a.code):
            self._children.setdefault(area.parent_code, []).append(area)
            if area.level == "kelurahan":
                self._kelurahan_by_key.setdefault(_key(area.name), []).append(area)

    @classmethod
    @functools.cache
    def load(cls) -> Gazetteer:
        text = resources.files("berdaya_shared.reference").joinpath("jakarta_wilayah.csv").read_text("utf-8")
        return cls([Area(**row) for row in csv.DictReader(io.StringIO(text))])

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Area | None:
        return self._by_code.get(dotted(code))

    def areas(self, level: str) -> list[Area]:
        return sorted((a for a in self._by_code.values() if a.level == level), key=lambda a: a.code)

    def children(self, code: str) -> list[Area]:
        return list(self._children.get(dotted(code), []))

    def kelurahan(self, code: str) -> Area:
        area = self.get(code)
        if area is None or area.level != "kelurahan":
            raise InvalidField("kelurahan_code", f"'{code}' bukan kode kelurahan di DKI Jakarta",
                               f"'{code}' is not a kelurahan code in DKI Jakarta")
        return area

    def kecamatan_of(self, code: str) -> Area:
        """The kecamatan of a kelurahan (or the kecamatan itself)."""
        return self._ancestor(code, "kecamatan")

    def kota_of(self, code: str) -> Area:
        """The kota/kabupaten of any area below it (or the kota itself)."""
        return self._ancestor(code, "kota")

    def _ancestor(self, code: str, level: str) -> Area:
        area = self.get(code)
        while area is not None and area.level != level:
            area = self.get(area.parent_code) if LEVELS.index(area.level) > LEVELS.index(level) else None
        if area is None:
            raise InvalidField("area_code", f"'{code}' bukan {level} atau wilayah di dalamnya",
                               f"'{code}' is not a {level} or an area inside one")
        return area

    def find_kelurahan(self, name: str, kecamatan_name: str | None = None) -> Area:
        """Find a kelurahan by name, optionally within a named kecamatan."""
        found = self._kelurahan_by_key.get(_key(name), [])
        if kecamatan_name and kecamatan_name.strip():
            kec = _key(kecamatan_name)
            found = [a for a in found if _key(self.kecamatan_of(a.code).name) == kec]
        where = f" Kecamatan {kecamatan_name.strip()}" if kecamatan_name and kecamatan_name.strip() else ""
        if not found:
            raise InvalidField("kelurahan",
                               f"tidak ada kelurahan bernama '{name.strip()}' di{where} DKI Jakarta",
                               f"no kelurahan named '{name.strip()}' in{where} DKI Jakarta")
        if len(found) > 1:
            options = ", ".join(f"{a.code} (Kec. {self.kecamatan_of(a.code).name})" for a in found)
            raise InvalidField(
                "kelurahan",
                f"'{name.strip()}' ada lebih dari satu: {options}; sebutkan kecamatan atau kodenya",
                f"'{name.strip()}' is ambiguous: {options}; give the kecamatan or the code"
            )
        return found[0]

    def describe(self, code: str) -> str:
        """Human label for a scope: 'Kecamatan Cilandak', 'Kota Administrasi Jakarta Timur'."""
        if code == PROVINCE_CODE:
            return "Provinsi DKI Jakarta"
        area = self.get(code)
        if area is None:
            return code
        return area.name if area.level == "kota" else f"{area.level.capitalize()} {area.name}"
