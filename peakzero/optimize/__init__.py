"""The site LP: PV kWp, battery kW / kWh and hourly dispatch at least lifecycle cost (HiGHS).

:mod:`~peakzero.optimize.problem` holds the inputs as arrays, :mod:`~peakzero.optimize.build` the
sparse matrices, :mod:`~peakzero.optimize.solve` the HiGHS call and infeasibility diagnosis,
:mod:`~peakzero.optimize.result` the read-back.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from peakzero.errors import PeakzeroError
from peakzero.optimize.build import FLOWS, SIZES, SiteLp, build_site_lp, kwh_cost_yuan
from peakzero.optimize.problem import Economics, FloatArray, PVOptions, SiteProblem, SiteTargets
from peakzero.optimize.reach import unreachable
from peakzero.optimize.result import Dispatch, bill_parts, read_dispatch, renewable_share
from peakzero.optimize.solve import (
    DEFAULT_SOLVER,
    Session,
    SiteLpSolution,
    check_solution,
    solve_site_lp,
)
from peakzero.storage import replacement_year

# Former names, kept for callers outside this package (peakzero.plan, web, county).
LPModel = SiteLp
LPSolution = SiteLpSolution
Targets = SiteTargets
build_lp = build_site_lp
solve_lp = solve_site_lp

__all__ = [
    "FLOWS",
    "SIZES",
    "Dispatch",
    "Economics",
    "LPModel",
    "LPSolution",
    "Optimum",
    "PVOptions",
    "Redated",
    "SiteLp",
    "SiteLpSolution",
    "SiteProblem",
    "SiteTargets",
    "Targets",
    "bill_parts",
    "build_lp",
    "build_site_lp",
    "check_grid_limit",
    "evaluate_sizes",
    "export_rule_lower_bound",
    "optimize_dispatch",
    "read_dispatch",
    "redate_replacement",
    "renewable_share",
    "solve_lp",
    "solve_site_lp",
]

#: Equivalent full cycles per year first assumed to date the battery replacement [-].
ASSUMED_CYCLES_PER_YEAR = 300.0
#: Battery energy below which the battery is absent [kWh].
NO_BATTERY_KWH = 1e-6


def check_grid_limit(problem: SiteProblem) -> None:
    """Refuse, with the figures, a grid limit the load exceeds beyond what PV and battery can
    ever supply on site (their upper sizes at full output) in some interval; the load on the
    meter's interval (with :attr:`SiteProblem.demand_excess_kw`).

    Raises :class:`peakzero.errors.PeakzeroError` naming the first such interval.
    """
    limit = problem.grid_limit_kw
    if limit is None:
        return
    pv_max_kw = problem.pv_kw_per_kwp * problem.pv_levelisation * problem.pv.max_kwp
    battery_kw = problem.battery.max_kw
    meter_kw = problem.load_kw + problem.excess_kw  # the load on the meter's own interval
    need = meter_kw - pv_max_kw - battery_kw
    over = np.flatnonzero(need > limit)
    if over.size:
        t = int(over[0])
        when = str(problem.index[t]) if problem.index is not None else f"interval {t}"
        raise PeakzeroError(
            f"grid_limit_kw = {limit:g} kW is below the load at {when} ({meter_kw[t]:,.1f}"
            f" kW) less the most PV ({pv_max_kw[t]:,.1f} kW) and battery ({battery_kw:,.1f} kW) "
            f"could supply; {over.size} intervals need more: raise the transformer capacity "
            "(kVA x power factor) or the PV / battery maximum sizes.",
            field="grid_limit_kw",
        )


@dataclass(frozen=True)
class Optimum:
    """Optimal dispatch with its replacement year, timings [s] and number of solves."""

    dispatch: Dispatch
    replacement_year: int | None
    build_seconds: float
    solve_seconds: float
    solves: int
    size_duals_yuan: FloatArray | None = None


@dataclass(frozen=True)
class Redated:
    """The solve whose battery replacement year is stable: its solution and dispatch, the year
    used, the number of solves in all and the seconds of the extra ones."""

    solution: SiteLpSolution
    dispatch: Dispatch
    replacement_year: int | None
    solves: int
    seconds: float


def redate_replacement(
    problem: SiteProblem,
    model: SiteLp,
    session: Session,
    solution: SiteLpSolution,
    replacement: int | None,
    *,
    max_solves: int = 3,
) -> Redated:
    """Re-date the battery replacement from the cycles of the dispatch of ``solution`` (solved
    with the replacement in year ``replacement``) and re-solve ``session`` at the new year's
    battery cost (a warm-started cost change) until the year stops changing, at most
    ``max_solves`` solves in all (the first included); no battery, no re-dating."""
    years = problem.economics.analysis_years
    dispatch = read_dispatch(problem, model, solution)
    solves, seconds, rep = 1, 0.0, replacement
    while solves < max_solves and dispatch.battery_kwh > NO_BATTERY_KWH:
        cycles = float(dispatch.discharge_kw.sum() * problem.dt_hours / dispatch.battery_kwh)
        found = replacement_year(problem.battery, cycles, years)
        if found == rep:
            break
        rep = found
        session.change_cost("batt_kwh", kwh_cost_yuan(problem, rep))
        solution = check_solution(model, session.run())
        seconds += solution.solve_seconds
        solves += 1
        dispatch = read_dispatch(problem, model, solution)
    return Redated(solution, dispatch, rep, solves, seconds)


def optimize_dispatch(problem: SiteProblem, *, solver: str = DEFAULT_SOLVER) -> Optimum:
    """Build, solve and read back the site LP.

    The battery replacement year depends on the cycles the dispatch makes; the LP is first built
    with :data:`ASSUMED_CYCLES_PER_YEAR` and, if the cycles found date the replacement to another
    year, re-solved (warm-started dual simplex after a cost change) until the year is stable
    (at most 3 solves). The LP is built in the aggregated form unless a renewable-share target
    needs the detailed one (:func:`peakzero.optimize.build.build_site_lp`, ``form="auto"``).

    Raises :class:`peakzero.errors.PeakzeroError` naming the constraint to relax when infeasible.
    """
    check_grid_limit(problem)
    started = time.perf_counter()
    model = build_site_lp(problem, assumed_cycles_per_year=ASSUMED_CYCLES_PER_YEAR)
    if (why := unreachable(problem, model)) is not None:
        raise PeakzeroError(why, field="targets")
    session = Session(model, solver=solver)
    build_seconds = time.perf_counter() - started
    solution = check_solution(model, session.run())
    done = redate_replacement(problem, model, session, solution, model.replacement_year)
    dispatch = done.dispatch
    rep = done.replacement_year if dispatch.battery_kwh > NO_BATTERY_KWH else None
    seconds = solution.solve_seconds + done.seconds
    return Optimum(dispatch, rep, build_seconds, seconds, done.solves)


def _size_duals(model: SiteLp, solution: SiteLpSolution) -> FloatArray | None:
    """Reduced costs of the size columns [yuan/kWp, yuan/kW, yuan/kWh], or None."""
    if solution.col_dual is None:
        return None
    return np.asarray(solution.col_dual[model.size_columns], dtype=float)


def evaluate_sizes(
    problem: SiteProblem,
    sizes: Sequence[tuple[float, float, float]],
    *,
    solver: str = DEFAULT_SOLVER,
) -> list[Optimum | None]:
    """The best dispatch of the full year at each of the given fixed sizes.

    ``sizes`` holds ``(pv_kwp, battery_kw, battery_kwh)`` triples. One LP is built for
    ``problem`` and solved once per triple with the three size columns fixed at it
    (``size = fixed``, :func:`peakzero.optimize.build.size_bounds`), each solve warm-started
    from the last basis; the battery replacement year is re-dated from each dispatch's cycles
    as in :func:`optimize_dispatch`. The result of each is the one :func:`optimize_dispatch`
    finds with ``pv.fixed_kwp``, ``battery.fixed_kw`` and ``battery.fixed_kwh`` set to the
    triple (same LP, same optimum; the dispatch may differ where several are optimal). A triple
    at which the LP is infeasible (a target or a grid limit it cannot meet) gives ``None``.

    ``Optimum.size_duals_yuan`` holds the reduced costs of the fixed sizes [yuan per kWp, kW,
    kWh]: the lifecycle cost is convex in the sizes, so ``cost(x*) >= cost(x) + duals @ (x* -
    x)`` for any other sizes ``x*`` (a bound on what rounding can lose).
    """
    check_grid_limit(problem)
    started = time.perf_counter()
    model = build_site_lp(problem, assumed_cycles_per_year=ASSUMED_CYCLES_PER_YEAR)
    session = Session(model, solver=solver, staged=False)
    build_seconds = time.perf_counter() - started
    out: list[Optimum | None] = []
    for triple in sizes:
        session.fix_sizes(np.asarray(triple, dtype=float))
        session.change_cost("batt_kwh", kwh_cost_yuan(problem, model.replacement_year))
        solution = session.run()
        if solution.status != "optimal":
            out.append(None)
            continue
        done = redate_replacement(problem, model, session, solution, model.replacement_year)
        dispatch = done.dispatch
        rep = done.replacement_year if dispatch.battery_kwh > NO_BATTERY_KWH else None
        seconds = solution.solve_seconds + done.seconds
        duals = _size_duals(model, done.solution)
        out.append(Optimum(dispatch, rep, build_seconds, seconds, done.solves, duals))
        build_seconds = 0.0
    return out


def export_rule_lower_bound(problem: SiteProblem, *, solver: str = DEFAULT_SOLVER) -> float:
    """A lower bound on the exact one-meter optimum [yuan]: the LP with export credited at the
    tariff's export price in every interval (:attr:`SiteProblem.relaxed_export_credit`).

    Where export is priced above import, that LP may buy and sell in the same interval, which
    one meter cannot, so its optimum is at most the exact one; with the exact lifecycle cost of
    the reported dispatch (:attr:`Dispatch.objective_yuan`, an upper bound) it brackets the
    exact optimum. One more full solve (about as long as the design's own); not run by
    :func:`optimize_dispatch`.
    """
    model = build_site_lp(replace(problem, relaxed_export_credit=True))
    return check_solution(model, solve_site_lp(model, solver=solver)).objective_yuan
