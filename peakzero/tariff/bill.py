"""Monthly electricity bill by component: energy per TOU period, demand or capacity, export."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakzero.calendar import local_clock
from peakzero.errors import PeakzeroError
from peakzero.tariff.model import PERIODS, Tariff
from peakzero.tariff.periods import (
    _per_interval,
    _period_codes,
    half_hour_index,
    hourly_energy_price,
    interval_hours,
    splits_hours,
)

__all__ = ["EXPORT_LIMIT_TOL_KW", "Bill", "compute_bill", "interval_hours"]

EXPORT_LIMIT_TOL_KW = 1e-6
"""Export above the limit by more than this [kW] is an error (solver round-off passes)."""


@dataclass(frozen=True)
class Bill:
    """A year's bill.

    Attributes
    ----------
    monthly
        12 rows indexed by month 1-12; columns ``import_kwh``, ``export_kwh``, ``max_demand_kw``,
        ``energy_<period>_kwh`` and ``energy_<period>_yuan`` for every period,
        ``energy_yuan``, ``demand_yuan``, ``capacity_yuan``, ``export_credit_yuan`` and
        ``total_yuan`` (= energy + demand + capacity - export credit) [yuan].
    total_yuan
        Sum of the monthly totals [yuan].
    interval_minutes
        The meter interval the bill was computed on (15 for quarter-hour data): the demand
        charge bills each month's highest mean import over one such interval.
    notes
        What the bill could not apply (e.g. a temperature trigger without temperatures).
    """

    monthly: pd.DataFrame
    total_yuan: float
    interval_minutes: float = 60.0
    notes: tuple[str, ...] = ()


def _as_kw(name: str, values: np.ndarray | None, n: int) -> np.ndarray:
    if values is None:
        return np.zeros(n)
    arr = np.asarray(values, dtype=float)
    if arr.shape != (n,):
        raise PeakzeroError(
            f"{name} has shape {arr.shape}; expected ({n},) like the index", field=name
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < -EXPORT_LIMIT_TOL_KW):
        raise PeakzeroError(f"{name} must be finite and >= 0 [kW]", field=name)
    clipped: np.ndarray = np.clip(arr, 0.0, None)
    return clipped


def compute_bill(
    tariff: Tariff,
    index: pd.DatetimeIndex,
    grid_import_kw: np.ndarray,
    grid_export_kw: np.ndarray | None = None,
    *,
    temp_air_c: np.ndarray | None = None,
    price_yuan_per_kwh: np.ndarray | None = None,
) -> Bill:
    """Bill a year of grid import (and export) under a tariff.

    Interval energy = kW x interval hours. Energy is priced by TOU period
    (:func:`~peakzero.tariff.hourly_energy_price`). The demand charge applies to each month's
    maximum interval-mean import [kW], as Chinese grid companies bill it on the meter's
    interval: give 15-minute data and the month's highest quarter-hour is billed (an hourly
    index gives the hourly mean, which understates it). The capacity charge is transformer kVA x
    rate in every month that has data. Export earns ``export_price_yuan_per_kwh``; export above
    ``export_limit_kw`` raises an error. Hours that the tariff splits at the half hour are
    billed on half-hour rows with the interval's mean power.

    Parameters
    ----------
    tariff
        The tariff.
    index
        Regular interval-beginning timestamps of one calendar year (or part of one).
    grid_import_kw, grid_export_kw
        Mean power over each interval [kW], >= 0.
    temp_air_c
        Air temperature [deg C] (one per interval, or one per hour on a finer index), for a
        tariff with a temperature-triggered critical peak; e.g. the site's weather ``temp_air``.
    price_yuan_per_kwh
        Energy price of every interval [yuan/kWh] replacing the tariff's time-of-use prices:
        the user's market price series where the spread is market-formed (Gansu, Ningxia).
        Periods still label the energy; demand, capacity and export are billed as usual.

    Returns
    -------
    Bill
        Monthly components and the total [yuan].
    """
    n = len(index)
    imp = _as_kw("grid_import_kw", grid_import_kw, n)
    exp = _as_kw("grid_export_kw", grid_export_kw, n)
    if n == 0:
        raise PeakzeroError("the time index is empty", field="index")
    dt_h = interval_hours(index)
    temp = _per_interval("temp_air_c", temp_air_c, n)
    given_price = _per_interval("price_yuan_per_kwh", price_yuan_per_kwh, n)
    if given_price is not None and (
        not np.all(np.isfinite(given_price)) or np.any(given_price < -5) or np.any(given_price > 10)
    ):
        raise PeakzeroError(
            "price_yuan_per_kwh must be finite and within -5..10 yuan/kWh",
            field="price_yuan_per_kwh",
        )
    notes: list[str] = []
    if tariff.critical_peak_trigger is not None and temp is None:
        notes.append(
            f"{tariff.name}: no temperature series given, so the temperature-triggered critical "
            "peak (hot days outside the fixed months) was not applied"
        )
    if tariff.market_formed and given_price is None:
        notes.append(
            f"{tariff.name}: the spread is market-formed; the bill used the file's default "
            "multipliers, give the market price series for the real figure"
        )
    interval_minutes = dt_h * 60.0
    if splits_hours(tariff):
        fine, k = half_hour_index(index)
        if k > 1:  # same mean power in each half: energy splits, the maximum is unchanged
            index, imp, exp = fine, np.repeat(imp, k), np.repeat(exp, k)
            temp = None if temp is None else np.repeat(temp, k)
            given_price = None if given_price is None else np.repeat(given_price, k)
            dt_h /= k
    clock = local_clock(index)
    if clock.year.min() != clock.year.max():
        raise PeakzeroError(
            f"the index spans {clock.year.min()}-{clock.year.max()}; bill one calendar year "
            "at a time",
            field="index",
        )
    limit = tariff.export_limit_kw
    if limit is not None and np.any(exp > limit + EXPORT_LIMIT_TOL_KW):
        first = int(np.argmax(exp > limit + EXPORT_LIMIT_TOL_KW))
        raise PeakzeroError(
            f"grid export {exp[first]:.3f} kW at {index[first]} exceeds the tariff's "
            f"export_limit_kw = {limit} ({'zero export' if limit == 0 else 'cap'}); curtail PV or "
            "raise the limit",
            field="grid_export_kw",
        )
    month = np.asarray(clock.month)
    codes, _ = _period_codes(tariff, index, temp)
    price = (
        hourly_energy_price(tariff, index, temp_air_c=temp) if given_price is None else given_price
    )
    imp_kwh = imp * dt_h
    exp_kwh = exp * dt_h

    months = pd.RangeIndex(1, 13, name="month")
    frame = pd.DataFrame(index=months)

    def monthly_sum(values: np.ndarray) -> np.ndarray:
        return np.bincount(month, weights=values, minlength=13)[1:]

    frame["import_kwh"] = monthly_sum(imp_kwh)
    frame["export_kwh"] = monthly_sum(exp_kwh)
    max_kw = np.zeros(13)
    np.maximum.at(max_kw, month, imp)
    frame["max_demand_kw"] = max_kw[1:]
    for j, period in enumerate(PERIODS):
        sel = codes == j
        frame[f"energy_{period}_kwh"] = monthly_sum(np.where(sel, imp_kwh, 0.0))
    energy_cols = []
    for j, period in enumerate(PERIODS):
        sel = codes == j
        col = f"energy_{period}_yuan"
        frame[col] = monthly_sum(np.where(sel, imp_kwh * price, 0.0))
        energy_cols.append(col)
    frame["energy_yuan"] = frame[energy_cols].sum(axis=1)
    has_data = np.bincount(month, minlength=13)[1:] > 0
    demand_rate = tariff.demand_charge_yuan_per_kw_month or 0.0
    frame["demand_yuan"] = frame["max_demand_kw"] * demand_rate
    capacity_rate = tariff.capacity_charge_yuan_per_kva_month or 0.0
    kva = tariff.transformer_kva or 0.0
    frame["capacity_yuan"] = np.where(has_data, capacity_rate * kva, 0.0)
    frame["export_credit_yuan"] = frame["export_kwh"] * tariff.export_price_yuan_per_kwh
    frame["total_yuan"] = (
        frame["energy_yuan"]
        + frame["demand_yuan"]
        + frame["capacity_yuan"]
        - frame["export_credit_yuan"]
    )
    return Bill(
        monthly=frame,
        total_yuan=float(frame["total_yuan"].sum()),
        interval_minutes=interval_minutes,
        notes=tuple(notes),
    )
