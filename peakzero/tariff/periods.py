"""Time-of-use period and energy price of every interval of a time index."""

from __future__ import annotations

import numpy as np
import pandas as pd

from peakzero.calendar import holiday_names, local_clock
from peakzero.tariff.model import PERIODS, Tariff


def _period_codes(tariff: Tariff, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Period code (index into PERIODS) and season number of every interval."""
    clock = local_clock(index)
    month = np.asarray(clock.month)
    hour = np.asarray(clock.hour)
    codes = np.full(len(clock), -1, dtype=np.int8)
    season_no = np.full(len(clock), -1, dtype=np.int8)
    for k, season in enumerate(tariff.seasons):
        in_season = np.isin(month, season.months)
        table = np.array([PERIODS.index(p) for p in season.hour_periods], dtype=np.int8)
        codes[in_season] = table[hour[in_season]]
        season_no[in_season] = k
    if tariff.holiday_rules:
        names = holiday_names(index)
        for rule in tariff.holiday_rules:
            on_day = names != "" if "all" in rule.holidays else np.isin(names, rule.holidays)
            if rule.months:
                on_day &= np.isin(month, rule.months)
            in_hours = np.zeros(len(clock), dtype=bool)
            for start, end in rule.hours:
                in_hours |= (hour >= start) & (hour < end)
            codes[on_day & in_hours] = PERIODS.index(rule.period)
    return codes, season_no


def hourly_periods(tariff: Tariff, index: pd.DatetimeIndex) -> np.ndarray:
    """TOU period name of every interval.

    Periods follow the local clock hour at the start of the interval (hour-beginning labels);
    holiday rules (e.g. Zhejiang's deep valley 10-14 on Spring Festival) override the season map.

    Parameters
    ----------
    tariff
        The tariff.
    index
        Interval-beginning timestamps (hourly or sub-hourly), tz-aware or China clock time.

    Returns
    -------
    numpy.ndarray
        Strings from ``"critical_peak"``, ``"peak"``, ``"flat"``, ``"valley"``, ``"deep_valley"``.

    Examples
    --------
    >>> from peakzero.tariff import load_tariff
    >>> idx = pd.date_range("2025-07-01 10:00", periods=3, freq="h", tz="Etc/GMT-8")
    >>> hourly_periods(load_tariff("guangdong_2021_two_part"), idx).tolist()
    ['peak', 'critical_peak', 'flat']
    """
    codes, _ = _period_codes(tariff, index)
    out: np.ndarray = np.asarray(PERIODS, dtype=object)[codes]
    return out


def hourly_energy_price(tariff: Tariff, index: pd.DatetimeIndex) -> np.ndarray:
    """Energy price [yuan/kWh] of every interval: flat price x the period's multiplier.

    Season-specific multipliers take precedence over the tariff's.

    >>> from peakzero.tariff import load_tariff
    >>> t = load_tariff("jiangsu_2025_two_part", flat_price_yuan_per_kwh=0.6)
    >>> idx = pd.date_range("2025-07-01 00:00", periods=24, freq="h", tz="Etc/GMT-8")
    >>> [round(float(p), 4) for p in hourly_energy_price(t, idx)[[3, 8, 15]]]
    [0.21, 0.6, 1.08]
    """
    codes, season_no = _period_codes(tariff, index)
    prices = np.empty((len(tariff.seasons), len(PERIODS)))
    for k, season in enumerate(tariff.seasons):
        for j, period in enumerate(PERIODS):
            mult = season.multipliers.get(period, tariff.multipliers.get(period, np.nan))
            prices[k, j] = tariff.flat_price_yuan_per_kwh * mult
    out: np.ndarray = prices[season_no, codes]
    return out
