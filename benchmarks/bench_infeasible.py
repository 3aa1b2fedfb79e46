"""Explaining an infeasible full-year site: seconds from the built problem to the error message.

The Suzhou example site (8,760 hours) with targets it cannot meet, each explained two ways in the
same run: ``peakzero`` (``optimize_dispatch``: the closed-form reach check and screening LP of
:mod:`peakzero.optimize.reach` first, then the LP and its feasibility diagnosis only when the
check cannot tell) against ``lp_diagnosis`` (the way before: the staged LP solve proves the
model infeasible, then :func:`peakzero.optimize.solve.diagnose_infeasible` relaxes each set
constraint in turn). The cases: an out-of-reach CO2 cut; a CO2 cut against a capex budget; an
out-of-reach renewable share; and a CO2 cut just inside the closed-form bound (0.31 against the
bound's 0.315 at 2,500 kWp; the LP's best is 0.302), which the closed form cannot refuse (the
screening LP does). Two cases conflict only together, on the same site with a larger roof
(``pv.max_kwp = 8000``, ``battery.max_kwh = 40000``): a CO2 cut of 0.36 (alone the site reaches
0.84) with a capex budget of 12 million yuan (alone no constraint at all), which together reach
only 0.356, where the closed form with the budget split between PV and battery still allows
0.453; and the same budget with a reachable cut of 0.30 (feasible: what the screen costs a run
that solves; ``reach_check_s`` is the reach check alone, closed form and screening LP, which
is all the new path adds to a run that solves). ``peakzero`` medians of ``REPEATS`` runs in this
process; the way before once (``BEFORE_REPEATS``: it takes minutes).
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path
from typing import Any

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "sites" / "suzhou_electronics" / "SITE.toml"
)
REPEATS = 3
BEFORE_REPEATS = 1


def run() -> dict[str, Any]:
    from peakzero.errors import PeakzeroError
    from peakzero.optimize import SiteTargets, build_site_lp, optimize_dispatch
    from peakzero.optimize.reach import unreachable
    from peakzero.optimize.solve import Session, diagnose_infeasible
    from peakzero.site import load_site, prepare_site

    base = prepare_site(load_site(EXAMPLE)).problem
    large = dataclasses.replace(
        base,
        pv=dataclasses.replace(base.pv, max_kwp=8000.0),
        battery=dataclasses.replace(base.battery, max_kwh=40000.0),
    )
    sites = {
        "co2_0.36_budget_12e6_large_roof": large,
        "feasible_co2_0.3_budget_12e6_large_roof": large,
    }
    cases = {
        "co2_0.9": SiteTargets(min_co2_reduction_fraction=0.9),
        "co2_0.2_budget_1e6": SiteTargets(min_co2_reduction_fraction=0.2, capex_budget_yuan=1e6),
        "renewable_0.9": SiteTargets(min_renewable_share=0.9),
        "co2_0.31_near_bound": SiteTargets(min_co2_reduction_fraction=0.31),
        "co2_0.36_budget_12e6_large_roof": SiteTargets(
            min_co2_reduction_fraction=0.36, capex_budget_yuan=12e6
        ),
        "feasible_co2_0.3_budget_12e6_large_roof": SiteTargets(
            min_co2_reduction_fraction=0.30, capex_budget_yuan=12e6
        ),
    }
    out: dict[str, Any] = {"site": "suzhou_electronics", "hours": int(base.n)}
    for name, targets in cases.items():
        p = dataclasses.replace(sites.get(name, base), targets=targets)
        ours, before, check = [], [], []
        message = ""
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            try:
                optimize_dispatch(p)
                message = "feasible"
            except PeakzeroError as e:
                message = str(e)
            ours.append(time.perf_counter() - t0)
            model = build_site_lp(p)
            t0 = time.perf_counter()
            unreachable(p, model)
            check.append(time.perf_counter() - t0)
        for _ in range(BEFORE_REPEATS):
            t0 = time.perf_counter()
            model = build_site_lp(p)
            status = Session(model).run().status
            old = diagnose_infeasible(model) if status == "infeasible" else status
            before.append(time.perf_counter() - t0)
        out[name] = {
            "peakzero_s": round(statistics.median(ours), 3),
            "reach_check_s": round(statistics.median(check), 3),
            "lp_diagnosis_s": round(statistics.median(before), 3),
            "message": message,
            "lp_diagnosis_message": old,
        }
    return out
