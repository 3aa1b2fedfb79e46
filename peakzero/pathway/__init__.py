"""Pathway planner: the least-cost year-by-year roadmap to carbon peak and net zero.

>>> from peakzero.pathway import plan_pathway, load_pathway  # doctest: +SKIP
>>> result = plan_pathway(load_pathway("examples/pathway/industrial_park.toml"))  # doctest: +SKIP
"""

from __future__ import annotations

from peakzero.pathway.lp import (
    Cap,
    PathwayLp,
    PathwayLpSolution,
    PathwayProblem,
    PathwayTargets,
    build_pathway_lp,
    solve_pathway_lp,
)
from peakzero.pathway.measures import Measure, builtin_kinds, builtin_measure, pv_storage_measure
from peakzero.pathway.models import PathwayInput, load_pathway, parse_pathway
from peakzero.pathway.planner import (
    InfeasibleTargetError,
    PathwayResult,
    baseline_series,
    build_problem,
    plan_pathway,
    plan_problem,
)

# Former names, kept for callers outside this package (peakzero.plan, web, county).
Targets = PathwayTargets
build_lp = build_pathway_lp
solve_lp = solve_pathway_lp

__all__ = [
    "Cap",
    "InfeasibleTargetError",
    "Measure",
    "PathwayInput",
    "PathwayLp",
    "PathwayLpSolution",
    "PathwayProblem",
    "PathwayResult",
    "PathwayTargets",
    "Targets",
    "baseline_series",
    "build_lp",
    "build_pathway_lp",
    "build_problem",
    "builtin_kinds",
    "builtin_measure",
    "load_pathway",
    "parse_pathway",
    "plan_pathway",
    "plan_problem",
    "pv_storage_measure",
    "solve_lp",
    "solve_pathway_lp",
]
