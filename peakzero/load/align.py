"""Map one year of interval data onto another calendar year, day types aligned.

A meter year (2018) is rarely the plan year (2025): copying it date for date would put 2018's
Mondays on 2025's Wednesdays and its Spring Festival three weeks off. Each day of the target
year instead takes the data of the nearest source day of the same kind (workday, weekend or
holiday, from :func:`peakzero.calendar.day_types`), and each month is then scaled so that its
energy is the source month's per-day energy times the target month's days (a leap day gets an
ordinary February day; monthly kWh are kept, annual kWh change only by a leap day).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from peakzero.calendar import covered_years, day_types


def _days(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")


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
    src_days, tgt_days = _days(source_year), _days(target_year)
    src_types, tgt_types = day_types(src_days), day_types(tgt_days)
    src_doy = np.arange(len(src_days))
    daily = np.asarray(values, dtype=float).reshape(len(src_days), steps_per_day)
    pick = np.empty(len(tgt_days), dtype=int)
    for t in range(len(tgt_days)):
        same = src_types == tgt_types[t]
        pool = src_doy[same] if same.any() else src_doy
        pick[t] = pool[np.argmin(np.abs(pool - t))]
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
    missing = sorted({source_year, target_year} - set(covered_years()))
    caveat = f" (no holiday calendar for {missing}: weekends only there)" if missing else ""
    note = (
        f"meter year {source_year} mapped onto {target_year}: each day takes the nearest "
        f"{source_year} day of the same kind (workday, weekend, holiday){caveat}; monthly kWh kept"
    )
    return out.reshape(-1), note
