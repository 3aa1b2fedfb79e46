"""The plan: one entity from a PLAN.toml (or a dict) to a typed result, CSVs and a report.

>>> from peakzero.plan import STEPS
>>> STEPS
('inventory', 'roof', 'site', 'pathway', 'trajectory')

See ``docs/api.md`` for the whole flow from a notebook. Names are imported on first use, so
``import peakzero.plan.tables`` (the CSV schemas) does not load the engines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peakzero.plan.models import Plan, PlanFile
    from peakzero.plan.orchestrate import (
        STEPS,
        PlanRun,
        PlanTrajectory,
        check_plan,
        load_plan,
        plan_from_dict,
        run_plan,
        update_plan,
    )
    from peakzero.plan.outputs import PlanFiles, results_json, write_outputs
    from peakzero.plan.tables import pathway_tables, plan_tables

_WHERE = {
    "Plan": "models",
    "PlanFile": "models",
    "STEPS": "orchestrate",
    "PlanRun": "orchestrate",
    "PlanTrajectory": "orchestrate",
    "check_plan": "orchestrate",
    "load_plan": "orchestrate",
    "plan_from_dict": "orchestrate",
    "run_plan": "orchestrate",
    "update_plan": "orchestrate",
    "PlanFiles": "outputs",
    "results_json": "outputs",
    "write_outputs": "outputs",
    "pathway_tables": "tables",
    "plan_tables": "tables",
}

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
    "update_plan",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'peakzero.plan' has no attribute {name!r}")
    return getattr(importlib.import_module(f"peakzero.plan.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
