"""Fast sizing for one building: pure numpy on the hourly year (or on weighted representative days).

PV alone (no battery), exact
----------------------------
With the battery at zero, the site LP (:mod:`peakzero.optimize`) reduces to one variable, the PV
size ``k`` [kWp]: in each interval PV first serves the load, the surplus is exported up to the
limit (credited at ``x_t = min(export price, import price)``) and the rest curtailed, so

``f(k) = c_pv k + pwf_b [ sum_t w_t dt p_t (L_t - g_t k)^+
                        - sum_t w_t dt x_t min((g_t k - L_t)^+, X)
                        + D sum_m max_{t in m} (L_t - g_t k)^+ ]``

(``g_t`` the levelised PV output per kWp, ``p_t`` the import price, ``w_t`` the interval weight,
``X`` the export limit, ``D`` the demand charge, ``c_pv`` capex plus O&M in present worth).
Each term is convex in ``k`` (a positive part of an affine function, a negative min of affine
functions, a max of convex functions), so ``f`` is convex and piecewise linear; :func:`pv_only_size`
minimises it on ``[k_min, k_max]``: exactly, at a breakpoint found by one sort, without a demand
charge (:func:`_pv_only_breakpoint`); with one, by grid refinement (argmin of a convex function
on a grid brackets the minimiser between its neighbours) to a relative width of ``1e-7`` of the
roof maximum: the LP's optimum without a battery, to that tolerance.

Battery screen, a bound
-----------------------
:func:`battery_can_pay` bounds the value of any battery at the PV optimum. Every discharged kWh
displaces at most the dearest marginal energy value of its day ``max_t m_t`` (``m_t`` is the
import price where the site imports, the export credit where it exports, 0 where PV is
curtailed) and needs ``1 / eta`` kWh charged at no less than the year's cheapest ``m``; a battery of
``E`` kWh discharges at most ``C x (soc_max - soc_min) x E`` a day (cycle limit ``C``) and cuts a
monthly peak by at most its power ``P``. So a year's value is at most ``A E + 12 D P`` and if
``pwf_b A`` is below the cost of a kWh and ``pwf_b 12 D`` below the cost of a kW, no battery
pays (the value is concave and zero at zero). Other buildings are sized with the battery by the
site LP on representative days (:func:`representative_days`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Grid points per refinement step of :func:`pv_only_size`.
GRID_POINTS = 33
#: Width of the final bracket, relative to the roof maximum [-].
SEARCH_RTOL = 1e-7


@dataclass(frozen=True)
class PVOnlyCase:
    """The arrays and prices of a PV-alone sizing (all per interval, shape (T,)).

    Parameters
    ----------
    load_kw
        Load [kW].
    pv_kw_per_kwp
        Levelised PV output per kWp [kW/kWp] (year-1 output x levelisation factor).
    price_yuan_per_kwh
        Import price [yuan/kWh].
    export_credit_yuan_per_kwh
        Export credit [yuan/kWh] (0 under zero export).
    weight
        Days each interval stands for (1 on the full year) [-].
    month
        Month (0-11) of each interval, for the demand charge.
    export_limit_kw
        Export limit [kW] (``inf`` unlimited, 0 zero export).
    demand_charge_yuan_per_kw_month
        Demand charge [yuan/kW-month].
    pv_cost_yuan_per_kwp
        Capex plus O&M in present worth [yuan/kWp].
    pwf_bill
        Present-worth factor of a yearly bill [-].
    dt_hours
        Interval length [h].
    """

    load_kw: FloatArray
    pv_kw_per_kwp: FloatArray
    price_yuan_per_kwh: FloatArray
    export_credit_yuan_per_kwh: FloatArray
    weight: FloatArray
    month: IntArray
    export_limit_kw: float
    demand_charge_yuan_per_kw_month: float
    pv_cost_yuan_per_kwp: float
    pwf_bill: float
    dt_hours: float = 1.0


def pv_only_cost_yuan(case: PVOnlyCase, kwp: FloatArray) -> FloatArray:
    """Lifecycle cost ``f(k)`` of the module docstring for each size in ``kwp`` [yuan], shape (K,).

    Constant terms (fixed charges) are left out; they do not move the optimum.
    """
    k = np.asarray(kwp, dtype=float)[None, :]
    net = case.load_kw[:, None] - case.pv_kw_per_kwp[:, None] * k  # (T, K)
    imp = np.maximum(net, 0.0)
    exp = np.minimum(np.maximum(-net, 0.0), case.export_limit_kw)
    w_dt = (case.weight * case.dt_hours)[:, None]
    energy = (w_dt * case.price_yuan_per_kwh[:, None] * imp).sum(axis=0)
    credit = (w_dt * case.export_credit_yuan_per_kwh[:, None] * exp).sum(axis=0)
    cost = case.pv_cost_yuan_per_kwp * k[0] + case.pwf_bill * (energy - credit)
    if case.demand_charge_yuan_per_kw_month > 0.0:
        peaks = np.zeros_like(cost)
        for m in np.unique(case.month):
            peaks += imp[case.month == m].max(axis=0)
        cost = cost + case.pwf_bill * case.demand_charge_yuan_per_kw_month * peaks
    return np.asarray(cost, dtype=float)


def pv_only_size(case: PVOnlyCase, low_kwp: float, high_kwp: float) -> float:
    """The PV size minimising :func:`pv_only_cost_yuan` on ``[low_kwp, high_kwp]`` [kWp].

    Examples
    --------
    A flat 1 kW load all year, PV giving 0.5 kW/kWp in half the hours, import 1 yuan/kWh, no
    export credit, PV costing 1000 yuan/kWp in present worth over a bill factor of 10: each kWp
    up to 2 saves 0.5 x 4380 x 10 = 21,900 yuan, beyond 2 kWp nothing, so 2 kWp.

    >>> t = 8760
    >>> case = PVOnlyCase(np.ones(t), np.tile([0.5, 0.0], t // 2), np.ones(t), np.zeros(t),
    ...     np.ones(t), np.zeros(t, dtype=np.int64), 0.0, 0.0, 1000.0, 10.0)
    >>> round(pv_only_size(case, 0.0, 10.0), 6)
    2.0
    """
    lo, hi = float(low_kwp), float(high_kwp)
    if hi <= lo:
        return lo
    if case.demand_charge_yuan_per_kw_month <= 0.0:
        return _pv_only_breakpoint(case, lo, hi)
    tol = SEARCH_RTOL * max(hi, 1.0)
    while hi - lo > tol:
        grid = np.linspace(lo, hi, GRID_POINTS)
        cost = pv_only_cost_yuan(case, grid)
        i = int(np.argmin(cost))
        # ties (a flat stretch): keep the smallest size, as the LP's simplex vertex usually does
        lo, hi = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, GRID_POINTS - 1)])
    cost = pv_only_cost_yuan(case, np.array([lo, hi]))
    return lo if cost[0] <= cost[1] else hi


def _pv_only_breakpoint(case: PVOnlyCase, lo: float, hi: float) -> float:
    """Exact smallest minimiser of ``f`` on ``[lo, hi]`` without a demand charge [kWp].

    ``f`` is then a sum of hinge functions of ``k``: its right derivative is
    ``c_pv - pwf_b sum_t [e_t 1(k < b2_t) + (a_t - e_t) 1(k < b1_t)]`` with
    ``a_t = w_t dt p_t g_t`` (the saving of a kWp while importing), ``e_t = w_t dt x_t g_t``
    (its credit while exporting under the limit), ``b1_t = L_t / g_t`` (PV covers the load)
    and ``b2_t = (L_t + X) / g_t`` (export reaches the limit). The derivative is a
    non-decreasing step function (``x_t <= p_t``), so the smallest minimiser is ``lo`` or the
    first breakpoint where it turns non-negative, found in one sort: the LP's vertex.
    """
    g, load = case.pv_kw_per_kwp, case.load_kw
    w_dt = case.weight * case.dt_hours
    a = w_dt * case.price_yuan_per_kwh * g
    e = w_dt * case.export_credit_yuan_per_kwh * g
    sunny = g > 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        b1 = np.where(sunny, load / g, np.inf)
        b2 = np.where(sunny, (load + case.export_limit_kw) / g, np.inf)
    points = np.concatenate([b1, b2])
    drops = np.concatenate([np.where(sunny, a - e, 0.0), np.where(sunny, e, 0.0)])
    alive = points > lo  # breakpoints at or below lo are passed already at k = lo
    points, drops = points[alive], drops[alive]
    order = np.argsort(points, kind="stable")
    points, drops = points[order], drops[order]
    # saving slope right of each breakpoint: what is left after passing it and all before
    left = float(drops.sum()) - np.cumsum(drops)
    slope = case.pv_cost_yuan_per_kwp - case.pwf_bill * np.concatenate([[float(drops.sum())], left])
    at = np.concatenate([[lo], points])
    turn = int(np.argmax(slope >= 0.0)) if np.any(slope >= 0.0) else at.size - 1
    return float(min(max(at[turn], lo), hi))


def pv_only_flows(case: PVOnlyCase, kwp: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Import, export and curtailment [kW] of PV size ``kwp`` without a battery, shape (T,) each."""
    pv = case.pv_kw_per_kwp * kwp
    net = case.load_kw - pv
    imp = np.maximum(net, 0.0)
    surplus = np.maximum(-net, 0.0)
    exp = np.minimum(surplus, case.export_limit_kw)
    return imp, exp, surplus - exp


def battery_value_bound_per_kwh(
    discharge_value_yuan_per_kwh: FloatArray,
    charge_cost_yuan_per_kwh: FloatArray,
    day: IntArray,
    weight: FloatArray,
    *,
    round_trip_efficiency: float,
    cycles_per_day: float,
    soc_window: float,
) -> float:
    """Upper bound on a year's arbitrage value of 1 kWh of battery [yuan/kWh/year].

    ``sum_days w_d C s (max_{t in d} v_t - min_t c_t / eta)^+`` with ``v_t`` the value of a kWh
    discharged and ``c_t`` the cost of a kWh charged in interval ``t`` (module docstring).

    >>> m = np.array([0.2, 1.0, 0.2, 1.0])
    >>> round(battery_value_bound_per_kwh(m, m, np.array([0, 0, 1, 1]), np.ones(4),
    ...     round_trip_efficiency=0.8, cycles_per_day=1.0, soc_window=1.0), 6)
    1.5
    """
    floor = float(charge_cost_yuan_per_kwh.min()) / round_trip_efficiency
    days, where = np.unique(day, return_inverse=True)
    top = np.full(days.size, -np.inf)
    np.maximum.at(top, where, discharge_value_yuan_per_kwh)
    w = np.zeros(days.size)
    w[where] = weight
    gain = np.maximum(top - floor, 0.0)
    return float(np.sum(w * cycles_per_day * soc_window * gain))


def marginal_values(
    case: PVOnlyCase, kwp: float, tol_kw: float = 1e-9
) -> tuple[FloatArray, FloatArray]:
    """Value of a kWh discharged and cost of a kWh charged per interval at PV size ``kwp``
    [yuan/kWh] (no battery): importing, a discharged kWh saves the import price; with a PV
    surplus it is exported (export credit) or curtailed (0). Charging takes import at the price
    where there is no surplus, else surplus PV that would be exported (credit) or curtailed (0).
    """
    net = case.load_kw - case.pv_kw_per_kwp * kwp
    surplus = np.maximum(-net, 0.0)
    at_limit = surplus >= case.export_limit_kw - tol_kw
    spill = np.where(at_limit, 0.0, case.export_credit_yuan_per_kwh)
    value = np.where(net > tol_kw, case.price_yuan_per_kwh, spill)
    cost = np.where(net >= -tol_kw, case.price_yuan_per_kwh, spill)
    return np.asarray(value, dtype=float), np.asarray(cost, dtype=float)


@dataclass(frozen=True)
class RepresentativeDays:
    """Days standing for the year, each for the same number of days.

    ``picked`` holds the day numbers kept (0-based, calendar order), ``days_each`` how many days
    each stands for (the year's days over the number picked).
    """

    picked: IntArray
    days_each: float
    steps: int

    @property
    def weight(self) -> FloatArray:
        """Days each representative day stands for, shape (D,)."""
        return np.full(self.picked.size, self.days_each)

    def reduce(self, series: FloatArray) -> FloatArray:
        """The picked days of an interval series, concatenated, shape (D x steps,)."""
        days = np.asarray(series).reshape(-1, self.steps)
        return np.asarray(days[self.picked].ravel())

    def interval_weight(self) -> FloatArray:
        """Weight of every interval of the reduced series [days]."""
        return np.repeat(self.weight, self.steps)


def representative_days(n_days: int, *, block_days: int = 5, steps: int = 24) -> RepresentativeDays:
    """One real day out of every block of ``block_days`` consecutive days, the weekday rotating.

    Day ``i`` of block ``j`` is picked when ``i = j mod block_days``, so that every weekday and
    every part of every month is sampled and no day is smoothed; each picked day stands for
    ``n_days / blocks`` days (days after the last whole block are left out). Equal weights
    matter: the battery's state of charge carries from one representative day to the next, and
    with unequal weights the LP would charge on a light day and discharge on a heavy one for
    free. ``block_days = 1`` keeps the full year.

    >>> d = representative_days(365, block_days=5)
    >>> d.picked[:4].tolist(), d.picked.size, d.days_each
    ([0, 6, 12, 18], 73, 5.0)
    """
    blocks = np.arange(n_days // block_days, dtype=np.int64)
    return RepresentativeDays(
        blocks * block_days + blocks % block_days, n_days / blocks.size, steps
    )
