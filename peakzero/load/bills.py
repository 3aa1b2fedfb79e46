"""An hourly load from twelve monthly electricity bills, shaped by an archetype.

What most customers have is a year of bills: per month the kWh of each time-of-use period
(尖/峰/平/谷, sometimes 深谷) or only the total, and for two-part tariffs the maximum demand
(最大需量) [kW]. :func:`load_from_bills` takes the archetype's hourly shape on the plan year and

1. scales the hours of each (month, period) so they sum to the bill's kWh for that period
   (period hours from the tariff, :func:`peakzero.tariff.hourly_periods`); a month with only a
   total is scaled as a whole; a period the bill does not list (尖 on a bill of 峰/平/谷, 深谷 on
   one of 谷) is counted with its neighbour (峰, 谷);
2. where a maximum demand is given, reshapes that month so its highest hour equals it exactly,
   energy of every period unchanged: inside one (month, period) group ``v' = mean + k (v - mean)``
   (sum kept; ``k`` puts the group's highest hour at the demand), or, when that would make an
   hour negative, the highest hour set to the demand and the group's other hours scaled by one
   factor (sum kept). Groups whose highest hour exceeds the demand are flattened the same way.

The result reproduces every bill figure to float round-off. The billed maximum demand is a
15-minute mean; here it becomes the highest hourly mean, which is stated in the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError
from peakzero.load.archetypes import archetype_shape, year_index
from peakzero.load.table import parse_numbers, read_table_file
from peakzero.tariff import Tariff, hourly_periods, load_tariff

_PERIOD_NAMES = {
    "critical_peak": ("尖", "尖峰", "criticalpeak", "sharp"),
    "peak": ("峰", "高峰", "peak"),
    "flat": ("平", "平时", "flat", "shoulder", "normal"),
    "valley": ("谷", "低谷", "valley", "offpeak"),
    "deep_valley": ("深谷", "deepvalley"),
}
_TOTAL = ("总", "合计", "总计", "total", "energy", "", "用电", "consumption")
_DEMAND = ("最大需量", "需量", "maxdemand", "demand", "peakdemand", "最大负荷")
_MONTH = ("月份", "月", "month", "日期", "date", "账期", "period", "billingmonth")
_MERGE = {"critical_peak": "peak", "deep_valley": "valley"}
_ZH = {"critical_peak": "尖", "peak": "峰", "flat": "平", "valley": "谷", "deep_valley": "深谷"}
_MONTH_ABBR = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass(frozen=True)
class Bills:
    """Twelve months of bills: kWh per period (NaN where not given), total, max demand."""

    period_kwh: pd.DataFrame  # index month 1..12, columns PERIODS given
    total_kwh: np.ndarray  # (12,) the month's kWh (sum of periods, or the total column)
    max_demand_kw: np.ndarray  # (12,), NaN where not given
    notes: tuple[str, ...]


def _key(header: str) -> str:
    h = re.sub(r"[\(（\[【].*?[\)）\]】]", "", header.lower())
    for junk in ("电量", "用电量", "时段", "段", "kwh", "kw", "_", " ", "-", "(", ")"):
        h = h.replace(junk, "")
    return h


def _month(cell: str) -> int | None:
    c = cell.strip().lower()
    m = re.fullmatch(r"(?:\d{4}\s*[-/.年]\s*)?(\d{1,2})\s*月?(?:[-/.]\d{1,2})?(?:\s.*)?", c)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    for i, abbr in enumerate(_MONTH_ABBR):
        if c.startswith(abbr):
            return i + 1
    return None


def read_bills(path: Path | str, *, sheet: str | None = None) -> Bills:
    """Read ``bills.csv`` (or ``.xlsx``): one row per month, kWh per period or a total.

    Columns (Chinese or English, units in brackets ignored): a month (``1``..``12``,
    ``2025-01``, ``1月``, ``Jan``), kWh per period (``尖``, ``峰``, ``平``, ``谷``, ``深谷`` or
    ``critical_peak``, ``peak``, ``flat``, ``valley``, ``deep_valley``) and/or ``total``
    (``合计``, ``用电量``), and optionally ``max_demand_kw`` (``最大需量``).

    Raises
    ------
    PeakzeroError
        Missing or repeated months, unknown columns, negative or non-numeric figures, a total
        that disagrees with the sum of the periods by more than 0.1 kWh.
    """
    path = Path(path)
    what = f"bills file {str(path)!r}"
    if not path.exists():
        raise PeakzeroError(f"{what} does not exist", field="bills")
    table = read_table_file(path, what=what, sheet=sheet)
    header = [_key(h) for h in table.header]
    roles: dict[int, str] = {}
    for j, k in enumerate(header):
        role = next((p for p, names in _PERIOD_NAMES.items() if k in names), None)
        if role is None and k in _MONTH:
            role = "month"
        elif role is None and k in _DEMAND:
            role = "demand"
        elif role is None and k in _TOTAL:
            role = "total"
        if role is None:
            raise PeakzeroError(
                f"{what}: column {table.header[j]!r} is not known; give month, the kWh of "
                "尖/峰/平/谷 (critical_peak, peak, flat, valley) or total, and optionally "
                "max_demand_kw (最大需量)",
                field="bills",
            )
        if role in roles.values():
            raise PeakzeroError(f"{what}: two columns mean {role!r}", field="bills")
        roles[j] = role
    if "month" not in roles.values():
        raise PeakzeroError(f"{what}: no month column (month / 月份)", field="bills")
    energy_roles = [r for r in roles.values() if r in _PERIOD_NAMES or r == "total"]
    if not energy_roles:
        raise PeakzeroError(f"{what}: no kWh column (尖/峰/平/谷 or total)", field="bills")
    comma = "comma-separated" in table.notes
    cols = {r: [row[j] if j < len(row) else "" for row in table.rows] for j, r in roles.items()}
    months = [_month(c) for c in cols["month"]]
    bad = [cols["month"][i] for i, m in enumerate(months) if m is None]
    if bad:
        raise PeakzeroError(
            f"{what}: month {bad[0]!r} is not a month (1-12, 2025-01, 1月)", field="bills"
        )
    month_no = [m for m in months if m is not None]
    if sorted(month_no) != list(range(1, 13)):
        missing = sorted(set(range(1, 13)) - set(month_no))
        repeated = sorted({m for m in month_no if month_no.count(m) > 1})
        raise PeakzeroError(
            f"{what}: needs each month 1-12 once; missing {missing}, repeated {repeated}",
            field="bills",
        )
    order = np.argsort(np.asarray(month_no))
    values: dict[str, np.ndarray] = {}
    for role, cells in cols.items():
        if role == "month":
            continue
        nums, _ = parse_numbers(cells, delimiter_is_comma=comma, what=what)
        nums = nums[order]
        given = np.array([bool(c.strip()) for c in cells])[order]
        if np.any(given & ~np.isfinite(nums)) or np.any(nums[given] < 0):
            i = int(np.nonzero(given & (~np.isfinite(nums) | (nums < 0)))[0][0])
            raise PeakzeroError(
                f"{what}: {role} of month {i + 1} is not a kWh figure >= 0", field="bills"
            )
        values[role] = nums
    periods = [p for p in _PERIOD_NAMES if p in values]
    period_kwh = pd.DataFrame({p: values[p] for p in periods}, index=range(1, 13))
    notes = []
    if periods:
        sums = period_kwh.fillna(0.0).sum(axis=1).to_numpy()
        total = sums
        if "total" in values:
            t = values["total"]
            off = np.isfinite(t) & (np.abs(t - sums) > 0.1)
            if off.any():
                m = int(np.nonzero(off)[0][0]) + 1
                raise PeakzeroError(
                    f"{what}: month {m}: total {t[m - 1]:,.1f} kWh but the periods sum to "
                    f"{sums[m - 1]:,.1f} kWh; correct one of them",
                    field="bills",
                )
    else:
        total = values["total"]
        if not np.all(np.isfinite(total)):
            raise PeakzeroError(f"{what}: a month has no total kWh", field="bills")
    if total.sum() <= 0:
        raise PeakzeroError(f"{what}: the bills total 0 kWh", field="bills")
    demand = values.get("demand", np.full(12, np.nan))
    notes.append(
        f"{len(table.rows)} monthly bills, {total.sum():,.0f} kWh"
        + (f", kWh by period ({'/'.join(_ZH[p] for p in periods)})" if periods else ", totals only")
        + (", maximum demand" if np.isfinite(demand).any() else "")
    )
    return Bills(period_kwh, np.asarray(total, dtype=float), demand, tuple(notes))


def _reshape_to_peak(v: np.ndarray, target: float) -> np.ndarray:
    """Values with the same sum and their maximum at ``target`` (mean <= target <= sum)."""
    mean, top = v.mean(), v.max()
    if np.isclose(top, mean):  # a flat group: raise one hour, lower the rest evenly
        out = np.full_like(v, (v.sum() - target) / max(v.size - 1, 1))
        out[0] = target
        return out
    k = (target - mean) / (top - mean)
    out = np.asarray(mean + k * (v - mean), dtype=float)
    if out.min() >= 0.0:
        return out
    i = int(np.argmax(v))
    rest = v.sum() - v[i]
    out = v * ((v.sum() - target) / rest) if rest > 0 else np.zeros_like(v)
    out[i] = target
    return out


def _fit_demand(month_load: np.ndarray, groups: np.ndarray, demand: float, m: int) -> np.ndarray:
    """One month's hours with the highest at ``demand`` [kW], every group's sum kept."""
    if not np.isfinite(demand):
        return month_load
    out = month_load.copy()
    keys = sorted(set(groups))
    for p in keys:
        sel = groups == p
        v = out[sel]
        if v.mean() > demand * (1 + 1e-12):
            what = "the month's" if p == "total" else f"{_ZH.get(p, p)}"
            raise PeakzeroError(
                f"bills: month {m}: {what} kWh need a mean of {v.mean():,.1f} kW over "
                f"{sel.sum()} hours, above the maximum demand {demand:,.1f} kW; check the units "
                "(kW vs kWh) or the figures",
                field="bills",
            )
    top_group = max(keys, key=lambda p: float(out[groups == p].max()))
    for p in keys:
        sel = groups == p
        v = out[sel]
        if p == top_group:
            out[sel] = _reshape_to_peak(v, min(demand, v.sum()))
        elif v.max() > demand:
            out[sel] = _reshape_to_peak(v, demand)
    return out


def fit_bills(
    bills: Bills, shape: np.ndarray, periods: np.ndarray, month: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Scale an hourly ``shape`` to reproduce the bills (see the module docstring).

    Parameters
    ----------
    bills
        From :func:`read_bills`.
    shape
        Hourly archetype shape on the plan year (any positive scale).
    periods
        TOU period name of each hour (from the tariff).
    month
        Month 1..12 of each hour.

    Returns
    -------
    tuple
        ``(hourly kW, notes)``.
    """
    load = np.asarray(shape, dtype=float).copy()
    notes: list[str] = []
    billed = list(bills.period_kwh.columns)
    merged: set[str] = set()
    for m in range(1, 13):
        in_month = month == m
        row = bills.period_kwh.loc[m] if billed else None
        if row is None or row.isna().all():
            s = load[in_month].sum()
            load[in_month] *= bills.total_kwh[m - 1] / s if s > 0 else 0.0
            groups = np.full(int(in_month.sum()), "total", dtype=object)
            load[in_month] = _fit_demand(load[in_month], groups, bills.max_demand_kw[m - 1], m)
            continue
        groups = periods[in_month].astype(object).copy()
        for p in set(groups):
            if p not in billed or np.isnan(row[p]):
                to = _MERGE.get(p)
                if to is None or to not in billed:
                    raise PeakzeroError(
                        f"bills: month {m} has {_ZH[p]} ({p}) hours under the tariff but the bill "
                        f"gives no {_ZH[p]} kWh; give it (0 if none) or check the tariff",
                        field="bills",
                    )
                groups[groups == p] = to
                merged.add(f"{_ZH[p]} counted with {_ZH[to]}")
        month_load = load[in_month]
        row = row.copy()
        for p in billed:  # billed kWh of a period the tariff lacks this month go to its neighbour
            to = _MERGE.get(p)
            if row[p] > 0 and not (groups == p).any() and to is not None and (groups == to).any():
                row[to] = (0.0 if np.isnan(row.get(to, np.nan)) else row[to]) + row[p]
                row[p] = 0.0
                merged.add(
                    f"billed {_ZH[p]} counted as {_ZH[to]} (the tariff has no {_ZH[p]} hours)"
                )
        for p in row.index:
            kwh = row[p]
            if np.isnan(kwh):
                continue
            sel = groups == p
            if not sel.any():
                if kwh > 0:
                    raise PeakzeroError(
                        f"bills: month {m} gives {kwh:,.0f} kWh of {_ZH[p]} ({p}) but the tariff "
                        f"has no {_ZH[p]} hours in month {m}; check the tariff or the bill",
                        field="bills",
                    )
                continue
            s = month_load[sel].sum()
            month_load[sel] = month_load[sel] * (kwh / s) if s > 0 else kwh / sel.sum()
        load[in_month] = month_load
        load[in_month] = _fit_demand(month_load, groups, bills.max_demand_kw[m - 1], m)
    notes.append(
        "load from bills: archetype shape scaled per month and TOU period to the billed kWh"
        + ("; " + ", ".join(sorted(merged)) if merged else "")
    )
    if np.isfinite(bills.max_demand_kw).any():
        notes.append(
            "maximum demand reproduced as each month's highest hourly mean (the billed demand is "
            "a 15-minute mean, so the hourly peak here is at or above the real hourly peak)"
        )
    return load, notes


@dataclass(frozen=True)
class BillsLoad:
    """Hourly load fitted to bills, with the bills and the notes."""

    kw: pd.Series
    bills: Bills
    notes: tuple[str, ...]


def load_from_bills(
    path: Path | str,
    *,
    archetype: str,
    year: int,
    tariff: Tariff | str,
    sheet: str | None = None,
) -> BillsLoad:
    """Hourly load [kW] for ``year`` that reproduces a year of monthly bills.

    Parameters
    ----------
    path
        ``bills.csv`` / ``.xlsx`` (see :func:`read_bills`).
    archetype
        Shape inside each month and period (one of :data:`peakzero.load.ARCHETYPES`).
    year
        Plan year.
    tariff
        The site's tariff (name, file or :class:`~peakzero.tariff.Tariff`): its periods say
        which hours each period's kWh belong to.

    Returns
    -------
    BillsLoad
        ``kw``: hourly mean kW on an interval-beginning UTC+8 index; monthly kWh per period and
        maximum demand equal to the bills' (float round-off).
    """
    bills = read_bills(path, sheet=sheet)
    tariff = load_tariff(tariff) if isinstance(tariff, str) else tariff
    index = year_index(year)
    shape = archetype_shape(archetype, index)
    periods = np.asarray(hourly_periods(tariff, index))
    month = np.asarray(index.month)
    kw, notes = fit_bills(bills, shape, periods, month)
    return BillsLoad(
        kw=pd.Series(kw, index=index, name="load_kw"),
        bills=bills,
        notes=(*bills.notes, *notes),
    )
