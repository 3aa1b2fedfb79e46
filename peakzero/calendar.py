"""Chinese working calendar: statutory public holidays and adjusted working days (调休).

The State Council publishes each year's holiday arrangement in a notice: days off (放假) and
Saturdays or Sundays worked in exchange (调休上班). They are bundled in
``peakzero/data/calendar/holidays.csv`` (``date, kind, name, source``) for 2023-2026.

Outside the bundled years the calendar falls back, silently and by design, to Monday-Friday
workdays and Saturday/Sunday weekends with no holidays: loads and tariffs for a planning year such
as 2035 still get a sensible week structure, and no warning is raised (warnings are errors in the
test suite). Use :func:`covered_years` to know which years are exact, or pass ``strict=True`` to
get a :class:`~peakzero.errors.PeakzeroError` instead of the fallback.

Times are read as China Standard Time clock time: a tz-aware index is converted to UTC+8
first; a naive index is taken as local clock time.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from peakzero.data import read_table
from peakzero.errors import PeakzeroError

CN_TZ = "Etc/GMT-8"
"""The fixed UTC+8 time zone used for all peakzero time indexes (China has no daylight saving)."""

DAY_TYPES: tuple[str, ...] = ("workday", "weekend", "holiday")
HOLIDAY_NAMES: tuple[str, ...] = (
    "new_year",
    "spring_festival",
    "qingming",
    "labour_day",
    "dragon_boat",
    "mid_autumn",
    "national_day",
)


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    frame = read_table("calendar/holidays.csv")
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d").dt.date
    return frame.set_index("date")


def covered_years() -> tuple[int, ...]:
    """Calendar years whose holidays are in the bundled data (one Spring Festival block each).

    >>> 2024 in covered_years()
    True
    """
    table = _table()
    spring = table[(table["name"] == "spring_festival") & (table["kind"] == "holiday")]
    return tuple(sorted({d.year for d in spring.index}))


def local_clock(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The index as naive China Standard Time clock times (tz-aware converted to UTC+8 first)."""
    if index.tz is not None:
        return index.tz_convert(CN_TZ).tz_localize(None)
    return index


def _check_years(clock: pd.DatetimeIndex, strict: bool) -> None:
    if not strict or len(clock) == 0:
        return
    missing = sorted(set(np.unique(clock.year).tolist()) - set(covered_years()))
    if missing:
        raise PeakzeroError(
            f"no bundled Chinese holiday calendar for year(s) {missing}: covered years are "
            f"{list(covered_years())}. Add the State Council notice's days to "
            "peakzero/data/calendar/holidays.csv or call with strict=False for weekends only.",
            field="year",
        )


def day_types(index: pd.DatetimeIndex, *, strict: bool = False) -> np.ndarray:
    """Day type of every timestamp: ``"workday"``, ``"weekend"`` or ``"holiday"``.

    A statutory day off is ``"holiday"`` (also when it falls on a Saturday or Sunday inside the
    holiday block); an adjusted working Saturday/Sunday (调休) is ``"workday"``; other Saturdays and
    Sundays are ``"weekend"``.

    Parameters
    ----------
    index
        Timestamps; tz-aware (converted to UTC+8) or naive (taken as China clock time).
    strict
        If True, raise :class:`PeakzeroError` for a year outside the bundled data instead of
        falling back to weekends only.

    Returns
    -------
    numpy.ndarray
        Array of ``str`` (dtype object), one per timestamp.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2024-02-04", "2024-02-10", "2024-02-11", "2024-02-19"])
    >>> day_types(idx).tolist()
    ['workday', 'holiday', 'holiday', 'workday']
    """
    clock = local_clock(index)
    _check_years(clock, strict)
    weekday = np.asarray(clock.day_of_week)
    out = np.where(weekday >= 5, "weekend", "workday").astype(object)
    if len(clock) == 0:
        return out
    table = _table()
    dates = clock.normalize()
    kinds = pd.Series(table["kind"].to_numpy(), index=pd.to_datetime(table.index))
    looked_up = kinds.reindex(dates).to_numpy()
    has = pd.notna(looked_up)
    out[has] = looked_up[has]
    return out


def holiday_names(index: pd.DatetimeIndex) -> np.ndarray:
    """Name of the statutory holiday (``"spring_festival"``, ``"national_day"``, ...) or ``""``.

    Only days off carry a name; adjusted working days and ordinary days give ``""``. Holiday
    tariff rules (Zhejiang's deep valley on Spring Festival, Labour Day and National Day) use it.

    >>> holiday_names(pd.DatetimeIndex(["2025-10-08 12:00", "2025-10-11 12:00"])).tolist()
    ['national_day', '']
    """
    clock = local_clock(index)
    out = np.full(len(clock), "", dtype=object)
    if len(clock) == 0:
        return out
    table = _table()
    off = table[table["kind"] == "holiday"]
    names = pd.Series(off["name"].to_numpy(), index=pd.to_datetime(off.index))
    looked_up = names.reindex(clock.normalize()).to_numpy()
    has = pd.notna(looked_up)
    out[has] = looked_up[has]
    return out
