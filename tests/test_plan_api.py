"""The typed plan API: a plan from a dict and from a file, a typed result, a parameter sweep.

Numbers are checked against each other and by hand where the relation is exact: a plan read
from a file equals the same plan given as a dict, the roof fills the PV maximum by a typed
update, the sweep's capex is the PV price times the size, the CSV tables have one schema.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.plan import (
    Plan,
    PlanRun,
    load_plan,
    plan_from_dict,
    results_json,
    run_plan,
)
from peakzero.plan.orchestrate import roof_layout, site_with_roof
from peakzero.plan.tables import TRAJECTORY_COLUMNS
from peakzero.site import optimize_site

ROOT = Path(__file__).resolve().parents[1]
HANGZHOU = ROOT / "examples" / "plans" / "hangzhou_office" / "PLAN.toml"
PATHWAY = ROOT / "examples" / "pathway" / "industrial_park.toml"

#: Sizes and money are written rounded to 3 decimals / 0.01 yuan in results.json.
ROUNDING = 0.01

RAW: dict[str, Any] = {
    "plan": {"title": "Small factory", "peak_target_year": 2030},
    "site": {
        "name": "Small factory",
        "location": {"station": "Nanjing", "province": "Jiangsu"},
        "load": {"archetype": "factory_two_shift", "annual_kwh": 2_000_000},
        "tariff": {"name": "jiangsu_2025_two_part", "export_limit_kw": 0.0},
        "pv": {"max_kwp": 800.0},
        "battery": {"enabled": False},
    },
    "inventory": {
        "entity": {"name": "Small factory", "region": "Jiangsu"},
        "years": [{"year": 2025, "electricity_mwh": 2000.0}],
    },
    "pathway": {
        "measures": [
            {"name": "green_power", "type": "green_power", "max_units_per_year": 2000.0},
            {"name": "ccer", "type": "ccer", "max_units_per_year": 500.0},
        ]
    },
}

TOML = """
[plan]
title = "Small factory"
peak_target_year = 2030

[site]
name = "Small factory"
[site.location]
station = "Nanjing"
province = "Jiangsu"
[site.load]
archetype = "factory_two_shift"
annual_kwh = 2_000_000
[site.tariff]
name = "jiangsu_2025_two_part"
export_limit_kw = 0.0
[site.pv]
max_kwp = 800.0
[site.battery]
enabled = false

[inventory.entity]
name = "Small factory"
region = "Jiangsu"
[[inventory.years]]
year = 2025
electricity_mwh = 2000.0

[[pathway.measures]]
name = "green_power"
type = "green_power"
max_units_per_year = 2000.0
[[pathway.measures]]
name = "ccer"
type = "ccer"
max_units_per_year = 500.0
"""


@pytest.fixture(scope="module")
def run() -> PlanRun:
    return run_plan(plan_from_dict(RAW))


def test_a_plan_from_a_file_equals_the_same_plan_from_a_dict(tmp_path: Path) -> None:
    (tmp_path / "PLAN.toml").write_text(TOML, "utf-8")
    from_file = load_plan(tmp_path / "PLAN.toml")
    from_dict = plan_from_dict(RAW, base_dir=tmp_path)
    assert dataclasses.replace(from_file, origin="x") == dataclasses.replace(from_dict, origin="x")
    assert isinstance(from_file, Plan)


def test_the_result_is_typed_and_frozen(run: PlanRun) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.results = {}  # type: ignore[misc]
    assert run.plan.header.title == "Small factory"
    # No placeholder anywhere: the site ran with the file's maximum.
    assert run.site_input.pv.max_kwp == 800.0
    assert run.site.dispatch.pv_kwp <= 800.0 + 1e-6
    # The PV measure is typed and valued per kW of the design.
    pv = run.pv_measure
    assert pv is not None and pv.type == "pv_storage"
    assert pv.max_units_total == pytest.approx(run.site.dispatch.pv_kwp, rel=1e-12)
    assert pv.capex_yuan_per_kw == pytest.approx(
        run.site.capex_yuan / run.site.dispatch.pv_kwp, rel=1e-12
    )
    assert pv in run.pathway_input.measures


def test_to_json_is_results_json_of_the_run(run: PlanRun) -> None:
    text = run.to_json()
    assert text == results_json(run)
    data = json.loads(text)
    assert data["design"]["pv_kwp"] == run.results["design"]["pv_kwp"]
    assert data["trajectory"]["peak_year_after"] == run.trajectory.after.peak_year


def test_tables_have_one_schema_and_match_the_results(run: PlanRun) -> None:
    tables = run.tables()
    traj = tables["trajectory.csv"]
    assert tuple(traj.columns) == TRAJECTORY_COLUMNS
    t = run.results["trajectory"]
    assert traj["year"].tolist() == t["years"]
    for csv_col, key in (
        ("baseline_gross_t", "baseline_gross_t"),
        ("with_solution_gross_t", "with_solution_gross_t"),
        ("gross_t", "pathway_gross_t"),
        ("net_t", "pathway_net_t"),
    ):
        # results.json rounds to 0.001 t.
        assert (traj[csv_col] - pd.Series(t[key])).abs().max() <= 5e-4, csv_col
    hourly = tables["dispatch_hourly.csv"]
    assert len(hourly) == 8760 and str(pd.DatetimeIndex(hourly.index).tz) == "Etc/GMT-8"


def test_pathway_command_writes_the_same_trajectory_schema(tmp_path: Path) -> None:
    out = tmp_path / "pw"
    assert main(["pathway", "plan", str(PATHWAY), "--out", str(out)]) == 0
    traj = pd.read_csv(out / "trajectory.csv")
    assert tuple(traj.columns) == TRAJECTORY_COLUMNS
    assert traj["with_solution_gross_t"].isna().all()  # no site design in a pathway alone


def test_the_roof_fills_the_pv_maximum_by_a_typed_update() -> None:
    plan = load_plan(HANGZHOU)
    assert plan.site.pv.max_kwp is None
    layout = roof_layout(plan)
    assert layout is not None
    site = site_with_roof(plan, layout)
    assert site.pv.max_kwp == layout.kwp
    assert site.pv.tilt_deg == layout.tilt_deg
    assert {"max_kwp", "tilt_deg", "azimuth_deg"} <= site.pv.model_fields_set
    assert plan.site.pv.max_kwp is None  # the plan itself is unchanged


def test_a_standalone_site_still_needs_its_pv_maximum() -> None:
    from peakzero.site.models import site_from_dict

    with pytest.raises(PeakzeroError) as info:
        site_from_dict({k: v for k, v in RAW["site"].items() if k != "pv"})
    assert info.value.field == "pv.max_kwp"
    with pytest.raises(PeakzeroError) as info:
        plan_from_dict({**RAW, "site": {k: v for k, v in RAW["site"].items() if k != "pv"}})
    assert "give [roof]" in str(info.value)


def test_a_capex_sweep(run: PlanRun) -> None:
    """PV capex 2,600 to 3,400 yuan/kWp: the design's capex is the price times the size (no
    battery here), a dearer PV is never built larger, and the NPV falls."""
    site = run.plan.site
    rows = []
    for capex in (2600.0, 3000.0, 3400.0):
        swept = site.with_pv(capex_yuan_per_kwp=capex)
        assert swept.pv.capex_yuan_per_kwp == capex and swept.pv.max_kwp == 800.0
        result = optimize_site(swept)
        assert result.capex_yuan == pytest.approx(capex * result.dispatch.pv_kwp, rel=1e-12)
        rows.append((result.dispatch.pv_kwp, result.npv_yuan))
    sizes = [r[0] for r in rows]
    npvs = [r[1] for r in rows]
    # LP tolerance on sizes of ~1e3 kWp.
    assert sizes[0] >= sizes[1] - 1e-6 >= sizes[2] - 2e-6
    assert npvs[0] > npvs[1] > npvs[2]
    # The middle point is the plan's own site: same optimum as the full plan run (whose
    # headline design is that optimum rounded to products and re-evaluated, issue 12).
    optimum = run.site.rounding.optimum if run.site.rounding is not None else run.site
    assert sizes[1] == pytest.approx(optimum.dispatch.pv_kwp, abs=1e-6)
    key = "optimum_npv_yuan" if run.site.rounding is not None else "npv_yuan"
    assert run.results["design"][key] == pytest.approx(npvs[1], abs=ROUNDING)


def test_a_sweep_value_out_of_range_is_refused(run: PlanRun) -> None:
    with pytest.raises(PeakzeroError) as info:
        run.plan.site.with_pv(capex_yuan_per_kwp=1e9)
    assert info.value.field == "pv.capex_yuan_per_kwp"
    assert "allowed 0 to 20000 [yuan/kWp]" in str(info.value)


def test_every_public_name_of_the_plan_package_imports() -> None:
    import peakzero.plan as package

    for name in package.__all__:
        assert getattr(package, name) is not None, name
    with pytest.raises(AttributeError):
        _ = package.site_raw  # type: ignore[attr-defined]


def test_a_plan_round_trips_through_its_dict_and_updates_are_checked(tmp_path: Path) -> None:
    from peakzero.plan import update_plan

    plan = load_plan(HANGZHOU)
    again = plan_from_dict(plan.to_dict(), origin=plan.origin, base_dir=plan.base_dir)
    assert again == plan
    cheaper = update_plan(plan, {"site": {"pv": {"capex_yuan_per_kwp": 2600.0}}})
    assert cheaper.site.pv.capex_yuan_per_kwp == 2600.0
    assert cheaper.site.battery == plan.site.battery and cheaper.roof == plan.roof
    # What the file wrote stays "written"; the update counts as written too.
    assert cheaper.site.pv.model_fields_set == {"capex_yuan_per_kwp"}
    with pytest.raises(PeakzeroError) as info:
        update_plan(plan, {"roof": {"setback_m": 1e9}})
    assert info.value.field == "roof.setback_m"
