"""Pathway totals reconcile: the roadmap's rows, salvage credit included, sum to the total cost."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.pathway import (
    PathwayProblem,
    PathwayTargets,
    build_problem,
    load_pathway,
    plan_pathway,
    plan_problem,
)
from peakzero.pathway.measures import Measure

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pathway" / "industrial_park.toml"
# The rows are the LP objective's terms regrouped (and units below 1e-6 dropped as noise):
# 1e-9 relative is the HiGHS tolerance and far above that round-off.
SUM_RTOL = 1e-9


def test_hand_example_salvage_credit_listed() -> None:
    # fuels 100 t/yr 2025-2027, net zero in 2027; an efficiency measure at 1,000 yuan/unit
    # abating 1 t/yr for 10 years, no discounting. Cheapest: 100 units in 2027, of whose
    # 10-year life 9 years (90 %) fall after the 3-year horizon: spend 100,000 yuan, salvage
    # credit 90,000 yuan, total cost 10,000 yuan.
    eff = Measure(
        "efficiency", "custom", "unit", 1000.0, 0.0, 10, 2025, 1e6,
        acts_on="fuels", direct_t_by_age=(1.0,) * 10,
    )  # fmt: skip
    p = PathwayProblem(
        np.arange(2025, 2028), {"fuels": np.full(3, 100.0)}, np.zeros(3), np.zeros(3), (eff,),
        PathwayTargets(peak_year=None, neutral_year=2027), discount_rate=0.0,
    )  # fmt: skip
    r = plan_problem(p)
    assert r.total_cost_yuan == pytest.approx(10_000.0, rel=SUM_RTOL)
    (row,) = [x for x in r.roadmap if x.units > 0]
    assert (row.year, row.units) == (2027, pytest.approx(100.0, rel=SUM_RTOL))
    assert row.capex_yuan == pytest.approx(100_000.0, rel=SUM_RTOL)
    assert row.salvage_credit_yuan == pytest.approx(90_000.0, rel=SUM_RTOL)
    assert row.present_value_yuan == pytest.approx(10_000.0, rel=SUM_RTOL)
    d = r.to_dict()
    assert d["salvage_credit_pv_yuan"] == pytest.approx(90_000.0, rel=SUM_RTOL)
    assert d["discounted_spend_yuan"] == pytest.approx(100_000.0, rel=SUM_RTOL)


@pytest.mark.parametrize("capex_mode", ["upfront_salvage", "annuity"])
def test_example_roadmap_sums_to_the_total(capex_mode: str) -> None:
    inp = load_pathway(EXAMPLE)
    inp = inp.model_copy(
        update={"pathway": inp.pathway.model_copy(update={"capex_mode": capex_mode})}
    )
    r = plan_pathway(inp)
    rows = pd.DataFrame([row.__dict__ for row in r.roadmap])
    assert rows["present_value_yuan"].sum() == pytest.approx(r.total_cost_yuan, rel=SUM_RTOL)
    d = r.to_dict()
    listed = d["discounted_spend_yuan"] - d["salvage_credit_pv_yuan"]
    assert listed == pytest.approx(d["total_cost_yuan"], rel=SUM_RTOL)
    assert {"salvage_credit_yuan", "present_value_yuan"} <= set(d["roadmap"][0])
    if capex_mode == "upfront_salvage":
        # the linear salvage by hand, as in test_pathway_plan.test_roadmap_costs_add_up
        problem = build_problem(load_pathway(EXAMPLE))
        n, base = len(r.years), r.years[0]
        rate = problem.discount_rate
        salvage = 0.0
        for row in rows.itertuples():
            if row.units > 0:
                life = next(m for m in problem.measures if m.name == row.measure).lifetime_years
                left = max(row.year - base + life - n, 0) / life
                salvage += row.capex_yuan * left * (1 + rate) ** -n
        assert r.salvage_credit_pv_yuan == pytest.approx(salvage, rel=SUM_RTOL)
        assert r.salvage_credit_pv_yuan > 0.0


def test_plan_results_list_what_the_pathway_total_is_made_of() -> None:
    """results.json (the report's source) and roadmap.csv carry the salvage credit: the
    pathway total equals the sum of what is listed (issue 10: totals reconcile)."""
    from pathlib import Path

    from peakzero.plan import load_plan, run_plan

    example = Path(__file__).parents[1] / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"
    run = run_plan(load_plan(example))
    pw = run.results["pathway"]
    rows_pv = sum(r["present_value_yuan"] for r in pw["roadmap"])
    # each row is rounded to 0.01 yuan in the JSON: the sum may drift by 0.005 yuan per row
    tolerance = 0.005 * len(pw["roadmap"]) + 0.01
    assert abs(rows_pv - pw["total_cost_yuan"]) <= tolerance
    assert (
        abs(pw["discounted_spend_yuan"] - pw["salvage_credit_pv_yuan"] - pw["total_cost_yuan"])
        <= 0.02
    )
    roadmap = run.tables()["roadmap.csv"]
    assert {"salvage_credit_yuan", "present_value_yuan"} <= set(roadmap.columns)
    assert abs(roadmap["present_value_yuan"].sum() - pw["total_cost_yuan"]) <= 0.01
