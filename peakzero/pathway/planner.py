"""The pathway planner: from a validated PATHWAY input to the least-cost roadmap.

:func:`plan_pathway` turns the input into plain arrays (baseline by source, grid factor
trajectory from :mod:`peakzero.carbon.factors`, measures), solves the LP, checks the optimised
trajectory with :func:`peakzero.carbon.trajectory.analyze_trajectory`, and prices every target
twice: from the duals (1 tCO2) and by re-solving with the target year one year later. When the
targets cannot all be met it says which one fails and searches, by re-solving, the earliest peak
year and the earliest neutral year that can be met.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from peakzero.carbon.factors import grid_factor_trajectory
from peakzero.carbon.trajectory import TrajectoryAnalysis, analyze_trajectory
from peakzero.errors import PeakzeroError
from peakzero.pathway.lp import (
    Cap,
    PathwayProblem,
    PathwayTargets,
    build_pathway_lp,
    solve_built,
    solve_pathway_lp,
)
from peakzero.pathway.measures import (
    FloatArray,
    Measure,
    builtin_measure,
    custom_measure,
    pv_storage_measure,
)
from peakzero.pathway.models import MeasureSpec, PathwayInput, SourceSpec, finite_or_inf
from peakzero.pathway.results import (
    MaccRow,
    RoadmapRow,
    TargetCost,
    Trajectories,
    macc,
    roadmap,
    target_costs,
    trajectories,
)


class InfeasibleTargetError(PeakzeroError):
    """The targets cannot all be met with the menu of measures, limits and budget.

    Attributes
    ----------
    failed
        The targets that cannot be met even on their own (``"peak"``, ``"neutral"``, ``"cap
        2035"``), or ``("combination",)`` when each alone can but not all together.
    earliest_peak_year, earliest_neutral_year
        Earliest years that can be met on their own (with caps and budget), None when none
        within the horizon.
    earliest_neutral_year_with_peak
        Earliest neutral year together with the peak at ``earliest_peak_year``.
    """

    def __init__(
        self,
        message: str,
        *,
        failed: tuple[str, ...],
        earliest_peak_year: int | None,
        earliest_neutral_year: int | None,
        earliest_neutral_year_with_peak: int | None,
    ) -> None:
        super().__init__(message, field="targets")
        self.failed = failed
        self.earliest_peak_year = earliest_peak_year
        self.earliest_neutral_year = earliest_neutral_year
        self.earliest_neutral_year_with_peak = earliest_neutral_year_with_peak


@dataclass(frozen=True)
class YearRelaxation:
    """Saving from moving one target year one year later (by re-solving) [yuan, present value]."""

    target: str
    from_year: int
    to_year: int | None  # None: the target drops out of the horizon
    saving_yuan: float


@dataclass(frozen=True)
class PathwayResult:
    """The least-cost pathway and its explanation.

    ``total_cost_yuan`` is the discounted total cost at the base year (the LP objective); it
    equals the sum of the roadmap rows' ``present_value_yuan``: capex and opex discounted, less
    ``salvage_credit_pv_yuan``, the credit for the life left after the horizon. ``peak_year``
    and ``neutral_year`` are those found by ``analyze_trajectory`` on the optimised gross, sink
    and offset series.
    """

    name: str
    years: tuple[int, ...]
    total_cost_yuan: float
    peak_year: int
    neutral_year: int | None
    analysis: TrajectoryAnalysis
    trajectory: Trajectories
    roadmap: tuple[RoadmapRow, ...]
    macc_year: int
    macc: tuple[MaccRow, ...]
    target_costs: tuple[TargetCost, ...]
    relaxations: tuple[YearRelaxation, ...]
    ef_t_per_mwh: tuple[float, ...]
    build_seconds: float
    solve_seconds: float
    salvage_credit_pv_yuan: float = 0.0

    def trajectory_rows(self) -> list[dict[str, float]]:
        """One mapping per year: baseline, gross, sinks, offsets, net [tCO2], grid factor."""
        t = self.trajectory
        return [
            {
                "year": y,
                "baseline_gross_t": float(t.baseline_gross_t[k]),
                "gross_t": float(t.gross_t[k]),
                "sinks_t": float(t.sinks_t[k]),
                "offsets_t": float(t.offsets_t[k]),
                "net_t": float(t.net_t[k]),
                "ef_t_per_mwh": self.ef_t_per_mwh[k],
            }
            for k, y in enumerate(self.years)
        ]

    def target_summary(self) -> list[dict[str, Any]]:
        """Per target: binding rows, the saving from relaxing every row by 1 tCO2 (sum of the
        duals) and the saving from moving its year one year later (re-solve) [yuan, PV]."""
        out = []
        names = sorted({tc.target for tc in self.target_costs}, key=lambda s: (s != "peak", s))
        relax = {r.target: r for r in self.relaxations}
        for name in [*names, *(k for k in relax if k not in names)]:
            rows = [tc for tc in self.target_costs if tc.target == name]
            r = relax.get(name)
            out.append(
                {
                    "target": name,
                    "binding_years": [tc.year for tc in rows],
                    "saving_yuan_per_t_all_years": sum(tc.saving_yuan_per_unit for tc in rows),
                    "max_saving_yuan_per_t_in_year": max(
                        (tc.saving_yuan_per_unit_in_year for tc in rows), default=0.0
                    ),
                    "one_year_later": None if r is None else r.to_year,
                    "one_year_later_saving_yuan": None if r is None else r.saving_yuan,
                    "one_year_later_note": None
                    if r is None
                    else (
                        f"{r.from_year} -> {r.to_year}"
                        if r.to_year is not None
                        else f"{r.from_year} is the last year of the horizon: the target is dropped"
                    ),
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        a = self.analysis
        return {
            "name": self.name,
            "status": "optimal",
            "peak_year": self.peak_year,
            "neutral_year": self.neutral_year,
            "peak_status": a.status,
            "meets_peak_target": a.meets_peak_target,
            "meets_neutral_target": a.meets_neutral_target,
            "total_cost_yuan": self.total_cost_yuan,
            "discounted_spend_yuan": self.total_cost_yuan + self.salvage_credit_pv_yuan,
            "salvage_credit_pv_yuan": self.salvage_credit_pv_yuan,
            "roadmap": [r.__dict__ for r in self.roadmap],
            "trajectory": self.trajectory_rows(),
            "macc_year": self.macc_year,
            "macc": [r.__dict__ for r in self.macc],
            "target_summary": self.target_summary(),
            "target_costs": [r.__dict__ for r in self.target_costs],
            "year_relaxations": [r.__dict__ for r in self.relaxations],
            "build_seconds": self.build_seconds,
            "solve_seconds": self.solve_seconds,
        }


def baseline_series(spec: SourceSpec, years: np.ndarray) -> FloatArray:
    """Baseline of one source per year: the series, or base value grown by period.

    A year ``y`` grows at the rate of the first period with ``until >= y``; years after the last
    period stay flat.

    >>> from peakzero.pathway.models import SourceSpec
    >>> s = SourceSpec(category="fuels", base_t=100, growth=[{"until": 2027, "rate": 0.1}])
    >>> baseline_series(s, np.arange(2025, 2029)).round(6).tolist()
    [100.0, 110.0, 121.0, 121.0]
    """
    series = spec.series_t if spec.series_t is not None else spec.series_mwh
    if series is not None:
        return np.asarray(series, dtype=float)
    base = spec.base_t if spec.base_t is not None else spec.base_mwh
    assert base is not None  # the model guarantees one of them
    periods = sorted(spec.growth, key=lambda p: p.until)
    rates = np.zeros(len(years))
    for k in range(len(years) - 1, 0, -1):
        y = int(years[k])
        rates[k] = next((p.rate for p in periods if p.until >= y), 0.0)
    return np.asarray(base * np.cumprod(1.0 + rates), dtype=float)


def _measure(spec: MeasureSpec, base_year: int) -> Measure:
    earliest = spec.earliest_year if spec.earliest_year is not None else base_year
    total = finite_or_inf(spec.max_units_total)
    if spec.type == "pv_storage" and spec.kwh_per_kw_year is not None:
        missing = [
            k for k in ("capex_yuan_per_kw", "annual_saving_yuan_per_kw")
            if getattr(spec, k) is None
        ]  # fmt: skip
        if missing:
            raise PeakzeroError(
                f"measure {spec.name!r}: with kwh_per_kw_year also give {', '.join(missing)}",
                field="measures",
            )
        assert spec.capex_yuan_per_kw is not None and spec.annual_saving_yuan_per_kw is not None
        extra: dict[str, Any] = {}
        for k in ("om_yuan_per_kw_year", "lifetime_years", "cost_decline_per_year", "source"):
            if getattr(spec, k) is not None:
                extra[k] = getattr(spec, k)
        return pv_storage_measure(
            spec.name,
            kwh_per_kw_year=spec.kwh_per_kw_year,
            capex_yuan_per_kw=spec.capex_yuan_per_kw,
            annual_saving_yuan_per_kw=spec.annual_saving_yuan_per_kw,
            earliest_year=earliest,
            max_units_per_year=spec.max_units_per_year,
            max_units_total=total,
            **extra,
        )
    skip = {"name", "type", "max_units_per_year", "max_units_total", "earliest_year"}
    overrides = {k: v for k, v in spec.model_dump().items() if k not in skip and v is not None}
    if spec.type == "pv_storage" and spec.capex_yuan_per_kw is not None:
        overrides["capex_yuan_per_unit"] = overrides.pop("capex_yuan_per_kw")
    kind = spec.type
    if kind == "custom":
        defaults = {
            "cost_decline_per_year": 0.0, "acts_on": None, "direct_t_per_unit_year": 0.0,
            "grid_mwh_per_unit_year": 0.0, "offset_t_per_unit_year": 0.0,
            "sink_cmax_t_per_unit": 0.0, "sink_k_per_year": 1.0, "sink_shape": 1.0,
            "source": "user input",
        }  # fmt: skip
        defaults.update(overrides)
        return custom_measure(spec.name, earliest, spec.max_units_per_year, total, defaults)
    return builtin_measure(
        kind,
        spec.name,
        earliest_year=earliest,
        max_units_per_year=spec.max_units_per_year,
        max_units_total=total,
        **overrides,
    )


def build_problem(inp: PathwayInput) -> PathwayProblem:
    """Plain arrays for the LP from a validated input (baseline, grid factors, measures)."""
    h = inp.pathway
    years = np.arange(h.base_year, h.end_year + 1, dtype=np.int64)
    direct: dict[str, FloatArray] = {}
    elec = np.zeros(len(years))
    for name, spec in inp.baseline.items():
        series = baseline_series(spec, years)
        if spec.category == "electricity":
            elec = series
        else:
            direct[name] = series
    g = inp.grid
    if g.ef_t_per_mwh is not None:
        ef = np.broadcast_to(np.asarray(g.ef_t_per_mwh, dtype=float), (len(years),)).copy()
    else:
        ef = np.asarray(
            grid_factor_trajectory(
                g.region, years.tolist(), decline_per_year=g.decline_per_year,
                base_year=g.factor_year,
            ),
            dtype=float,
        )  # fmt: skip
    if np.any(ef < 0):
        raise PeakzeroError("grid.ef_t_per_mwh must be >= 0 [tCO2/MWh]", field="grid")
    measures = tuple(_measure(m, h.base_year) for m in inp.measures)
    for m in measures:
        if m.acts_on is not None and m.acts_on not in direct:
            raise PeakzeroError(
                f"measure {m.name!r} acts on {m.acts_on!r}, which is not a fuels/heat/process "
                f"source of the baseline ({sorted(direct)}); set acts_on to one of them.",
                field="measures.acts_on",
            )
        if m.acts_on is None and any(v != 0 for v in m.direct_t_by_age):
            raise PeakzeroError(
                f"measure {m.name!r} has direct abatement but no acts_on source",
                field="measures.acts_on",
            )
    t = inp.targets
    base_gross = float(elec[0] * ef[0] + sum(v[0] for v in direct.values()))
    caps = tuple(
        Cap(
            year=c.year,
            max_t=c.max_t
            if c.max_t is not None
            else (1.0 - (c.reduction_vs_base or 0.0)) * base_gross,
            basis=c.basis,
            label=f"{c.year} {c.basis}",
        )
        for c in t.caps
    )
    targets = PathwayTargets(
        peak_year=t.peak_year,
        neutral_year=t.neutral_year,
        peak_basis=t.peak_basis,
        peak_min_decline_per_year=t.peak_min_decline_per_year,
        caps=caps,
        budget_yuan_per_year=t.budget_yuan_per_year,
    )
    return PathwayProblem(
        years=years,
        base_direct_t=direct,
        base_electricity_mwh=elec,
        ef_t_per_mwh=ef,
        measures=measures,
        targets=targets,
        discount_rate=h.discount_rate,
        capex_mode=h.capex_mode,
    )


def _feasible(problem: PathwayProblem, targets: PathwayTargets) -> bool:
    return solve_pathway_lp(replace(problem, targets=targets))[1].optimal


def _earliest(lo: int, hi: int, ok: Callable[[int], bool]) -> int | None:
    """Smallest year in ``[lo, hi]`` with ``ok`` (monotone: once true, true after); else None."""
    if not ok(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def lowest_net_t(problem: PathwayProblem, year: int) -> float:
    """Lowest net emissions reachable in ``year`` with the budget alone (no other target) [tCO2]."""
    free = replace(
        problem, targets=replace(problem.targets, peak_year=None, neutral_year=None, caps=())
    )
    built = build_pathway_lp(free)
    cost = np.zeros_like(built.cost)
    cost[built.columns.indices("net", [year - int(problem.years[0])])] = 1.0
    sol = solve_built(replace(built, cost=cost))
    return float(sol.objective_yuan)


def diagnose(problem: PathwayProblem) -> InfeasibleTargetError:
    """Explain an infeasible plan: which target fails and the earliest years that can be met."""
    t = problem.targets
    last = int(problem.years[-1])
    bare = replace(t, peak_year=None, neutral_year=None, caps=())
    failed: list[str] = []
    lines: list[str] = []
    if not _feasible(problem, bare):  # pragma: no cover - x = 0 always meets the budget
        return InfeasibleTargetError(
            "the plan is infeasible even without targets", failed=("budget",),
            earliest_peak_year=None, earliest_neutral_year=None,
            earliest_neutral_year_with_peak=None,
        )  # fmt: skip
    for cap in t.caps:
        if not _feasible(problem, replace(bare, caps=(cap,))):
            failed.append(f"cap {cap.label}")
            lines.append(
                f"the cap of {cap.max_t:,.0f} tCO2 ({cap.basis}) in {cap.year} cannot be met; at "
                f"best net emissions that year are {lowest_net_t(problem, cap.year):,.0f} tCO2"
                if cap.basis == "net"
                else f"the cap of {cap.max_t:,.0f} tCO2 ({cap.basis}) in {cap.year} cannot be met"
            )
    caps_ok = not failed
    with_caps = replace(bare, caps=t.caps if caps_ok else ())
    earliest_peak = earliest_neutral = joint = None
    if t.peak_year is not None:

        def peak_ok(y: int) -> bool:
            return _feasible(problem, replace(with_caps, peak_year=y))

        earliest_peak = _earliest(t.peak_year, last, peak_ok)
        if earliest_peak != t.peak_year:
            failed.append("peak")
            when = "none within the horizon" if earliest_peak is None else str(earliest_peak)
            lines.append(
                f"the peak by {t.peak_year} ({t.peak_basis} emissions not rising from "
                f"{t.peak_year} on) cannot be met; earliest peak year that can: {when}"
            )
    if t.neutral_year is not None:

        def neutral_ok(y: int) -> bool:
            return _feasible(problem, replace(with_caps, neutral_year=y))

        earliest_neutral = _earliest(t.neutral_year, last, neutral_ok)
        if earliest_neutral != t.neutral_year:
            failed.append("neutral")
            if earliest_neutral is None:
                when = (
                    f"none by {last} (at best net emissions in {last} are "
                    f"{lowest_net_t(problem, last):,.0f} tCO2)"
                )
            else:
                when = str(earliest_neutral)
            lines.append(
                f"net zero by {t.neutral_year} cannot be met; earliest neutral year that can: "
                f"{when}"
            )
        peak_at = earliest_peak if t.peak_year is not None else None
        if t.peak_year is None or peak_at is not None:

            def joint_ok(y: int) -> bool:
                return _feasible(problem, replace(with_caps, peak_year=peak_at, neutral_year=y))

            joint = _earliest(earliest_neutral or t.neutral_year, last, joint_ok)
    if not failed:
        failed.append("combination")
        lines.append(
            "each target can be met on its own but not all together"
            + (f"; with the peak in {earliest_peak} the earliest neutral year is {joint}"
               if joint is not None else "")
        )  # fmt: skip
    elif (
        t.neutral_year is not None
        and t.peak_year is not None
        and ("peak" in failed or joint != earliest_neutral)
    ):
        lines.append(
            f"with the peak in {earliest_peak}, the earliest neutral year is "
            f"{joint if joint is not None else 'none within the horizon'}"
        )
    message = (
        "targets cannot all be met with this menu of measures: "
        + "; ".join(lines)
        + ". Add measures, raise max_units_per_year / max_units_total or the budget, or move "
        "the targets."
    )
    return InfeasibleTargetError(
        message,
        failed=tuple(failed),
        earliest_peak_year=earliest_peak,
        earliest_neutral_year=earliest_neutral,
        earliest_neutral_year_with_peak=joint,
    )


def _relaxations(problem: PathwayProblem, objective: float) -> list[YearRelaxation]:
    out = []
    t = problem.targets
    last = int(problem.years[-1])
    for key in ("peak_year", "neutral_year"):
        year = getattr(t, key)
        if year is None:
            continue
        later = year + 1 if year < last else None
        relaxed = (
            replace(t, peak_year=later) if key == "peak_year" else replace(t, neutral_year=later)
        )
        sol = solve_pathway_lp(replace(problem, targets=relaxed))[1]
        saving = objective - sol.objective_yuan if sol.optimal else math.nan
        out.append(YearRelaxation(key.removesuffix("_year"), year, later, saving))
    return out


def plan_problem(
    problem: PathwayProblem, *, name: str = "pathway", macc_year: int | None = None
) -> PathwayResult:
    """Solve a :class:`PathwayProblem` and read back the full result.

    Raises
    ------
    InfeasibleTargetError
        When the targets cannot all be met (the message says which and the earliest years).
    """
    built, sol = solve_pathway_lp(problem)
    if sol.status == "infeasible":
        raise diagnose(problem)
    if not sol.optimal:
        raise PeakzeroError(
            f"the pathway LP ended with status {sol.status!r}: give every measure a finite "
            "max_units_per_year",
            field="measures",
        )
    traj = trajectories(problem, sol)
    t = problem.targets
    last = int(problem.years[-1])
    analysis = analyze_trajectory(
        problem.years,
        traj.gross_t,
        np.maximum(traj.sinks_t, 0.0),
        np.maximum(traj.offsets_t, 0.0),
        peak_target_year=t.peak_year if t.peak_year is not None else last,
        neutral_target_year=t.neutral_year if t.neutral_year is not None else last,
    )
    rows = tuple(roadmap(problem, built, sol))
    df_end = float(problem.discount_factors()[-1])
    salvage_pv = sum(r.salvage_credit_yuan for r in rows) * df_end
    my = macc_year if macc_year is not None else (t.peak_year or int(problem.years[0]))
    my = min(max(my, int(problem.years[0])), last)
    return PathwayResult(
        name=name,
        years=tuple(int(y) for y in problem.years),
        total_cost_yuan=sol.objective_yuan,
        peak_year=analysis.peak_year,
        neutral_year=analysis.neutral_year,
        analysis=analysis,
        trajectory=traj,
        roadmap=rows,
        macc_year=my,
        macc=tuple(macc(problem, sol, my)),
        target_costs=tuple(target_costs(problem, built, sol)),
        relaxations=tuple(_relaxations(problem, sol.objective_yuan)),
        ef_t_per_mwh=tuple(float(v) for v in problem.ef_t_per_mwh),
        build_seconds=sol.build_seconds,
        solve_seconds=sol.solve_seconds,
        salvage_credit_pv_yuan=salvage_pv,
    )


def plan_pathway(inp: PathwayInput, *, macc_year: int | None = None) -> PathwayResult:
    """The least-cost year-by-year roadmap for a validated pathway input (pure).

    Parameters
    ----------
    inp
        Validated input (:func:`peakzero.pathway.models.load_pathway` or
        :func:`~peakzero.pathway.models.parse_pathway`).
    macc_year
        Year of the marginal abatement cost curve; default ``pathway.macc_year`` or the peak
        target year.

    Raises
    ------
    InfeasibleTargetError
        When the targets cannot all be met.
    """
    problem = build_problem(inp)
    year = macc_year if macc_year is not None else inp.pathway.macc_year
    if year is not None and not inp.pathway.base_year <= year <= inp.pathway.end_year:
        raise PeakzeroError(
            f"macc_year = {year} is outside the horizon {inp.pathway.base_year}-"
            f"{inp.pathway.end_year}",
            field="macc_year",
        )
    return plan_problem(problem, name=inp.pathway.name, macc_year=year)
