"""Targets out of reach, found before the full-year LP from a closed-form bound (milliseconds).

Proving a full-year LP infeasible with dual simplex takes seconds to tens of seconds (a CO2
target with a capex budget on the Suzhou example: 17 s before the diagnosis). Most infeasible
targets are out of reach by a wide margin, and a closed-form upper bound on what PV and the
battery can deliver proves it at once.

Bound on the PV energy serving the load, with PV at its largest size ``P`` (the roof maximum,
a fixed size, or what the capex budget buys after the minimum battery) [kWh]::

    direct = sum_t dt min(L_t, P pv_t)
    stored = min(eta sum_t dt max(P pv_t - L_t, 0),      # all surplus PV, after the round trip
                 sum_t dt max(L_t - P pv_t, 0),          # no more than the load left to serve
                 n_days c_max E_max)                     # cycle limit at the largest battery

Every feasible dispatch has ``pv_to_load + eta pv_to_batt <= direct + stored`` summed over the
year, and grid imports ``>= sum L - (direct + stored)`` (grid-charged energy loses ``1 - eta``
on the way back). So a renewable share or CO2 cut (location-based, one grid factor, as the LP
counts it) above ``(direct + stored) / sum L`` is infeasible. With a capex budget the PV and the
battery share one sum of money: :func:`budget_split_share` bounds every split of it.

The bounds are valid, never tight: targets inside them but above :data:`SCREEN_SHARE` of them
(:data:`COUPLED_SCREEN_SHARE` when the target shares the model with the budget or the other
target, which the bound cannot see together) are screened by one LP that maximises the target's
own quantity with the target row dropped and every other row kept (no economics): its optimum is
exactly the most the site can reach given the other settings, so the target is out of reach if
and only if it asks for more (about 1 s on the Suzhou full year, 2 s for a CO2 cut against a
budget on a larger roof, against 20-90 s for the economic LP to prove infeasibility and the
diagnosis to name the culprits). A screen that meets its target with every other row kept shows
the whole model feasible. The screens share :data:`SCREEN_SECONDS`; past them, or below the
screen share, the targets go on to the LP and its feasibility diagnosis
(:func:`peakzero.optimize.solve.diagnose_infeasible`).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from peakzero.optimize.build import SiteLp, drop_rows
from peakzero.optimize.problem import SiteProblem
from peakzero.optimize.solve import Session, size_settings

#: Relative margin before a target counts as out of reach: the bound is exact arithmetic on
#: the same inputs as the LP, so only round-off (sums of 8760 terms, about 1e-12 relative) can
#: separate them; 1e-6 keeps targets set exactly at the bound for the LP to decide.
REACH_RTOL = 1e-6
#: A target above this share of its closed-form bound is screened by the exact LP (a feasible
#: run with such a target pays that LP, about 2 s on a full year) [-].
SCREEN_SHARE = 0.8
#: PV sizes on the budget line of :func:`budget_split_share` (about 1 ms each on a full year).
SPLIT_POINTS = 48
#: A target that shares the model with the capex budget or with the other target is screened
#: from this share of its closed-form bound on: the bound looks at one target and at the
#: largest sizes the budget buys, so a combination (a CO2 cut the budget cannot pay together
#: with the battery it needs; 0.36 against a bound of 0.45 on a large roof) can fail far below
#: the bound of each [-].
COUPLED_SCREEN_SHARE = 0.5
#: Wall time of the screening LPs together [s]; past it the economic LP decides as before.
SCREEN_SECONDS = 10.0
#: Row of each target, and the sign that turns "maximise the target" into a minimisation.
_TARGET_ROWS = {"min_co2_reduction_fraction": "co2", "min_renewable_share": "renewable"}


def _fmt(x: float) -> str:
    """A figure for prose (``2,500``)."""
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _val(x: float) -> str:
    """A setting's value as it is written in the input file (``2500``)."""
    return f"{x:.10g}"


def _largest_pv(problem: SiteProblem, model: SiteLp) -> tuple[float, str, bool]:
    """Largest PV size [kWp], the settings that cap it, and whether the budget caps it."""
    cols = model.size_columns
    lo = model.col_lower[cols]
    hi = model.col_upper[cols]
    pv_hi = float(hi[0])
    pv, b = problem.pv, problem.battery
    cap = f"pv.fixed_kwp = {_val(pv_hi)}" if lo[0] == hi[0] else f"pv.max_kwp = {_val(pv_hi)}"
    budget = problem.targets.capex_budget_yuan
    if budget is not None and pv.capex_yuan_per_kwp > 0 and lo[0] < hi[0]:
        room = budget - b.capex_yuan_per_kw * float(lo[1]) - b.capex_yuan_per_kwh * float(lo[2])
        bought = max(room, 0.0) / pv.capex_yuan_per_kwp
        if bought < pv_hi:
            return bought, f"targets.capex_budget_yuan = {_val(budget)}", True
    return pv_hi, cap, False


def _largest_kwh(problem: SiteProblem, model: SiteLp) -> float:
    cols = model.size_columns
    lo, hi = model.col_lower[cols], model.col_upper[cols]
    kwh = float(hi[2])
    budget = problem.targets.capex_budget_yuan
    b = problem.battery
    if budget is not None and b.capex_yuan_per_kwh > 0:
        room = budget - problem.pv.capex_yuan_per_kwp * float(lo[0])
        room -= b.capex_yuan_per_kw * float(lo[1])
        kwh = min(kwh, max(room, 0.0) / b.capex_yuan_per_kwh)
    return kwh


def reachable_share(
    problem: SiteProblem, pv_kwp: float, battery_kwh: float, *, co2: bool = False
) -> float:
    """Upper bound on the renewable share (``co2=False``) or on the CO2 cut (``co2=True``) [-]
    with at most ``pv_kwp`` and ``battery_kwh`` (module docstring)."""
    p = problem
    load = np.asarray(p.load_kw, dtype=float)
    pv = pv_kwp * np.asarray(p.pv_kw_per_kwp, dtype=float)
    total = float(load.sum() * p.dt_hours)
    if total <= 0.0:
        return np.inf
    b = p.battery
    # the renewable row credits eta_rt per stored kWh, the SOC rows eta_c eta_d: the larger
    eta = max(b.round_trip_efficiency, b.charge_efficiency * b.discharge_efficiency)
    direct = float(np.minimum(load, pv).sum() * p.dt_hours)
    stored = eta * float(np.maximum(pv - load, 0.0).sum() * p.dt_hours)
    if battery_kwh <= 0.0:
        stored = 0.0
    elif b.max_cycles_per_day is not None and np.isfinite(battery_kwh):
        days = np.unique(np.asarray(p.day)).size
        stored = min(stored, days * b.max_cycles_per_day * battery_kwh)
    if co2:  # imports cannot fall below zero (battery exports do not count)
        stored = min(stored, total - direct)
    return (direct + max(stored, 0.0)) / total


def budget_split_share(problem: SiteProblem, model: SiteLp, *, co2: bool = False) -> float:
    """Upper bound on the share (as :func:`reachable_share`) when one capex budget buys both the
    PV and the battery energy [-]; ``inf`` without a budget or with PV fixed.

    :func:`reachable_share` is nondecreasing in both sizes, and the budget line gives the most
    battery energy ``E(P)`` left after PV of ``P`` (nonincreasing in ``P``). On a grid
    ``P_0 < ... < P_n`` of the affordable PV sizes, every split with ``P`` in
    ``[P_i, P_(i+1)]`` reaches at most ``reachable_share(P_(i+1), E(P_i))``; the largest of those
    is the bound (:data:`SPLIT_POINTS` points). Far tighter than both sizes at their own
    largest affordable size when the surplus needs the battery the PV has used the money of.
    """
    budget = problem.targets.capex_budget_yuan
    cols = model.size_columns
    lo, hi = model.col_lower[cols], model.col_upper[cols]
    pv, b = problem.pv, problem.battery
    if budget is None or lo[0] == hi[0] or pv.capex_yuan_per_kwp <= 0:
        return np.inf
    if b.capex_yuan_per_kwh <= 0:
        return np.inf
    room = budget - b.capex_yuan_per_kw * float(lo[1])
    top = min(float(hi[0]), (room - b.capex_yuan_per_kwh * float(lo[2])) / pv.capex_yuan_per_kwp)
    if top <= float(lo[0]):
        return np.inf  # the budget buys no PV beyond the minimum: the plain bound decides
    sizes = np.linspace(float(lo[0]), top, SPLIT_POINTS)
    kwh = np.clip((room - pv.capex_yuan_per_kwp * sizes) / b.capex_yuan_per_kwh, lo[2], hi[2])
    return max(
        reachable_share(problem, float(sizes[i + 1]), float(kwh[i]), co2=co2)
        for i in range(SPLIT_POINTS - 1)
    )


def _over_budget(problem: SiteProblem, model: SiteLp) -> str | None:
    budget = problem.targets.capex_budget_yuan
    if budget is None:
        return None
    cols = model.size_columns
    lo = model.col_lower[cols]
    b = problem.battery
    capex = problem.pv.capex_yuan_per_kwp * lo[0]
    capex += b.capex_yuan_per_kw * lo[1] + b.capex_yuan_per_kwh * lo[2]
    if capex <= budget * (1 + REACH_RTOL):
        return None
    sizes = ", ".join(size_settings(model))
    return (
        f"the site problem is infeasible: the fixed or minimum sizes ({sizes}) cost "
        f"{_fmt(float(capex))} yuan, over the capex budget (targets.capex_budget_yuan = "
        f"{_val(budget)}); raise the budget or lower the fixed or minimum sizes."
    )


def unreachable(problem: SiteProblem, model: SiteLp) -> str | None:
    """Why ``model`` (built from ``problem``) is infeasible, when a closed-form bound shows it
    (module docstring); ``None`` when the bound cannot tell and the LP must decide."""
    message = _over_budget(problem, model)
    if message is not None:
        return message
    tg = problem.targets
    asked = [
        (name, value)
        for name, value in (
            ("min_co2_reduction_fraction", tg.min_co2_reduction_fraction),
            ("min_renewable_share", tg.min_renewable_share),
        )
        if value is not None
    ]
    if not asked:
        return None
    pv_kwp, cap, by_budget = _largest_pv(problem, model)
    kwh = _largest_kwh(problem, model)
    missed, close, split_binds = [], [], False
    coupled = tg.capex_budget_yuan is not None or len(asked) > 1
    share = COUPLED_SCREEN_SHARE if coupled else SCREEN_SHARE
    for name, value in asked:
        co2 = name.startswith("min_co2")
        best = reachable_share(problem, pv_kwp, kwh, co2=co2)
        split = budget_split_share(problem, model, co2=co2)
        if value > best * (1 + REACH_RTOL) + 1e-12:
            missed.append((name, value, best))
        elif value > split * (1 + REACH_RTOL) + 1e-12:
            missed.append((name, value, split))
            split_binds = True
        elif value > share * min(best, split):
            close.append((name, value))
    if not missed:
        return _screen(problem, model, close)
    wanted = " and ".join(
        f"targets.{name} = {value:g} cannot be reached (at most {best:.3f})"
        for name, value, best in missed
    )
    if split_binds:
        pv, b = problem.pv, problem.battery
        return (
            f"the site problem is infeasible: {wanted} with targets.capex_budget_yuan = "
            f"{_val(problem.targets.capex_budget_yuan or 0.0)} paying for both the PV "
            f"(pv.capex_yuan_per_kwp = {_val(pv.capex_yuan_per_kwp)}, {cap}) and the battery "
            f"(battery.capex_yuan_per_kwh = {_val(b.capex_yuan_per_kwh)}): no split of the "
            "budget between them, with every surplus kWh stored, serves more of the load. Lower "
            "the target to that value or less, or raise the capex budget."
        )
    relax = "raise the capex budget" if by_budget else f"allow more PV than {cap}"
    return (
        f"the site problem is infeasible: {wanted}: PV of at most {_fmt(pv_kwp)} kWp ({cap}), "
        "with every surplus kWh stored, serves no more of the load. Lower the target to that "
        f"value or less, or {relax}."
    )


def best_share(
    problem: SiteProblem, model: SiteLp, target: str, *, time_limit_s: float = SCREEN_SECONDS
) -> float | None:
    """The most of ``target`` (a :class:`~peakzero.optimize.problem.SiteTargets` field) the
    site can reach with every other row of ``model`` kept: one LP maximising the target's row
    with that row dropped and no economics [-], solved staged (sizes fixed at a guess first, as
    the economic LP: 2.2 s against 6.3 s one-shot on the large-roof benchmark case); ``None``
    past ``time_limit_s`` or when the other rows cannot all hold."""
    row = _TARGET_ROWS[target]
    r = model.rows[row].start
    coef = np.asarray(model.a.tocsr()[r].toarray()).ravel()
    co2 = row == "co2"
    blind = replace(drop_rows(model, (row,)), c=coef if co2 else -coef, offset=0.0)
    solution = Session(blind, time_limit_s=time_limit_s).run()
    if solution.status != "optimal":
        return None
    total = float(problem.load_kw.sum() * problem.dt_hours)
    activity = float(coef @ solution.x)
    return 1.0 - activity / total if co2 else activity / total


def _screen(problem: SiteProblem, model: SiteLp, close: list[tuple[str, float]]) -> str | None:
    started = time.perf_counter()  # one budget of SCREEN_SECONDS for all the screens
    for name, value in close:
        left = SCREEN_SECONDS - (time.perf_counter() - started)
        if left <= 0.0:
            return None
        best = best_share(problem, model, name, time_limit_s=left)
        if best is None:
            continue  # out of time, or the other rows conflict without this one: next target
        if value <= best * (1 + REACH_RTOL) + 1e-12:
            return None  # a point meets this target with every other row kept: feasible
        settings = size_settings(model)
        tg = problem.targets
        if tg.capex_budget_yuan is not None:
            settings.append(f"targets.capex_budget_yuan = {_val(tg.capex_budget_yuan)}")
        for other in _TARGET_ROWS:  # the other target, kept in the screening LP
            kept = getattr(tg, other)
            if other != name and kept is not None:
                settings.append(f"targets.{other} = {kept:g}")
        cap = model.col_upper[model.columns.index("pv_kwp")]
        if "pv.fixed_kwp" not in " ".join(settings):
            settings.append(f"pv.max_kwp = {_val(float(cap))}")
        return (
            f"the site problem is infeasible: targets.{name} = {value:g} cannot be reached; "
            f"the most the site can reach is {best:.4f} (an LP that maximises it, with "
            f"{', '.join(settings)} and the export, battery and grid limits as given). Lower the "
            "target to that value or less, or relax those settings."
        )
    return None
