"""Constraint families of the site LP shared by both forms, and those of the detailed form.

One function per family; its docstring is its equation, for every interval ``t`` of length
``dt`` [h] unless said otherwise. Sizes: ``P`` PV [kWp], ``K`` battery power [kW], ``E``
battery energy [kWh]; ``g_t`` the levelised PV output per kWp [kW/kWp]; ``L_t`` the load [kW];
``s_t`` the battery energy above its floor ``soc_min E`` [kWh]. The aggregated form's own
families (AC bus balance, PV split, routing) are in :mod:`peakzero.optimize.aggregate`.
Column and row positions come from the :class:`peakzero.layout.LpBuilder` only.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from peakzero.layout import LpBuilder
from peakzero.optimize.problem import SiteProblem

#: The size columns, in column order: PV [kWp], battery power [kW], battery energy [kWh].
SIZES: tuple[str, ...] = ("pv_kwp", "batt_kw", "batt_kwh")


def soc_dynamics(
    lp: LpBuilder, p: SiteProblem, charge: tuple[str, ...], discharge: tuple[str, ...]
) -> None:
    """Battery energy, cyclic over the year (``s_{-1} = s_{T-1}``):

    s_t - s_{t-1} - eta_c dt sum_{c in charge} c_t + dt / eta_d sum_{d in discharge} d_t = 0
    """
    b, n, dt = p.battery, p.n, p.dt_hours
    t = np.arange(n)
    f = lp.family("soc_dynamics", np.zeros(n), np.zeros(n))
    f.term("soc", 1.0).term("soc", -1.0, at=(t - 1) % n)
    for c in charge:
        f.term(c, -b.charge_efficiency * dt)
    for d in discharge:
        f.term(d, dt / b.discharge_efficiency)


def soc_window(lp: LpBuilder, p: SiteProblem) -> None:
    """Energy within the usable window (the floor is the column's lower bound 0):

    s_t - (soc_max - soc_min) E <= 0
    """
    b, n = p.battery, p.n
    f = lp.family("soc_window", np.full(n, -np.inf), np.zeros(n))
    f.term("soc", 1.0).term("batt_kwh", -(b.soc_max - b.soc_min))


def converter_power(
    lp: LpBuilder, p: SiteProblem, charge: tuple[str, ...], discharge: tuple[str, ...]
) -> None:
    """One bidirectional converter (the LP relaxation of "not both at once"):

    sum charge_t + sum discharge_t - K <= 0
    """
    n = p.n
    f = lp.family("converter_power", np.full(n, -np.inf), np.zeros(n))
    for k in (*charge, *discharge):
        f.term(k, 1.0)
    f.term("batt_kw", -1.0)


def pv_split_detailed(lp: LpBuilder, p: SiteProblem) -> None:
    """Every kWh of PV goes somewhere (detailed form):

    pv_to_load_t + pv_to_batt_t + pv_to_grid_t + pv_curtailed_t - g_t P = 0
    """
    n = p.n
    f = lp.family("pv_split", np.zeros(n), np.zeros(n))
    for k in ("pv_to_load", "pv_to_batt", "pv_to_grid", "pv_curtailed"):
        f.term(k, 1.0)
    f.term("pv_kwp", -p.pv_kw_per_kwp * p.pv_levelisation)


def load_balance_detailed(lp: LpBuilder, p: SiteProblem) -> None:
    """The load is met (detailed form):

    pv_to_load_t + grid_to_load_t + batt_to_load_t = L_t
    """
    f = lp.family("load_balance", p.load_kw, p.load_kw)
    for k in ("pv_to_load", "grid_to_load", "batt_to_load"):
        f.term(k, 1.0)


def export_limit(lp: LpBuilder, p: SiteProblem) -> None:
    """Export limit when PV and battery both export (detailed form; otherwise a bound):

    pv_to_grid_t + batt_to_grid_t <= min(export_limit_kw, grid_limit_kw)
    """
    cap = p.export_cap_kw
    assert cap is not None
    n = p.n
    f = lp.family("export_limit", np.full(n, -np.inf), np.full(n, cap))
    f.term("pv_to_grid", 1.0).term("batt_to_grid", 1.0)


def import_limit(lp: LpBuilder, p: SiteProblem) -> None:
    """Import within the grid connection and the demand-increase limit (detailed form; a bound
    in the aggregated one), ``M_m(t)`` the month's peak load and ``x_t`` the within-interval
    load excess, both on the meter's interval (:attr:`SiteProblem.import_cap_kw`):

    grid_to_load_t + grid_to_batt_t <= min(grid_limit_kw, M_m(t) + max_demand_increase_kw) - x_t
    """
    cap = p.import_cap_kw
    assert cap is not None
    f = lp.family("import_limit", np.full(p.n, -np.inf), cap)
    f.term("grid_to_load", 1.0).term("grid_to_batt", 1.0)


def monthly_peak(lp: LpBuilder, p: SiteProblem, imports: tuple[str, ...]) -> None:
    """Monthly peak import ``D_m`` [kW] over the intervals of month ``m(t)``, ``x_t`` the
    within-interval load excess (:attr:`SiteProblem.demand_excess_kw`, 0 when not given):

    sum_{k in imports} k_t - D_{m(t)} <= -x_t
    """
    n = p.n
    months = np.unique(p.month)
    excess = np.zeros(n) if p.demand_excess_kw is None else -np.asarray(p.demand_excess_kw)
    f = lp.family("monthly_peak", np.full(n, -np.inf), excess)
    for k in imports:
        f.term(k, 1.0)
    f.term("peak_kw", -1.0, at=np.searchsorted(months, p.month))


def cycle_limit(lp: LpBuilder, p: SiteProblem, discharges: tuple[str, ...]) -> None:
    """At most ``max_cycles_per_day`` equivalent full cycles on each day ``d``:

    sum_{t in d} dt sum_{k in discharges} k_t - max_cycles_per_day E <= 0
    """
    b = p.battery
    assert b.max_cycles_per_day is not None
    days, day_row = np.unique(p.day, return_inverse=True)
    f = lp.family("cycle_limit", np.full(days.size, -np.inf), np.zeros(days.size))
    for k in discharges:
        f.term(k, p.dt_hours, rows=day_row)
    f.term("batt_kwh", -b.max_cycles_per_day)


def _sum_over_year(t_count: int) -> NDArray[np.int64]:
    """Row index 0 for every interval: a term summed into one scalar row."""
    return np.zeros(t_count, dtype=np.int64)


def co2_target(lp: LpBuilder, p: SiteProblem, imports: tuple[str, ...]) -> None:
    """Grid imports (location-based scope 2 with one factor) cut by at least ``f``:

    sum_t dt sum_{k in imports} k_t <= (1 - f) sum_t dt L_t
    """
    f_min = p.targets.min_co2_reduction_fraction
    assert f_min is not None
    total_load_kwh = float(p.load_kw.sum() * p.dt_hours)
    f = lp.family("co2", [-np.inf], [(1 - f_min) * total_load_kwh])
    for k in imports:
        f.term(k, p.dt_hours, rows=_sum_over_year(p.n))


def renewable_target(lp: LpBuilder, p: SiteProblem) -> None:
    """PV share of the load at least ``r`` (PV through the battery after its losses):

    sum_t dt (pv_to_load_t + eta_rt pv_to_batt_t) >= r sum_t dt L_t
    """
    r = p.targets.min_renewable_share
    assert r is not None
    total_load_kwh = float(p.load_kw.sum() * p.dt_hours)
    f = lp.family("renewable", [r * total_load_kwh], [np.inf])
    f.term("pv_to_load", p.dt_hours, rows=_sum_over_year(p.n))
    f.term("pv_to_batt", p.battery.round_trip_efficiency * p.dt_hours, rows=_sum_over_year(p.n))


def capex_budget(lp: LpBuilder, p: SiteProblem) -> None:
    """Initial capex within the budget:

    capex_pv P + capex_kw K + capex_kwh E <= capex_budget_yuan
    """
    b, limit = p.battery, p.targets.capex_budget_yuan
    assert limit is not None
    f = lp.family("budget", [-np.inf], [limit])
    f.term("pv_kwp", p.pv.capex_yuan_per_kwp)
    f.term("batt_kw", b.capex_yuan_per_kw)
    f.term("batt_kwh", b.capex_yuan_per_kwh)
