"""The rural home load archetype (``rural_home``), which the C&I archetypes of
:mod:`peakzero.load` do not cover.

The shape (``peakzero/county/data/rural_home_shape.csv``, a ``source`` on every row, marked
[unverified]) gives relative kW per season and clock hour, the same on every day type; the
annual scaling is exact, as in :func:`peakzero.load.archetype_load`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError
from peakzero.load import SEASONS, year_index

RESIDENTIAL_ARCHETYPES: tuple[str, ...] = ("rural_home",)
_SEASON_OF_MONTH = np.array([-1, 0, 0, 1, 1, 1, 2, 2, 2, 1, 1, 1, 0])  # as peakzero.load
_HOURS = [f"h{h:02d}" for h in range(24)]


def shape_path() -> Path:
    """Path of the bundled rural home shape table."""
    return Path(str(resources.files("peakzero.county").joinpath("data/rural_home_shape.csv")))


@lru_cache(maxsize=1)
def _cube() -> np.ndarray:
    table = pd.read_csv(shape_path(), comment="#", skipinitialspace=True)
    if table["source"].isna().any():
        raise PeakzeroError("bundled rural home shape table has a row without a source")
    cube = np.full((len(SEASONS), 24), np.nan)
    for _, row in table.iterrows():
        cube[SEASONS.index(str(row["season"]))] = row[_HOURS].to_numpy(dtype=float)
    if np.isnan(cube).any():
        raise PeakzeroError("bundled rural home shape table lacks a season")
    return cube


def residential_load_kw(kind: str, *, year: int, annual_kwh: float) -> pd.Series:
    """Hourly load [kW] of a residential archetype for a calendar year, summing to ``annual_kwh``.

    >>> s = residential_load_kw("rural_home", year=2025, annual_kwh=3000.0)
    >>> len(s), round(float(s.sum()), 6)
    (8760, 3000.0)
    """
    if kind not in RESIDENTIAL_ARCHETYPES:
        raise PeakzeroError(
            f"unknown residential archetype {kind!r}; choose {', '.join(RESIDENTIAL_ARCHETYPES)}",
            field="load",
        )
    index = year_index(year)
    season = _SEASON_OF_MONTH[np.asarray(index.month)]
    shape = _cube()[season, np.asarray(index.hour)]
    return pd.Series(shape * (annual_kwh / shape.sum()), index=index, name="load_kw")
