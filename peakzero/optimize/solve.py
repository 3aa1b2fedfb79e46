"""Solve a built site LP with HiGHS (highspy), in one ``passModel`` call.

The first dual simplex solve of a :class:`Session` is staged (:func:`staged_sizes`): the three
sizes are fixed first, with no battery and then at a rough guess (:func:`size_guess`), and freed
last, each stage warm-started from the last basis (HiGHS keeps it when only bounds change). The
last stage is the model itself, so the optimum is the one-shot solve's; only the path is shorter:
most iterations run without the three dense size columns (each spans all T hours), and the
battery-free stage is solved by presolve alone. Solve seconds one-shot -> staged, single thread,
medians of 3 interleaved fresh runs, 2026-11-23: Suzhou 3.04 -> 1.17, Guangzhou 1.66 -> 0.90,
Jinan 1.75 -> 0.76; objectives equal to round-off (at most 2e-16 relative difference).

An infeasible model is diagnosed by feasibility solves (zero objective) with each optional
constraint that was set relaxed in turn (targets, capex budget, fixed or minimum sizes), each
within :data:`DIAGNOSIS_SECONDS`; the error names those whose relaxation restores feasibility,
in plain words, with their values. Most infeasible targets never get here: they are refused
before the LP by :mod:`peakzero.optimize.reach`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from peakzero.errors import PeakzeroError
from peakzero.highs import highs_lp, quiet_highs
from peakzero.optimize.build import SIZES, SiteLp, drop_rows
from peakzero.optimize.problem import FloatArray

#: HiGHS feasibility / optimality tolerance used for every solve: tight enough that two solvers
#: agree to 1e-6 relative on the objective.
TOLERANCE = 1e-9

#: Default HiGHS solver. Dual simplex vs IPM (IPX + crossover), median single-thread CPU seconds
#: on the example sites' full-year LPs, 2026-11-23: Suzhou 2.6 vs 2.9, Jinan 2.4 vs 1.5,
#: Guangzhou (detailed form, renewable target) 1.1 vs 2.5; 6.1 s vs 6.9 s over the three. Simplex
#: also returns a vertex (clean dispatch, no crossover); neither wins everywhere one-shot, but
#: the staged simplex solve (:class:`Session`) is faster than IPM on all three.
DEFAULT_SOLVER = "simplex"

#: Largest battery energy guessed for the staged solve, in hours of the peak load [h].
GUESS_MAX_HOURS = 4.0
#: Battery power guessed for the staged solve, per kWh guessed (a two-hour battery) [kW/kWh].
GUESS_KW_PER_KWH = 0.5
#: Share of the capex budget the guessed sizes may spend, so that the guess stays inside it [-].
GUESS_BUDGET_SHARE = 0.98

_PLAIN = {
    "co2": "the minimum CO2 reduction (targets.min_co2_reduction_fraction)",
    "renewable": "the minimum renewable share (targets.min_renewable_share)",
    "budget": "the capex budget (targets.capex_budget_yuan)",
}

#: Input settings behind each size column: (its fixed size, its minimum size).
_SIZE_SETTINGS = {
    "pv_kwp": ("pv.fixed_kwp", "pv.min_kwp"),
    "batt_kw": ("battery.fixed_kw", "battery.min_kw"),
    "batt_kwh": ("battery.fixed_kwh", "battery.min_kwh"),
}


@dataclass(frozen=True)
class SiteLpSolution:
    """Raw solution: column values, objective [yuan] including the model offset, timings [s]."""

    status: str
    x: FloatArray
    objective_yuan: float
    solve_seconds: float
    col_dual: FloatArray | None = None


def _highs(model: SiteLp, *, solver: str) -> highspy.Highs:
    h = quiet_highs()
    h.setOptionValue("primal_feasibility_tolerance", TOLERANCE)
    h.setOptionValue("dual_feasibility_tolerance", TOLERANCE)
    h.setOptionValue("ipm_optimality_tolerance", TOLERANCE)
    h.setOptionValue("solver", solver)
    h.passModel(
        highs_lp(
            model.c,
            model.col_lower,
            model.col_upper,
            model.a,
            model.row_lower,
            model.row_upper,
            model.offset,
        )
    )
    return h


def _read(h: highspy.Highs, n_col: int, seconds: float) -> SiteLpSolution:
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        dual = np.asarray(sol.col_dual, dtype=float) if sol.dual_valid else None
        objective = float(h.getInfo().objective_function_value)
        return SiteLpSolution("optimal", x, objective, seconds, dual)
    text = h.modelStatusToString(status).lower()
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        text = "infeasible"
    return SiteLpSolution(text, np.zeros(n_col), float("nan"), seconds)


def size_guess(model: SiteLp) -> FloatArray:
    """Rough PV, battery power and energy sizes [kWp, kW, kWh] to start the staged solve from.

    Each size at its upper bound, the battery energy at most :data:`GUESS_MAX_HOURS` of the peak
    load (a size with no finite upper bound at its lower bound), the battery power at
    :data:`GUESS_KW_PER_KWH` of the energy, all within their bounds; the free sizes are then
    scaled towards their lower bounds until the capex is within :data:`GUESS_BUDGET_SHARE` of the
    budget, if any. The guess only steers the solver's path, never the optimum. Returned in the
    order of :data:`~peakzero.optimize.build.SIZES`.
    """
    cols = model.size_columns
    lo = dict(zip(SIZES, model.col_lower[cols], strict=True))
    hi = dict(zip(SIZES, model.col_upper[cols], strict=True))
    guess = {k: hi[k] if np.isfinite(hi[k]) else lo[k] for k in SIZES}
    peak_kw = float(np.max(model.row_upper[model.rows["load_balance"]], initial=0.0))
    kwh = np.clip(min(guess["batt_kwh"], GUESS_MAX_HOURS * peak_kw), lo["batt_kwh"], hi["batt_kwh"])
    guess["batt_kwh"] = kwh
    guess["batt_kw"] = np.clip(GUESS_KW_PER_KWH * kwh, lo["batt_kw"], hi["batt_kw"])
    g = np.array([guess[k] for k in SIZES], dtype=float)
    low = np.array([lo[k] for k in SIZES], dtype=float)
    if "budget" in model.rows:
        row = model.rows["budget"].start
        capex = model.a[:, cols].tocsr()[row].toarray().ravel()
        room = GUESS_BUDGET_SHARE * model.row_upper[row] - float(capex @ low)
        extra = float(capex @ (g - low))
        if extra > room:
            g = low + max(room, 0.0) / extra * (g - low)
    return np.asarray(g, dtype=float)


def staged_sizes(model: SiteLp) -> list[FloatArray]:
    """The fixed sizes [kWp, kW, kWh] of the stages solved before the model itself.

    Empty when every size is fixed already; otherwise the guess with the battery at its lower
    bounds, then the guess itself (when the battery is not fixed). A stage that is infeasible
    (a target the guess misses) costs its time but not the result: the next one goes on from
    its basis.
    """
    cols = model.size_columns
    lo, hi = model.col_lower[cols], model.col_upper[cols]
    if np.all(lo == hi):
        return []
    guess = size_guess(model)
    battery = np.array([k != "pv_kwp" for k in SIZES])
    no_battery = np.where(battery, lo, guess)
    return [no_battery] if np.array_equal(no_battery, guess) else [no_battery, guess]


class Session:
    """A HiGHS instance holding one model, for a solve and cheap warm-started re-solves.

    With ``staged`` (the default) the first dual simplex solve goes through the stages of
    :func:`staged_sizes`; re-solves and the other solvers are one-shot. ``time_limit_s`` bounds
    the wall time of each :meth:`run`, stages included (HiGHS's own limit is per call).
    """

    def __init__(
        self,
        model: SiteLp,
        *,
        solver: str = DEFAULT_SOLVER,
        staged: bool = True,
        time_limit_s: float | None = None,
    ) -> None:
        self.model = model
        self.highs = _highs(model, solver=solver)
        self._stages = staged_sizes(model) if staged and solver == "simplex" else []
        self.time_limit_s = time_limit_s

    def _limit(self, started: float) -> None:
        if self.time_limit_s is not None:
            left = self.time_limit_s - (time.perf_counter() - started)
            self.highs.setOptionValue("time_limit", max(left, 1e-3))

    def run(self) -> SiteLpSolution:
        """Solve (or re-solve from the last basis) and read the result."""
        started = time.perf_counter()
        if self._stages:
            cols = self.model.size_columns
            for sizes in self._stages:
                self.highs.changeColsBounds(cols.size, cols, sizes, sizes)
                self._limit(started)
                self.highs.run()
            lo, hi = self.model.col_lower[cols], self.model.col_upper[cols]
            self.highs.changeColsBounds(cols.size, cols, lo, hi)
            self._stages = []
        self._limit(started)
        self.highs.run()
        return _read(self.highs, self.model.c.size, time.perf_counter() - started)

    def start_from(self, sizes: FloatArray) -> None:
        """Stage the next :meth:`run` through ``sizes`` [kWp, kW, kWh] (clipped to the size
        bounds): solved with the sizes fixed there first, then freed, so that the free solve
        starts from a basis near the optimum when ``sizes`` are a good guess of it."""
        cols = self.model.size_columns
        lo, hi = self.model.col_lower[cols], self.model.col_upper[cols]
        self._stages = [np.clip(np.asarray(sizes, dtype=float), lo, hi)]

    def fix_sizes(self, sizes: FloatArray) -> None:
        """Fix the size columns at ``sizes`` [kWp, kW, kWh] (order of
        :data:`~peakzero.optimize.build.SIZES`); the next :meth:`run` warm-starts from the last
        basis (no staging)."""
        cols = self.model.size_columns
        values = np.asarray(sizes, dtype=float)
        self._stages = []
        self.highs.changeColsBounds(cols.size, cols, values, values)

    def change_cost(self, column: str, cost: float) -> None:
        """Change the objective coefficient of the scalar column ``column``; the next
        :meth:`run` warm-starts with simplex."""
        self.highs.changeColCost(self.model.columns.index(column), cost)
        self.highs.setOptionValue("solver", "simplex")


def solve_site_lp(
    model: SiteLp, *, solver: str = DEFAULT_SOLVER, staged: bool = True
) -> SiteLpSolution:
    """Solve ``model``; status is ``"optimal"``, ``"infeasible"`` or HiGHS's own status text.

    Parameters
    ----------
    model
        The LP from :func:`peakzero.optimize.build.build_site_lp`.
    solver
        HiGHS solver option: ``"simplex"`` (dual simplex, the default, fastest on the example
        full years), ``"ipm"`` (interior point with crossover) or ``"choose"``.
    staged
        Stage the dual simplex solve through fixed sizes (:class:`Session`); same optimum.
    """
    return Session(model, solver=solver, staged=staged).run()


def size_settings(model: SiteLp) -> list[str]:
    """The fixed (``lower == upper``) or minimum (``lower > 0``) sizes of ``model``, as the
    settings that set them, with their values (``"pv.fixed_kwp = 300"``)."""
    out = []
    for name, (fixed, minimum) in _SIZE_SETTINGS.items():
        col = model.columns.index(name)
        low, high = model.col_lower[col], model.col_upper[col]
        if low == high:
            note = " or battery.enabled = false" if low == 0.0 and name != "pv_kwp" else ""
            out.append(f"{fixed} = {low:g}{note}")
        elif low > 0.0:
            out.append(f"{minimum} = {low:g}")
    return out


def _free_sizes(model: SiteLp) -> SiteLp:
    lo, hi = model.col_lower.copy(), model.col_upper.copy()
    cols = model.size_columns
    fixed = model.col_lower[cols] == model.col_upper[cols]
    lo[cols] = 0.0  # minimum sizes off; fixed sizes become free up to infinity (roof max kept)
    hi[cols] = np.where(fixed, np.inf, hi[cols])
    return replace(model, col_lower=lo, col_upper=hi)


#: HiGHS time limit of each feasibility solve of the diagnosis [s]; a solve that runs out is
#: counted as "not shown feasible", so the advice never names a relaxation it did not check.
DIAGNOSIS_SECONDS = 10.0


def is_feasible(model: SiteLp, *, time_limit_s: float = DIAGNOSIS_SECONDS) -> bool:
    """Whether ``model`` has a feasible point: solved with a zero objective (phase one only),
    within ``time_limit_s`` (``False`` when the time runs out first)."""
    blind = replace(model, c=np.zeros_like(model.c), offset=0.0)
    session = Session(blind, solver="simplex", staged=False)
    session.highs.setOptionValue("time_limit", time_limit_s)
    return session.run().status == "optimal"


def diagnose_infeasible(model: SiteLp) -> str:
    """Plain-words advice on which optional constraint to relax to make ``model`` feasible.

    Only the settings that were set are tried and named: a target or budget row present, a size
    fixed or with a minimum. Each try is a feasibility solve (zero objective).
    """
    candidates = [name for name in ("co2", "renewable", "budget") if name in model.rows]
    sizes = size_settings(model)
    plain = dict(_PLAIN)
    if sizes:
        candidates.append("sizes")
        plain["sizes"] = f"the fixed or minimum sizes ({', '.join(sizes)})"

    def relaxed(names: tuple[str, ...]) -> SiteLp:
        rows = tuple(n for n in names if n != "sizes")
        out = drop_rows(model, rows) if rows else model
        return _free_sizes(out) if "sizes" in names else out

    culprits = [name for name in candidates if is_feasible(relaxed((name,)))]
    if culprits:
        advice = " or ".join(plain[c] for c in culprits)
        return f"the site problem is infeasible; relax {advice}."
    if len(candidates) > 1 and is_feasible(relaxed(tuple(candidates))):
        together = " and ".join(plain[c] for c in candidates)
        return (
            f"the site problem is infeasible; the constraints conflict together: relax {together}."
        )
    return (
        "the site problem is infeasible even without the targets, budget and size limits that "
        "were set; check the load, PV profile and export limit inputs."
    )


def check_solution(model: SiteLp, solution: SiteLpSolution) -> SiteLpSolution:
    """Return an optimal ``solution`` or raise :class:`PeakzeroError` explaining what to relax."""
    if solution.status == "infeasible":
        raise PeakzeroError(diagnose_infeasible(model), field="targets")
    if solution.status != "optimal":
        raise PeakzeroError(
            f"the site LP did not solve to optimality: HiGHS says {solution.status}"
        )
    return solution
