"""Site load profiles: meter files (CSV, Excel), monthly bills and built-in C&I archetypes.

All hourly profiles are mean kW on an interval-beginning UTC+8 index of one calendar year.
Names are imported on first use, so that ``peakzero.load.encoding`` (used by every file
reader, TOML included) does not pull in pandas, the archetypes or the tariffs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peakzero.load.archetypes import (
        ARCHETYPES,
        SEASONS,
        archetype_load,
        archetype_shape,
        shape_table,
        year_index,
    )
    from peakzero.load.bills import BillsLoad, load_from_bills, read_bills
    from peakzero.load.csv import load_from_csv
    from peakzero.load.reader import LoadReading, read_load

_MODULE = {
    "ARCHETYPES": "archetypes",
    "SEASONS": "archetypes",
    "archetype_load": "archetypes",
    "archetype_shape": "archetypes",
    "shape_table": "archetypes",
    "year_index": "archetypes",
    "BillsLoad": "bills",
    "load_from_bills": "bills",
    "read_bills": "bills",
    "load_from_csv": "csv",
    "LoadReading": "reader",
    "read_load": "reader",
}


def __getattr__(name: str) -> Any:
    if name in _MODULE:
        return getattr(importlib.import_module(f"peakzero.load.{_MODULE[name]}"), name)
    raise AttributeError(f"module 'peakzero.load' has no attribute {name!r}")


__all__ = [
    "ARCHETYPES",
    "SEASONS",
    "BillsLoad",
    "LoadReading",
    "archetype_load",
    "archetype_shape",
    "load_from_bills",
    "load_from_csv",
    "read_bills",
    "read_load",
    "shape_table",
    "year_index",
]
