"""Pathway planner: the least-cost year-by-year roadmap to carbon peak and net zero.

>>> from peakzero.pathway import plan_pathway, load_pathway  # doctest: +SKIP
>>> result = plan_pathway(load_pathway("examples/pathway/industrial_park.toml"))  # doctest: +SKIP
"""

from __future__ import annotations

from peakzero.pathway.lp import Cap, PathwayProblem, Targets, build_lp, solve_lp
from peakzero.pathway.measures import Measure, builtin_kinds, builtin_measure, pv_storage_measure
from peakzero.pathway.models import PathwayInput, load_pathway, parse_pathway
from peakzero.pathway.plan import (
    InfeasibleTargetError,
    PathwayResult,
    build_problem,
    plan_pathway,
    plan_problem,
)

__all__ = [
    "Cap",
    "InfeasibleTargetError",
    "Measure",
    "PathwayInput",
    "PathwayProblem",
    "PathwayResult",
    "Targets",
    "build_lp",
    "build_problem",
    "builtin_kinds",
    "builtin_measure",
    "load_pathway",
    "parse_pathway",
    "plan_pathway",
    "plan_problem",
    "pv_storage_measure",
    "solve_lp",
]
