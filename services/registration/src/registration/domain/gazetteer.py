"""Moved to ``berdaya_shared.gazetteer`` (training checks area codes too). This re-export stays
only for ``deploy/local/demo_data.py`` and ``bench/import_rows.py``; delete it once they
import from shared."""

from berdaya_shared.gazetteer import PROVINCE_CODE, Area, Gazetteer, dotted, within

__all__ = ["PROVINCE_CODE", "Area", "Gazetteer", "dotted", "within"]
