"""Map one year of interval data onto another calendar year, day types aligned.

A meter year (2018) is rarely the plan year (2025): copying it date for date would put 2018's
Mondays on 2025's Wednesdays and its Spring Festival three weeks off. Each day of the target
year instead takes the data of the nearest source day of the same kind (workday, weekend or
holiday, from :func:`peakzero.calendar.day_types`), and each month is then scaled so that its
energy is the source month's per-day energy times the target month's days (a leap day gets an
ordinary February day; monthly kWh are kept, annual kWh change only by a leap day). A meter year
that starts mid-year (2024-07-01 to 2025-06-30) is mapped the same way
(:func:`map_days_to_year`): "nearest" is by the day's place in its own calendar year, so the
January days of the target take the source's January days, whichever year they were in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from peakzero.calendar import covered_years, day_types


def _days(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")


def _place(days: pd.DatetimeIndex) -> np.ndarray:
    """Each day's place in its own calendar year, 0 to 364, counted as in a common year (the
    leap day shares 28 February's place), so that 1 August is 1 August in every year."""
    doy = np.asarray(days.day_of_year) - 1
    leap = np.asarray(days.is_leap_year) & (np.asarray(days.month) > 2)
    return np.asarray(doy - leap, dtype=float)


def map_to_year(
    values: np.ndarray, source_year: int, target_year: int, *, steps_per_day: int
) -> tuple[np.ndarray, str]:
    """Values of ``source_year`` (``steps_per_day`` per day) placed on ``target_year``.

    Parameters
    ----------
    values
        One full source year of interval values (power [kW] or energy per interval [kWh]).
    source_year, target_year
        Calendar years.
    steps_per_day
        Intervals per day (24 hourly, 96 quarter-hourly).

    Returns
    -------
    tuple
        ``(values on the target year, note)``.

    Examples
    --------
    >>> v = np.repeat(np.where(day_types(_days(2025)) == "workday", 2.0, 1.0), 24)
    >>> out, _ = map_to_year(v, 2025, 2024, steps_per_day=24)
    >>> bool(np.all(np.repeat(day_types(_days(2024)) == "workday", 24) == (out > 1.5)))
    True
    """
    values, note = map_days_to_year(
        values, pd.Timestamp(f"{source_year}-01-01"), target_year, steps_per_day=steps_per_day
    )
    return values, note


def map_days_to_year(
    values: np.ndarray, start: pd.Timestamp, target_year: int, *, steps_per_day: int
) -> tuple[np.ndarray, str]:
    """Values of the year of days from ``start`` (one year of whole days, e.g. 2024-07-01 to
    2025-06-30) placed on ``target_year``, as :func:`map_to_year` (which is this with
    ``start`` on 1 January).

    Examples
    --------
    >>> v = np.arange(365 * 24, dtype=float)  # 2024-07-01 .. 2025-06-30, hourly
    >>> out, note = map_days_to_year(v, pd.Timestamp("2024-07-01"), 2025, steps_per_day=24)
    >>> out.size, note.split(":")[0]
    (8760, 'meter year 2024-07-01 to 2025-06-30 mapped onto 2025')
    """
    start = pd.Timestamp(start).normalize()
    n_days = len(values) // steps_per_day
    src_days = pd.date_range(start, periods=n_days, freq="D")
    tgt_days = _days(target_year)
    src_types, tgt_types = day_types(src_days), day_types(tgt_days)
    src_doy = _place(src_days)
    tgt_doy = _place(tgt_days)
    daily = np.asarray(values, dtype=float).reshape(n_days, steps_per_day)
    pick = np.empty(len(tgt_days), dtype=int)
    order = np.arange(n_days)
    for t in range(len(tgt_days)):
        same = src_types == tgt_types[t]
        pool = order[same] if same.any() else order
        pick[t] = pool[np.argmin(np.abs(src_doy[pool] - tgt_doy[t]))]
    out = daily[pick]
    src_month = np.asarray(src_days.month)
    tgt_month = np.asarray(tgt_days.month)
    for m in range(1, 13):
        src = daily[src_month == m]
        per_day = src.sum() / len(src)
        rows = tgt_month == m
        got = out[rows].sum()
        if got > 0:
            out[rows] *= per_day * rows.sum() / got
    end = src_days[-1]
    years = sorted({start.year, end.year})
    missing = sorted({*years, target_year} - set(covered_years()))
    caveat = f" (no holiday calendar for {missing}: weekends only there)" if missing else ""
    if start.month == 1 and start.day == 1:
        source, kind = f"{start.year}", f"{start.year} day"
    else:
        source = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
        kind = "meter day (by date in the year)"
    note = (
        f"meter year {source} mapped onto {target_year}: each day takes the nearest "
        f"{kind} of the same kind (workday, weekend, holiday){caveat}; monthly kWh kept"
    )
    return out.reshape(-1), note
