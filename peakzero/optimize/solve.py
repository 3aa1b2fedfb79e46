"""Solve a built site LP with HiGHS (highspy), in one ``passModel`` call.

An infeasible model is diagnosed by re-solving with each optional constraint relaxed in turn
(targets, capex budget, fixed or minimum sizes); the error names those whose relaxation restores
feasibility, in plain words.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from peakzero.errors import PeakzeroError
from peakzero.highs import quiet_highs
from peakzero.optimize.build import LPModel, drop_rows
from peakzero.optimize.problem import FloatArray

#: HiGHS feasibility / optimality tolerance used for every solve: tight enough that two solvers
#: agree to 1e-6 relative on the objective.
TOLERANCE = 1e-9

#: Default HiGHS solver. Dual simplex vs IPM (IPX + crossover), median single-thread CPU seconds
#: on the example sites' full-year LPs, 2026-11-23: Suzhou 2.6 vs 2.9, Jinan 2.4 vs 1.5,
#: Guangzhou (detailed form, renewable target) 1.1 vs 2.5; 6.1 s vs 6.9 s over the three. Simplex
#: also returns a vertex (clean dispatch, no crossover); neither wins everywhere.
DEFAULT_SOLVER = "simplex"

_PLAIN = {
    "co2": "the minimum CO2 reduction (targets.min_co2_reduction_fraction)",
    "renewable": "the minimum renewable share (targets.min_renewable_share)",
    "budget": "the capex budget (targets.capex_budget_yuan)",
    "sizes": "the fixed or minimum PV / battery sizes (pv.fixed_kwp, pv.min_kwp, battery.fixed_*, "
    "battery.min_*)",
}


@dataclass(frozen=True)
class LPSolution:
    """Raw solution: column values, objective [yuan] including the model offset, timings [s]."""

    status: str
    x: FloatArray
    objective_yuan: float
    solve_seconds: float


def _highs(model: LPModel, *, solver: str) -> highspy.Highs:
    h = quiet_highs()
    h.setOptionValue("primal_feasibility_tolerance", TOLERANCE)
    h.setOptionValue("dual_feasibility_tolerance", TOLERANCE)
    h.setOptionValue("ipm_optimality_tolerance", TOLERANCE)
    h.setOptionValue("solver", solver)
    h.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_ = model.c.size
    lp.num_row_ = model.row_lower.size
    lp.col_cost_ = model.c
    lp.col_lower_ = model.col_lower
    lp.col_upper_ = model.col_upper
    lp.row_lower_ = model.row_lower
    lp.row_upper_ = model.row_upper
    lp.offset_ = model.offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.a.indptr
    lp.a_matrix_.index_ = model.a.indices
    lp.a_matrix_.value_ = model.a.data
    lp.a_matrix_.num_col_ = model.c.size
    lp.a_matrix_.num_row_ = model.row_lower.size
    h.passModel(lp)
    return h


def _read(h: highspy.Highs, n_col: int, seconds: float) -> LPSolution:
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        x = np.asarray(h.getSolution().col_value, dtype=float)
        objective = float(h.getInfo().objective_function_value)
        return LPSolution("optimal", x, objective, seconds)
    text = h.modelStatusToString(status).lower()
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        text = "infeasible"
    return LPSolution(text, np.zeros(n_col), float("nan"), seconds)


class Session:
    """A HiGHS instance holding one model, for a solve and cheap warm-started re-solves."""

    def __init__(self, model: LPModel, *, solver: str = DEFAULT_SOLVER) -> None:
        self.model = model
        self.highs = _highs(model, solver=solver)

    def run(self) -> LPSolution:
        """Solve (or re-solve from the last basis) and read the result."""
        started = time.perf_counter()
        self.highs.run()
        return _read(self.highs, self.model.c.size, time.perf_counter() - started)

    def change_cost(self, col: int, cost: float) -> None:
        """Change one objective coefficient; the next :meth:`run` warm-starts with simplex."""
        self.highs.changeColCost(col, cost)
        self.highs.setOptionValue("solver", "simplex")


def solve_lp(model: LPModel, *, solver: str = DEFAULT_SOLVER) -> LPSolution:
    """Solve ``model``; status is ``"optimal"``, ``"infeasible"`` or HiGHS's own status text.

    Parameters
    ----------
    model
        The LP from :func:`peakzero.optimize.build.build_lp`.
    solver
        HiGHS solver option: ``"simplex"`` (dual simplex, the default, fastest on the example
        full years), ``"ipm"`` (interior point with crossover) or ``"choose"``.
    """
    return Session(model, solver=solver).run()


def _free_sizes(model: LPModel) -> LPModel:
    lo, hi = model.col_lower.copy(), model.col_upper.copy()
    fixed = model.col_lower[:3] == model.col_upper[:3]
    lo[:3] = 0.0  # minimum sizes off; fixed sizes become free up to infinity (roof max kept)
    hi[:3] = np.where(fixed, np.inf, hi[:3])
    return replace(model, col_lower=lo, col_upper=hi)


def diagnose_infeasible(model: LPModel) -> str:
    """Plain-words advice on which optional constraint to relax to make ``model`` feasible."""
    candidates = [name for name in ("co2", "renewable", "budget") if name in model.rows]
    culprits: list[str] = []
    for name in candidates:
        if solve_lp(drop_rows(model, (name,)), solver="simplex").status == "optimal":
            culprits.append(name)
    if solve_lp(_free_sizes(model), solver="simplex").status == "optimal":
        culprits.append("sizes")
    if culprits:
        advice = " or ".join(_PLAIN[c] for c in culprits)
        return f"the site problem is infeasible; relax {advice}."
    both = drop_rows(_free_sizes(model), tuple(candidates))
    if candidates and solve_lp(both, solver="simplex").status == "optimal":
        together = " and ".join(_PLAIN[c] for c in (*candidates, "sizes"))
        return (
            f"the site problem is infeasible; the constraints conflict together: relax {together}."
        )
    return (
        "the site problem is infeasible even without targets, budget or size limits; check the "
        "load, PV profile and export limit inputs."
    )


def check_solution(model: LPModel, solution: LPSolution) -> LPSolution:
    """Return an optimal ``solution`` or raise :class:`PeakzeroError` explaining what to relax."""
    if solution.status == "infeasible":
        raise PeakzeroError(diagnose_infeasible(model), field="targets")
    if solution.status != "optimal":
        raise PeakzeroError(
            f"the site LP did not solve to optimality: HiGHS says {solution.status}"
        )
    return solution


def solve_or_explain(model: LPModel, *, solver: str = DEFAULT_SOLVER) -> LPSolution:
    """Solve ``model`` or raise :class:`PeakzeroError` explaining what to relax."""
    return check_solution(model, solve_lp(model, solver=solver))
