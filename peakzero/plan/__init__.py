"""The plan: one entity from a PLAN.toml to results, CSVs and a customer report.

>>> from peakzero.plan import STEPS
>>> STEPS
('inventory', 'roof', 'site', 'pathway', 'trajectory')
"""

from __future__ import annotations

from peakzero.plan.models import Plan, load_plan, plan_from_dict
from peakzero.plan.orchestrate import STEPS, PlanRun, check_plan, run_plan
from peakzero.plan.outputs import PlanFiles, results_json, write_outputs

__all__ = [
    "STEPS",
    "Plan",
    "PlanFiles",
    "PlanRun",
    "check_plan",
    "load_plan",
    "plan_from_dict",
    "results_json",
    "run_plan",
    "write_outputs",
]
