"""Built-in Chinese commercial and industrial load archetypes.

Shapes come from ``peakzero/data/load/shapes.csv`` (built by ``scripts/build_load_shapes.py``):
relative hourly kW per archetype, season (winter Dec-Feb, summer Jun-Aug, shoulder otherwise)
and day type (workday / weekend / holiday from :func:`peakzero.calendar.day_types`, so Spring
Festival and National Day lower factory and office loads, adjusted working days count as
workdays, and malls are busiest on weekends and holidays). ``factory_one_shift`` and
``factory_two_shift`` are measured shapes (German metered sites, CC BY 4.0, see the ``source``
column); the others are literature-based parametric shapes marked ``basis = literature``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from peakzero.calendar import CN_TZ, DAY_TYPES, day_types
from peakzero.data import read_table
from peakzero.errors import PeakzeroError

ARCHETYPES: tuple[str, ...] = (
    "factory_one_shift",
    "factory_two_shift",
    "factory_continuous",
    "office",
    "mall",
    "hospital",
    "cold_storage",
)
SEASONS: tuple[str, ...] = ("winter", "shoulder", "summer")
_SEASON_OF_MONTH = np.array([-1, 0, 0, 1, 1, 1, 2, 2, 2, 1, 1, 1, 0])  # month -> SEASONS index
_HOURS = [f"h{h:02d}" for h in range(24)]


@lru_cache(maxsize=1)
def shape_table() -> pd.DataFrame:
    """The bundled shape table (one row per archetype, season and day type)."""
    return read_table("load/shapes.csv")


@lru_cache(maxsize=16)
def _shape_cube(kind: str) -> np.ndarray:
    """Relative kW as an array [season, day type, hour]."""
    table = shape_table()
    rows = table[table["archetype"] == kind]
    cube = np.full((len(SEASONS), len(DAY_TYPES), 24), np.nan)
    for _, row in rows.iterrows():
        s = SEASONS.index(str(row["season"]))
        d = DAY_TYPES.index(str(row["day_type"]))
        cube[s, d] = row[_HOURS].to_numpy(dtype=float)
    if np.isnan(cube).any():
        raise PeakzeroError(f"bundled load shape table lacks rows for archetype {kind!r}")
    return cube


def year_index(year: int) -> pd.DatetimeIndex:
    """Hourly interval-beginning index of a calendar year in UTC+8 (8760 or 8784 hours).

    >>> len(year_index(2024)), str(year_index(2024)[0])
    (8784, '2024-01-01 00:00:00+08:00')
    """
    if not 1900 <= year <= 2100:
        raise PeakzeroError(f"year = {year} is outside 1900-2100", field="year")
    start = pd.Timestamp(year=year, month=1, day=1, tz=CN_TZ)
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=CN_TZ)
    return pd.date_range(start, end, freq="h", inclusive="left", name="time")


def archetype_shape(kind: str, index: pd.DatetimeIndex) -> np.ndarray:
    """Unscaled relative kW of archetype ``kind`` on an hourly ``index``."""
    if kind not in ARCHETYPES:
        raise PeakzeroError(
            f"unknown load archetype {kind!r}; choose one of {', '.join(ARCHETYPES)}",
            field="archetype",
        )
    cube = _shape_cube(kind)
    clock = index.tz_convert(CN_TZ) if index.tz is not None else index
    season = _SEASON_OF_MONTH[np.asarray(clock.month)]
    dtype_names = day_types(index)
    day = np.select(
        [dtype_names == name for name in DAY_TYPES], list(range(len(DAY_TYPES))), default=0
    )
    return np.asarray(cube[season, day, np.asarray(clock.hour)], dtype=float)


def archetype_load(
    kind: str,
    *,
    year: int,
    annual_kwh: float | None = None,
    monthly_kwh: Sequence[float] | None = None,
    peak_kw: float | None = None,
) -> pd.Series:
    """Hourly load [kW] of a built-in archetype for a calendar year, scaled exactly.

    Give exactly one of ``annual_kwh``, ``monthly_kwh`` (12 values, January first) or
    ``peak_kw``. The result sums to ``annual_kwh`` (hourly kW x 1 h), to each month's
    ``monthly_kwh``, or peaks at ``peak_kw``.

    Parameters
    ----------
    kind
        One of :data:`ARCHETYPES`.
    year
        Calendar year (8784 hours in a leap year); holidays from :mod:`peakzero.calendar`.
    annual_kwh
        Yearly consumption [kWh].
    monthly_kwh
        Consumption of each month [kWh]; a zero month gives zero load in that month.
    peak_kw
        Maximum hourly mean load [kW].

    Returns
    -------
    pandas.Series
        ``load_kw`` on an hourly interval-beginning UTC+8 index.

    Examples
    --------
    >>> s = archetype_load("office", year=2025, annual_kwh=1_000_000)
    >>> len(s), round(float(s.sum()), 6)
    (8760, 1000000.0)
    """
    given = [v is not None for v in (annual_kwh, monthly_kwh, peak_kw)]
    if sum(given) != 1:
        raise PeakzeroError(
            "give exactly one of annual_kwh, monthly_kwh (12 values) or peak_kw to scale the "
            "archetype",
            field="annual_kwh",
        )
    index = year_index(year)
    shape = archetype_shape(kind, index)
    if annual_kwh is not None:
        if not (np.isfinite(annual_kwh) and annual_kwh > 0):
            raise PeakzeroError(f"annual_kwh = {annual_kwh} must be > 0 [kWh]", field="annual_kwh")
        values = shape * (annual_kwh / shape.sum())
    elif peak_kw is not None:
        if not (np.isfinite(peak_kw) and peak_kw > 0):
            raise PeakzeroError(f"peak_kw = {peak_kw} must be > 0 [kW]", field="peak_kw")
        values = shape * (peak_kw / shape.max())
    else:
        months_kwh = np.asarray(monthly_kwh, dtype=float)
        if months_kwh.shape != (12,) or not np.all(np.isfinite(months_kwh)):
            raise PeakzeroError(
                f"monthly_kwh must hold 12 finite values (January to December); got "
                f"{months_kwh.size}",
                field="monthly_kwh",
            )
        if np.any(months_kwh < 0) or months_kwh.sum() <= 0:
            raise PeakzeroError(
                "monthly_kwh values must be >= 0 [kWh] with a positive total", field="monthly_kwh"
            )
        month = np.asarray(index.month)
        shape_sum = np.bincount(month, weights=shape, minlength=13)
        values = shape * (months_kwh[month - 1] / shape_sum[month])
    return pd.Series(values, index=index, name="load_kw")
