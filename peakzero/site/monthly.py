"""Energy and money by month: the energy balance, the bill per component, the demand change.

Pure functions on the hourly flows of a dispatch (:data:`peakzero.optimize.FLOWS` names) and on
the :class:`peakzero.tariff.Bill` objects the tariff engine returns; the annual figures are the
sums of the twelve months (:func:`with_total`), so monthly and annual tables agree exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from peakzero.calendar import local_clock
from peakzero.errors import PeakzeroError
from peakzero.tariff import Bill
from peakzero.tariff.model import PERIODS

#: Columns of :func:`monthly_energy_balance` [kWh].
BALANCE_COLUMNS: tuple[str, ...] = (
    "load_kwh",
    "pv_kwh",
    "pv_self_consumed_kwh",
    "pv_to_load_kwh",
    "pv_to_battery_kwh",
    "pv_exported_kwh",
    "pv_curtailed_kwh",
    "grid_import_kwh",
    "grid_to_battery_kwh",
    "battery_discharge_kwh",
    "battery_exported_kwh",
)

#: Bill components compared by :func:`monthly_bill_comparison` (columns of ``Bill.monthly``).
BILL_COMPONENTS: tuple[str, ...] = (
    *(f"energy_{p}_yuan" for p in PERIODS),
    "energy_yuan",
    "demand_yuan",
    "capacity_yuan",
    "export_credit_yuan",
    "total_yuan",
)


def _months(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(local_clock(index).month, dtype=np.int64)


def _dt_hours(index: pd.DatetimeIndex) -> float:
    if len(index) < 2:
        raise PeakzeroError("the time index needs at least two steps", field="index")
    return float((index[1] - index[0]) / pd.Timedelta(hours=1))


def monthly_energy_balance(
    index: pd.DatetimeIndex,
    load_kw: np.ndarray,
    pv_available_kw: np.ndarray,
    flows: Mapping[str, np.ndarray],
) -> pd.DataFrame:
    """Monthly energy balance [kWh], rows 1-12 (China Standard Time months).

    Parameters
    ----------
    index
        Regular interval-beginning labels of one year.
    load_kw, pv_available_kw
        Load and PV output available [kW], (T,).
    flows
        Dispatch flows [kW] by name: ``pv_to_load``, ``pv_to_batt``, ``pv_to_grid``,
        ``pv_curtailed``, ``grid_to_load``, ``grid_to_batt``, ``batt_to_load``, ``batt_to_grid``.

    Returns
    -------
    pandas.DataFrame
        :data:`BALANCE_COLUMNS`; ``pv_self_consumed_kwh`` = PV to load + PV to battery, and
        ``pv_kwh`` = self-consumed + exported + curtailed in every month.
    """
    n = len(index)
    for name, values in (("load_kw", load_kw), ("pv_available_kw", pv_available_kw)):
        if np.shape(values) != (n,):
            raise PeakzeroError(f"{name} has shape {np.shape(values)}; expected ({n},)", field=name)
    missing = [
        k
        for k in ("pv_to_load", "pv_to_batt", "pv_to_grid", "pv_curtailed", "grid_to_load")
        if k not in flows
    ]
    if missing:
        raise PeakzeroError(f"flows lack {', '.join(missing)}", field="flows")
    zeros = np.zeros(n)
    month = _months(index)
    dt = _dt_hours(index)

    def per_month(kw: np.ndarray) -> np.ndarray:
        return np.bincount(month, weights=np.asarray(kw, dtype=float) * dt, minlength=13)[1:]

    f = {k: np.asarray(flows.get(k, zeros), dtype=float) for k in (
        "pv_to_load", "pv_to_batt", "pv_to_grid", "pv_curtailed", "grid_to_load", "grid_to_batt",
        "batt_to_load", "batt_to_grid",
    )}  # fmt: skip
    frame = pd.DataFrame(index=pd.RangeIndex(1, 13, name="month"))
    frame["load_kwh"] = per_month(load_kw)
    frame["pv_kwh"] = per_month(pv_available_kw)
    frame["pv_to_load_kwh"] = per_month(f["pv_to_load"])
    frame["pv_to_battery_kwh"] = per_month(f["pv_to_batt"])
    frame["pv_self_consumed_kwh"] = frame["pv_to_load_kwh"] + frame["pv_to_battery_kwh"]
    frame["pv_exported_kwh"] = per_month(f["pv_to_grid"])
    frame["pv_curtailed_kwh"] = per_month(f["pv_curtailed"])
    frame["grid_import_kwh"] = per_month(f["grid_to_load"] + f["grid_to_batt"])
    frame["grid_to_battery_kwh"] = per_month(f["grid_to_batt"])
    frame["battery_discharge_kwh"] = per_month(f["batt_to_load"] + f["batt_to_grid"])
    frame["battery_exported_kwh"] = per_month(f["batt_to_grid"])
    return frame[list(BALANCE_COLUMNS)]


def with_total(frame: pd.DataFrame, label: str = "total") -> pd.DataFrame:
    """``frame`` with a last row ``label`` holding the column sums (the annual figures)."""
    total = frame.sum(axis=0, numeric_only=True).to_frame().T
    total.index = pd.Index([label], name=frame.index.name)
    out = pd.concat([frame.astype(float), total])
    return out


def monthly_bill_comparison(bill_before: Bill, bill_after: Bill) -> pd.DataFrame:
    """Bill per month and component before and after, and the saving [yuan], rows 1-12.

    Columns ``<component>_before_yuan``, ``<component>_after_yuan`` and
    ``<component>_saving_yuan`` (before - after; for the export credit, after - before, i.e.
    the credit gained) for every component of :data:`BILL_COMPONENTS` (``<component>`` without
    its ``_yuan``). ``total_saving_yuan`` = sum of the component savings.
    """
    before, after = bill_before.monthly, bill_after.monthly
    frame = pd.DataFrame(index=pd.RangeIndex(1, 13, name="month"))
    for col in BILL_COMPONENTS:
        stem = col.removesuffix("_yuan")
        b = before[col].to_numpy(dtype=float) if col in before else np.zeros(12)
        a = after[col].to_numpy(dtype=float) if col in after else np.zeros(12)
        frame[f"{stem}_before_yuan"] = b
        frame[f"{stem}_after_yuan"] = a
        frame[f"{stem}_saving_yuan"] = (a - b) if col == "export_credit_yuan" else (b - a)
    return frame


def demand_change(
    index: pd.DatetimeIndex,
    load_kw: np.ndarray,
    import_before_kw: np.ndarray,
    import_after_kw: np.ndarray,
    grid_to_battery_kw: np.ndarray,
    demand_charge_yuan_per_kw_month: float,
) -> pd.DataFrame:
    """Why the demand charge changes, month by month.

    For every month: the maximum import before and after [kW] and when it occurs (China
    Standard Time), the load and the battery's grid charging at the new maximum [kW], the change
    [kW] and its cost at the demand rate [yuan]. A battery that charges from the grid in valley
    hours can set a new, higher monthly maximum: then ``grid_to_battery_at_peak_kw`` is > 0 and
    ``load_at_peak_kw + grid_to_battery_at_peak_kw`` (less PV and discharge) is the new peak.

    Returns
    -------
    pandas.DataFrame
        Rows 1-12: ``peak_before_kw``, ``peak_before_time``, ``peak_after_kw``,
        ``peak_after_time``, ``load_at_peak_kw``, ``grid_to_battery_at_peak_kw``,
        ``change_kw``, ``change_yuan`` (after - before; positive = the charge rises).
    """
    month = _months(index)
    local = local_clock(index)
    rows: list[dict[str, object]] = []
    for m in range(1, 13):
        sel = np.flatnonzero(month == m)
        if sel.size == 0:
            rows.append({"month": m})
            continue
        i_before = sel[int(np.argmax(import_before_kw[sel]))]
        i_after = sel[int(np.argmax(import_after_kw[sel]))]
        change = float(import_after_kw[i_after] - import_before_kw[i_before])
        rows.append(
            {
                "month": m,
                "peak_before_kw": float(import_before_kw[i_before]),
                "peak_before_time": local[i_before].strftime("%m-%d %H:%M"),
                "peak_after_kw": float(import_after_kw[i_after]),
                "peak_after_time": local[i_after].strftime("%m-%d %H:%M"),
                "load_at_peak_kw": float(load_kw[i_after]),
                "grid_to_battery_at_peak_kw": float(grid_to_battery_kw[i_after]),
                "change_kw": change,
                "change_yuan": change * demand_charge_yuan_per_kw_month,
            }
        )
    return pd.DataFrame(rows).set_index("month")
