"""Time-of-use period and energy price of every interval of a time index.

Periods follow the local clock at the start of each interval, on the tariff's half-hour grid.
An hourly interval that a tariff splits at the half hour (Liaoning 07:30, Jiangxi 11:30) is
priced at the mean of its two half-hour prices, which is exact for a load constant within the
hour; :func:`~peakzero.tariff.compute_bill` bills such hours on half-hour rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from peakzero.calendar import day_types, holiday_names, local_clock
from peakzero.errors import PeakzeroError
from peakzero.tariff.model import PERIODS, SLOTS_PER_HOUR, Tariff


def interval_hours(index: pd.DatetimeIndex) -> float:
    """Length [h] of the intervals of a regular index (from its spacing, or ``freq`` if one row).

    >>> interval_hours(pd.date_range("2025-01-01", periods=4, freq="15min"))
    0.25
    """
    if len(index) >= 2:
        steps = np.diff(index.as_unit("ns").asi8)
        if not np.all(steps == steps[0]) or steps[0] <= 0:
            raise PeakzeroError(
                "the time index must be regular (equal, increasing steps) to compute a bill",
                field="index",
            )
        return float(pd.Timedelta(int(steps[0]), unit="ns") / pd.Timedelta(hours=1))
    if index.freq is not None:
        return float(pd.Timedelta(index.freq.nanos, unit="ns") / pd.Timedelta(hours=1))
    raise PeakzeroError("a one-row index needs a freq to know the interval length", field="index")


def splits_hours(tariff: Tariff) -> bool:
    """Whether any period boundary of the tariff falls on a half hour."""
    spans = [h for r in tariff.holiday_rules for h in r.hours]
    spans += [h for r in tariff.date_rules for h in r.hours]
    if tariff.critical_peak_trigger is not None:
        spans += list(tariff.critical_peak_trigger.hours)
    return any(s.has_half_hours for s in tariff.seasons) or any(a % 1 or b % 1 for a, b in spans)


def half_hour_index(index: pd.DatetimeIndex) -> tuple[pd.DatetimeIndex, int]:
    """The index split into half-hour rows, and the rows per original interval (1 if finer)."""
    dt_h = interval_hours(index)
    k = round(dt_h * SLOTS_PER_HOUR)
    if k <= 1:
        return index, 1
    if abs(k - dt_h * SLOTS_PER_HOUR) > 1e-9:
        raise PeakzeroError(
            f"interval of {dt_h} h is not a whole number of half hours", field="index"
        )
    step = pd.Timedelta(minutes=60 // SLOTS_PER_HOUR)
    offsets = np.tile(np.arange(k) * step.value, len(index))
    fine = pd.DatetimeIndex(np.repeat(index.as_unit("ns").asi8, k) + offsets, tz="UTC")
    fine = fine.tz_convert(index.tz) if index.tz is not None else fine.tz_localize(None)
    return fine, k


def _per_interval(name: str, values: np.ndarray | None, n: int) -> np.ndarray | None:
    """An hourly series (8760) repeated onto a finer index of n rows, or n values as they are."""
    if values is None:
        return None
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size == n:
        return arr
    if arr.size and n % arr.size == 0:
        return np.repeat(arr, n // arr.size)
    raise PeakzeroError(
        f"{name} has {arr.size} values for {n} intervals; give one per interval or one per hour",
        field=name,
    )


def _holiday_block_days(dates: pd.DatetimeIndex) -> np.ndarray:
    """Days in the run of consecutive statutory days off each date belongs to (0 if none)."""
    days = pd.date_range(dates.min() - pd.Timedelta(days=12), dates.max() + pd.Timedelta(days=12))
    off = day_types(days) == "holiday"
    run_id = np.cumsum(np.r_[True, off[1:] != off[:-1]])
    lengths = np.bincount(run_id)[run_id] * off
    return np.asarray(pd.Series(lengths, index=days).reindex(dates).to_numpy(), dtype=np.int64)


def trigger_days(tariff: Tariff, index: pd.DatetimeIndex, temp_air_c: np.ndarray) -> np.ndarray:
    """Whether each interval falls on a temperature-triggered critical-peak day.

    Daily maximum of ``temp_air_c`` [deg C] per local calendar day; a day triggers when it and
    the ``consecutive_days - 1`` days before it all reach ``temp_air_min_c`` (see
    :class:`~peakzero.tariff.CriticalPeakTrigger`) and its month is a trigger month.

    >>> from peakzero.tariff import load_tariff
    >>> idx = pd.date_range("2025-05-01", periods=72, freq="h", tz="Etc/GMT-8")
    >>> hot = np.r_[np.full(24, 30.0), np.full(48, 36.0)]
    >>> gd, sc = load_tariff("guangdong_2021_two_part"), load_tariff("sichuan_2025_two_part")
    >>> trigger_days(gd, idx, hot)[::24].tolist(), trigger_days(sc, idx, hot)[::24].tolist()
    ([False, True, True], [False, False, False])
    """
    trig = tariff.critical_peak_trigger
    out = np.zeros(len(index), dtype=bool)
    if trig is None or len(index) == 0:
        return out
    temp = _per_interval("temp_air_c", temp_air_c, len(index))
    assert temp is not None
    clock = local_clock(index)
    dates = clock.normalize()
    daily_max = pd.Series(temp).groupby(np.asarray(dates)).max()
    full = daily_max.reindex(pd.date_range(daily_max.index.min(), daily_max.index.max()))
    hot = (full >= trig.temp_air_min_c).to_numpy()  # a missing day (NaN) breaks a run
    day = np.arange(len(hot))
    last_cool = np.maximum.accumulate(np.where(hot, -1, day))
    run = day - last_cool  # hot days running up to and including each day
    on = pd.Series(run >= trig.consecutive_days, index=full.index)
    on_interval = on.reindex(dates).to_numpy(dtype=bool)
    return on_interval & np.isin(np.asarray(clock.month), trig.months)


def _in_spans(slot: np.ndarray, spans: tuple[tuple[float, float], ...]) -> np.ndarray:
    inside = np.zeros(len(slot), dtype=bool)
    for start, end in spans:
        inside |= (slot >= round(start * SLOTS_PER_HOUR)) & (slot < round(end * SLOTS_PER_HOUR))
    return inside


def _period_codes(
    tariff: Tariff, index: pd.DatetimeIndex, temp_air_c: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Period code (index into PERIODS) and season number at the start of every interval."""
    clock = local_clock(index)
    month = np.asarray(clock.month)
    slot = np.asarray(clock.hour) * SLOTS_PER_HOUR + np.asarray(clock.minute) * SLOTS_PER_HOUR // 60
    codes = np.full(len(clock), -1, dtype=np.int8)
    season_no = np.full(len(clock), -1, dtype=np.int8)
    for k, season in enumerate(tariff.seasons):
        in_season = np.isin(month, season.months)
        table = np.array([PERIODS.index(p) for p in season.slot_periods], dtype=np.int8)
        codes[in_season] = table[slot[in_season]]
        season_no[in_season] = k
    if tariff.critical_peak_trigger is not None and temp_air_c is not None:
        hot = trigger_days(tariff, index, temp_air_c)
        hours = _in_spans(slot, tariff.critical_peak_trigger.hours)
        codes[hot & hours] = PERIODS.index("critical_peak")
    if tariff.date_rules:
        month_day = month * 100 + np.asarray(clock.day)
        for drule in tariff.date_rules:
            start, end = (int(x.replace("-", "")) for x in (drule.start, drule.end))
            in_dates = (
                (month_day >= start) & (month_day <= end)
                if start <= end
                else (month_day >= start) | (month_day <= end)
            )
            codes[in_dates & _in_spans(slot, drule.hours)] = PERIODS.index(drule.period)
    if tariff.holiday_rules and len(clock):
        names = holiday_names(index)
        kinds = day_types(index)
        blocks = (
            _holiday_block_days(clock.normalize())
            if any(r.min_block_days > 1 for r in tariff.holiday_rules)
            else None
        )
        for rule in tariff.holiday_rules:
            on_day = np.zeros(len(clock), dtype=bool)
            if "all" in rule.holidays:
                on_day |= names != ""
            on_day |= np.isin(names, rule.holidays)
            if "weekend" in rule.holidays:
                on_day |= kinds == "weekend"
            if rule.min_block_days > 1:
                assert blocks is not None
                on_day &= (blocks >= rule.min_block_days) | (kinds == "weekend")
            if rule.months:
                on_day &= np.isin(month, rule.months)
            codes[on_day & _in_spans(slot, rule.hours)] = PERIODS.index(rule.period)
    return codes, season_no


def hourly_periods(
    tariff: Tariff, index: pd.DatetimeIndex, *, temp_air_c: np.ndarray | None = None
) -> np.ndarray:
    """TOU period name of every interval.

    Periods follow the local clock at the start of the interval (hour-beginning labels);
    holiday rules (e.g. Zhejiang's deep valley 10-14 on Spring Festival) override the season map,
    and a temperature trigger (given ``temp_air_c`` [deg C], one per interval or per hour) turns
    its hours to critical peak on hot days.

    Parameters
    ----------
    tariff
        The tariff.
    index
        Interval-beginning timestamps (hourly or sub-hourly), tz-aware or China clock time.
    temp_air_c
        Air temperature [deg C] for temperature-triggered critical peaks, or None.

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
    codes, _ = _period_codes(tariff, index, temp_air_c)
    out: np.ndarray = np.asarray(PERIODS, dtype=object)[codes]
    return out


def _price_table(tariff: Tariff) -> np.ndarray:
    """Multiplier [season, period] (NaN where a period has no multiplier)."""
    table = np.empty((len(tariff.seasons), len(PERIODS)))
    for k, season in enumerate(tariff.seasons):
        for j, period in enumerate(PERIODS):
            table[k, j] = season.multipliers.get(period, tariff.multipliers.get(period, np.nan))
    return table


def _flat_by_interval(tariff: Tariff, index: pd.DatetimeIndex) -> np.ndarray:
    month = np.asarray(local_clock(index).month)
    flat = np.array([tariff.flat_price(m) for m in range(1, 13)])
    out: np.ndarray = flat[month - 1]
    return out


def hourly_energy_price(
    tariff: Tariff, index: pd.DatetimeIndex, *, temp_air_c: np.ndarray | None = None
) -> np.ndarray:
    """Energy price [yuan/kWh] of every interval: the month's flat price x the period multiplier.

    Season-specific multipliers take precedence over the tariff's; the month's flat price is
    ``flat_price_by_month_yuan_per_kwh`` when the tariff gives one. An interval that the tariff
    splits at the half hour gets the mean of its half-hour prices.

    >>> from peakzero.tariff import load_tariff
    >>> t = load_tariff("jiangsu_2025_two_part", flat_price_yuan_per_kwh=0.6)
    >>> idx = pd.date_range("2025-07-01 00:00", periods=24, freq="h", tz="Etc/GMT-8")
    >>> [round(float(p), 4) for p in hourly_energy_price(t, idx)[[3, 8, 15]]]
    [0.21, 0.6, 1.08]
    """
    if len(index) and splits_hours(tariff):
        fine, k = half_hour_index(index)
        if k > 1:
            temp = _per_interval("temp_air_c", temp_air_c, len(index))
            fine_temp = None if temp is None else np.repeat(temp, k)
            fine_price = hourly_energy_price(tariff, fine, temp_air_c=fine_temp)
            mean: np.ndarray = fine_price.reshape(-1, k).mean(axis=1)
            return mean
    codes, season_no = _period_codes(tariff, index, temp_air_c)
    out: np.ndarray = _price_table(tariff)[season_no, codes] * _flat_by_interval(tariff, index)
    return out
