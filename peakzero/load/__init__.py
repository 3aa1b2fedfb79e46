"""Site load profiles: metered CSV import and built-in Chinese C&I archetypes.

All profiles are hourly mean kW on an interval-beginning UTC+8 index of one calendar year.
"""

from __future__ import annotations

from peakzero.load.archetypes import (
    ARCHETYPES,
    SEASONS,
    archetype_load,
    archetype_shape,
    shape_table,
    year_index,
)
from peakzero.load.csv import load_from_csv

__all__ = [
    "ARCHETYPES",
    "SEASONS",
    "archetype_load",
    "archetype_shape",
    "load_from_csv",
    "shape_table",
    "year_index",
]
