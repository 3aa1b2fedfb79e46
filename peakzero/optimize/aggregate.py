"""The site LP in aggregated form: per interval only the net quantities, flows recovered after.

The detailed form (:func:`peakzero.optimize.build.build_site_lp`, ``form="detailed"``) has nine
columns per interval, one per source-to-sink flow. The objective and every constraint except the
renewable share depend only on the aggregates PV used ``U`` (PV output minus curtailment), grid
import ``imp``, grid export ``exp``, battery charge ``ch`` and discharge ``dis`` (plus the SOC).
Here the columns per interval are ``u``, ``imp``, ``exp`` (only when export is possible),
``ch``, ``dis`` and ``soc``, where a flow with a single possible source leaves the AC bus
balance: without grid charging ``ch`` is PV only, without battery export ``exp`` is PV only, and
``u`` is the rest of the PV used. So, with ``[.]`` present only under that rule:

* PV split (curtailment implicit): ``u + [exp] + [ch] <= pv_kw_per_kwp x levelisation x kWp``
* AC bus balance: ``u + imp + dis - [ch] - [exp] = L`` (``L`` the load)

Equivalence
-----------
Given the aggregates, detailed flows exist iff a balanced transportation problem on the AC bus is
feasible: sources PV ``u``, grid ``imp``, battery ``dis``; sinks load ``L`` and, if still on the
bus, ``ch`` and ``exp``; arcs PV -> all, grid -> load (and -> charge if grid charging), battery ->
load (and -> export if the battery may export). By Gale's (Hall's) theorem that holds iff the
balance holds and every sink set's demand is at most its neighbours' supply. Worked out per rule
(``gc`` grid charging, ``be`` battery export), the non-redundant conditions are:

==========  ==========  ==================================================================
``gc``      ``be``      extra conditions (besides the balance)
==========  ==========  ==================================================================
yes         no          ``dis <= L`` (a bound; the battery cannot reach the grid)
no          no          none (every source on the bus serves the load only)
yes         yes         ``dis - exp <= L``, ``imp - ch <= L`` (two rows)
no          yes         ``imp <= L`` (a bound; the grid cannot reach the grid)
==========  ==========  ==================================================================

so the aggregated feasible set is exactly the projection of the detailed one and both have the
same optimum; the renewable-share target (which depends on how PV is split) is left to the
detailed form. :func:`allocate_flows` recovers one valid detailed split (rule in its docstring).
"""

from __future__ import annotations

import numpy as np

from peakzero.layout import LpBuilder
from peakzero.optimize.families import converter_power, soc_dynamics, soc_window
from peakzero.optimize.problem import FloatArray, SiteProblem

#: Column blocks of the aggregated form, per interval [kW] (``soc`` [kWh]); ``exp`` only when
#: export is possible.
AGGREGATES: tuple[str, ...] = ("u", "imp", "exp", "ch", "dis", "soc")


def aggregated_blocks(problem: SiteProblem) -> tuple[str, ...]:
    """The per-interval column blocks of ``problem``'s aggregated LP, in column order."""
    cap = problem.export_cap_kw
    no_export = cap is not None and cap <= 0.0
    return tuple(k for k in AGGREGATES if not (k == "exp" and no_export))


def _pv_only(p: SiteProblem) -> tuple[str, ...]:
    """Blocks that only PV can feed: ``exp`` without battery export, ``ch`` without grid
    charging (they leave the AC bus balance and enter the PV split)."""
    has_exp = "exp" in aggregated_blocks(p)
    only = (("exp", has_exp and not p.battery_export), ("ch", not p.battery.grid_charging))
    return tuple(k for k, yes in only if yes)


def _on_bus(p: SiteProblem) -> tuple[str, ...]:
    """Blocks drawn from the AC bus: ``ch`` with grid charging, ``exp`` with battery export."""
    has_exp = "exp" in aggregated_blocks(p)
    on = (("ch", p.battery.grid_charging), ("exp", has_exp and p.battery_export))
    return tuple(k for k, yes in on if yes)


def bus_balance(lp: LpBuilder, p: SiteProblem) -> None:
    """AC bus balance (``[.]`` present only when that flow is on the bus, see the module):

    u_t + imp_t + dis_t - [ch_t] - [exp_t] = L_t
    """
    f = lp.family("load_balance", p.load_kw, p.load_kw)
    for k in ("u", "imp", "dis"):
        f.term(k, 1.0)
    for k in _on_bus(p):
        f.term(k, -1.0)


def pv_split(lp: LpBuilder, p: SiteProblem) -> None:
    """PV used within PV output, curtailment implicit (``[.]``: fed by PV only):

    u_t + [exp_t] + [ch_t] - g_t P <= 0
    """
    n = p.n
    f = lp.family("pv_split", np.full(n, -np.inf), np.zeros(n))
    for k in ("u", *_pv_only(p)):
        f.term(k, 1.0)
    f.term("pv_kwp", -p.pv_kw_per_kwp * p.pv_levelisation)


def routing(lp: LpBuilder, p: SiteProblem) -> None:
    """Transportation (Hall) conditions with grid charging and battery export (module table):

    dis_t - [exp_t] <= L_t        (route)
    imp_t - ch_t <= L_t           (route_grid)
    """
    n = p.n
    f = lp.family("route", np.full(n, -np.inf), p.load_kw)
    f.term("dis", 1.0)
    if "exp" in lp.columns:
        f.term("exp", -1.0)
    g = lp.family("route_grid", np.full(n, -np.inf), p.load_kw)
    g.term("imp", 1.0).term("ch", -1.0)


def aggregated_rows(lp: LpBuilder, p: SiteProblem) -> None:
    """Block bounds and rows of the aggregated form (monthly peak, cycle limit and scalar
    targets are added by :func:`peakzero.optimize.build.build_site_lp`).

    Bounds: ``exp_t`` within the export and grid limits (:attr:`SiteProblem.export_cap_kw`);
    ``imp_t`` within the grid and demand-increase limits (:attr:`SiteProblem.import_cap_kw`);
    and, by the transportation conditions, ``dis_t <= L_t`` with grid charging but no battery
    export, ``imp_t <= L_t`` with battery export but no grid charging.
    """
    gc, be = p.battery.grid_charging, p.battery_export
    if "exp" in lp.columns and p.export_cap_kw is not None:
        lp.set_bounds("exp", 0.0, p.export_cap_kw)
    bus_balance(lp, p)
    pv_split(lp, p)
    soc_dynamics(lp, p, ("ch",), ("dis",))
    soc_window(lp, p)
    converter_power(lp, p, ("ch",), ("dis",))
    if gc and not be:
        lp.set_bounds("dis", 0.0, p.load_kw)
    elif not gc and be:
        lp.set_bounds("imp", 0.0, p.load_kw)
    elif gc and be:
        routing(lp, p)
    cap = p.import_cap_kw
    if cap is not None:
        lp.set_bounds("imp", 0.0, np.minimum(lp.col_upper[lp.columns["imp"]], cap))


def allocate_flows(
    problem: SiteProblem, agg: dict[str, FloatArray], pv_kw: FloatArray
) -> dict[str, FloatArray]:
    """Detailed flows [kW] from the aggregates of an optimal solution.

    Allocation rule, per interval: the battery exports only what it must,
    ``batt_to_grid = max(0, exp - u, dis - L)`` (and, without grid charging, also
    ``imp + dis - L``, so that the grid can serve the load), capped at ``min(dis, exp)``; the
    rest of the export is PV, the rest of the discharge serves the load. The grid then charges
    the battery only with what exceeds the remaining load, ``grid_to_batt = max(0, imp - L')``;
    the rest of the import serves the load; PV covers the rest of the load and of the charge;
    ``pv_curtailed = pv_kw - U``. Here ``u`` is the total PV used ``U`` (the ``u`` column plus
    the PV-only export or charge columns). Under the conditions of the module docstring every
    flow is non-negative (up to solver tolerance) and each source and sink balances exactly.
    """
    n = problem.n
    load = problem.load_kw
    imp, ch, dis = agg["imp"], agg["ch"], agg["dis"]
    exp = agg.get("exp", np.zeros(n))
    u = agg["u"] + (0.0 if problem.battery_export else exp)
    u = u + (0.0 if problem.battery.grid_charging else ch)
    if problem.battery_export:
        need = np.maximum.reduce([np.zeros(n), exp - u, dis - load])
        if not problem.battery.grid_charging:
            need = np.maximum(need, imp + dis - load)
        b2g = np.minimum(need, np.minimum(dis, exp))
    else:
        b2g = np.zeros(n)
    b2l = dis - b2g
    p2g = exp - b2g
    rest_load = load - b2l
    g2b = np.maximum(imp - rest_load, 0.0) if problem.battery.grid_charging else np.zeros(n)
    g2l = imp - g2b
    return {
        "pv_to_load": rest_load - g2l,
        "pv_to_batt": ch - g2b,
        "pv_to_grid": p2g,
        "pv_curtailed": pv_kw - u,
        "grid_to_load": g2l,
        "grid_to_batt": g2b,
        "batt_to_load": b2l,
        "batt_to_grid": b2g,
        "soc": agg["soc"],
    }
