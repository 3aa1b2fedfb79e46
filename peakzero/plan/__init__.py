"""The plan: one entity from a PLAN.toml (or a dict) to a typed result, CSVs and a report.

>>> from peakzero.plan import STEPS
>>> STEPS
('inventory', 'roof', 'site', 'pathway', 'trajectory')

See ``docs/api.md`` for the whole flow from a notebook.
"""

from __future__ import annotations

from peakzero.plan.models import Plan, PlanFile
from peakzero.plan.orchestrate import (
    STEPS,
    PlanRun,
    PlanTrajectory,
    check_plan,
    load_plan,
    plan_from_dict,
    run_plan,
)
from peakzero.plan.outputs import PlanFiles, results_json, write_outputs
from peakzero.plan.tables import pathway_tables, plan_tables

__all__ = [
    "STEPS",
    "Plan",
    "PlanFile",
    "PlanFiles",
    "PlanRun",
    "PlanTrajectory",
    "check_plan",
    "load_plan",
    "pathway_tables",
    "plan_from_dict",
    "plan_tables",
    "results_json",
    "run_plan",
    "write_outputs",
]
