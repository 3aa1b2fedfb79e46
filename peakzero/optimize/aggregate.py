"""The site LP in aggregated form: per interval only the net quantities, flows recovered after.

The detailed form (:func:`peakzero.optimize.build.build_lp`, ``form="detailed"``) has nine
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
from numpy.typing import NDArray

from peakzero.optimize.problem import FloatArray, SiteProblem

Entries = list[tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]]
#: A row group: name, number of rows, COO entries ``(row, col, value)`` relative to the group.
Group = tuple[str, int, Entries]
#: Block or row-group name -> (lower, upper) arrays.
Bounds = dict[str, tuple[FloatArray, FloatArray]]

#: Column blocks of the aggregated form, per interval [kW] (``soc`` [kWh]); ``exp`` only when
#: export is possible.
AGGREGATES: tuple[str, ...] = ("u", "imp", "exp", "ch", "dis", "soc")


def aggregated_blocks(problem: SiteProblem) -> tuple[str, ...]:
    """The per-interval column blocks of ``problem``'s aggregated LP, in column order."""
    no_export = problem.export_limit_kw is not None and problem.export_limit_kw <= 0.0
    return tuple(k for k in AGGREGATES if not (k == "exp" and no_export))


def aggregated_matrix(
    problem: SiteProblem, blocks: tuple[str, ...]
) -> tuple[list[Group], Bounds, Bounds]:
    """Per-interval row groups, row bounds and column bounds of the aggregated form.

    Returns ``(groups, row_bounds, col_bounds)``: each group is ``(name, rows, entries)`` with
    entries ``(row, col, value)`` relative to the group; ``col_bounds`` maps a block to its
    (lower, upper) arrays. Sizes are columns 0, 1, 2 (kWp, kW, kWh); block ``k`` starts at
    ``3 + k x T``. The monthly peak, cycle limit and scalar targets are added by the caller.
    """
    p, b = problem, problem.battery
    n = p.n
    t = np.arange(n)
    one = np.ones(n)
    load = p.load_kw
    gc, be = b.grid_charging, p.battery_export
    has_exp = "exp" in blocks

    def fc(name: str) -> NDArray[np.int64]:
        return 3 + blocks.index(name) * n + t

    zeros_n = np.zeros(n, dtype=np.int64)
    groups: list[Group] = []
    rb: Bounds = {}
    cb: Bounds = {k: (np.zeros(n), np.full(n, np.inf)) for k in blocks}
    pv_only = [k for k, only in (("exp", has_exp and not be), ("ch", not gc)) if only]
    on_bus = [k for k, on in (("ch", gc), ("exp", has_exp and be)) if on]
    balance: Entries = [(t, fc(k), one) for k in ("u", "imp", "dis")]
    balance += [(t, fc(k), -one) for k in on_bus]
    if has_exp and p.export_limit_kw is not None:
        cb["exp"] = (np.zeros(n), np.full(n, p.export_limit_kw))
    groups.append(("load_balance", n, balance))
    rb["load_balance"] = (load, load)
    pv_gen = p.pv_kw_per_kwp * p.pv_levelisation
    split: Entries = [(t, fc(k), one) for k in ("u", *pv_only)] + [(t, zeros_n, -pv_gen)]
    groups.append(("pv_split", n, split))
    rb["pv_split"] = (-np.inf * one, np.zeros(n))
    battery, battery_bounds = battery_rows(p, t, fc("soc"), [fc("ch")], [fc("dis")])
    groups += battery
    rb.update(battery_bounds)
    # transportation (Hall) conditions, see the module docstring
    if gc and not be:
        cb["dis"] = (np.zeros(n), load.copy())
    elif not gc and be:
        cb["imp"] = (np.zeros(n), load.copy())
    elif gc and be:
        entries: Entries = [(t, fc("dis"), one)] + ([(t, fc("exp"), -one)] if has_exp else [])
        groups.append(("route", n, entries))
        rb["route"] = (-np.inf * one, load)
        groups.append(("route_grid", n, [(t, fc("imp"), one), (t, fc("ch"), -one)]))
        rb["route_grid"] = (-np.inf * one, load)
    return groups, rb, cb


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


def battery_rows(
    problem: SiteProblem,
    t: NDArray[np.int64],
    soc: NDArray[np.int64],
    charge: list[NDArray[np.int64]],
    discharge: list[NDArray[np.int64]],
) -> tuple[list[Group], Bounds]:
    """SOC dynamics, SOC window and converter rows of either LP form.

    ``charge`` and ``discharge`` are the column blocks of the battery's flows. ``soc`` is the
    energy above the SOC floor (soc_min x kWh), so the floor is a bound; the window ties it to
    the kWh column (2). One bidirectional converter: charge + discharge <= kW (column 1), the LP
    relaxation of "not both at once".
    """
    b, n, dt = problem.battery, problem.n, problem.dt_hours
    one = np.ones(n)
    eta_c, eta_d = b.charge_efficiency, b.discharge_efficiency
    dynamics: Entries = [(t, soc, one), (t, soc[(t - 1) % n], -one)]
    dynamics += [(t, c, -eta_c * dt * one) for c in charge]
    dynamics += [(t, d, dt / eta_d * one) for d in discharge]
    window: Entries = [
        (t, soc, one),
        (t, np.full(n, 2, dtype=np.int64), -(b.soc_max - b.soc_min) * one),
    ]
    converter: Entries = [(t, c, one) for c in (*charge, *discharge)]
    converter.append((t, np.ones(n, dtype=np.int64), -one))
    groups: list[Group] = [
        ("soc_dynamics", n, dynamics),
        ("soc_window", n, window),
        ("converter_power", n, converter),
    ]
    bounds: Bounds = {
        "soc_dynamics": (np.zeros(n), np.zeros(n)),
        "soc_window": (-np.inf * one, np.zeros(n)),
        "converter_power": (-np.inf * one, np.zeros(n)),
    }
    return groups, bounds
