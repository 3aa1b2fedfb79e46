"""The planner end to end: input validation, the example park, infeasible targets, the CLI."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from peakzero.carbon.factors import grid_factor_trajectory
from peakzero.carbon.trajectory import analyze_trajectory
from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.pathway import (
    InfeasibleTargetError,
    build_problem,
    builtin_kinds,
    load_pathway,
    parse_pathway,
    plan_pathway,
)
from peakzero.pathway.measures import builtin_defaults

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pathway" / "industrial_park.toml"

LP_TOL = 1e-6
"""Relative tolerance on LP optima (HiGHS feasibility tolerance 1e-7 on ~1e5 t rows)."""


def _small(**targets: Any) -> dict[str, Any]:
    """A small park: 10,000 t of coal-boiler emissions growing 3 %/yr and 20,000 MWh."""
    return {
        "pathway": {"name": "small", "base_year": 2025, "end_year": 2060, "discount_rate": 0.05},
        "grid": {"ef_t_per_mwh": 0.5},
        "baseline": {
            "boilers": {"category": "fuels", "base_t": 10_000,
                        "growth": [{"until": 2035, "rate": 0.03}]},
            "electricity": {"category": "electricity", "base_mwh": 20_000},
        },
        "targets": {"peak_year": 2030, "neutral_year": 2060, **targets},
        "measures": [
            {"name": "eff", "type": "efficiency_fuel", "acts_on": "boilers",
             "max_units_per_year": 500, "max_units_total": 3000},
            {"name": "pv", "type": "pv_storage", "max_units_per_year": 2000,
             "max_units_total": 10_000},
            {"name": "ccer", "type": "ccer", "max_units_per_year": 20_000},
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def example_result() -> Any:
    return plan_pathway(load_pathway(EXAMPLE))


def test_bundled_measures_have_sources_and_flags() -> None:
    kinds = builtin_kinds()
    expected = {"pv_storage", "efficiency_fuel", "heat_pump", "ev_fleet", "coal_to_gas",
                "green_power", "green_certificates", "afforestation", "ccer", "ccus"}  # fmt: skip
    assert expected <= set(kinds)
    for kind in kinds:
        source = builtin_defaults(kind)["source"]
        assert "[unverified]" in source  # every default here is an editable assumption
    # hand check of a conversion in the table: heat pump 3 MWh heat / 0.8 = 13.5 GJ x 94.6 kg/GJ
    assert builtin_defaults("heat_pump")["direct_t_per_unit_year"] == pytest.approx(
        13.5 * 0.0946, abs=5e-4
    )
    # diesel truck: 2.1 t x 43.0 GJ/t x 74.1 kg/GJ
    assert builtin_defaults("ev_fleet")["direct_t_per_unit_year"] == pytest.approx(
        2.1 * 43.0 * 0.0741, abs=5e-4
    )


def test_example_meets_targets_confirmed_by_analytics(example_result: Any) -> None:
    r = example_result
    t = r.trajectory
    # independent check with the carbon analytics on the optimised series
    a = analyze_trajectory(r.years, t.gross_t, t.sinks_t, t.offsets_t,
                           peak_target_year=2030, neutral_target_year=2060)  # fmt: skip
    assert a.meets_peak_target and a.meets_neutral_target
    assert a.peak_year <= 2030 and a.neutral_year is not None and a.neutral_year <= 2060
    assert (r.peak_year, r.neutral_year) == (a.peak_year, a.neutral_year)
    # the LP's constraints hold on the read-back series
    k30 = r.years.index(2030)
    assert np.all(np.diff(t.gross_t[k30:]) <= 1e-6 * t.gross_t.max())
    assert t.net_t[-1] <= 1e-6 * t.gross_t.max()
    k35 = r.years.index(2035)
    assert t.net_t[k35] <= 0.8 * t.baseline_gross_t[0] * (1 + LP_TOL)
    # budget: capex spent per year within 150 M yuan
    capex = pd.DataFrame([row.__dict__ for row in r.roadmap]).groupby("year")["capex_yuan"].sum()
    assert capex.max() <= 150e6 * (1 + LP_TOL)


def test_example_grid_factor_from_carbon_library(example_result: Any) -> None:
    ef = grid_factor_trajectory("east", list(example_result.years), decline_per_year=0.03)
    np.testing.assert_allclose(example_result.ef_t_per_mwh, ef, rtol=1e-12)


def test_roadmap_costs_add_up(example_result: Any) -> None:
    # discounting the roadmap's yearly cash costs (capex + opex) at 6 % gives the objective,
    # minus the salvage value of units still alive after 2060 (upfront_salvage mode).
    r = example_result
    rows = pd.DataFrame([row.__dict__ for row in r.roadmap])
    df = 1.06 ** -(rows["year"] - 2025)
    cash_pv = float((rows["cost_yuan"] * df).sum())
    problem = build_problem(load_pathway(EXAMPLE))
    salvage = 0.0
    n = len(r.years)
    for row in rows.itertuples():
        if row.units > 0:
            life = next(m for m in problem.measures if m.name == row.measure).lifetime_years
            left = max(row.year - 2025 + life - n, 0) / life
            salvage += row.capex_yuan * left * 1.06**-n
    assert cash_pv - salvage == pytest.approx(r.total_cost_yuan, rel=1e-9)


def test_target_costs_explained(example_result: Any) -> None:
    by_target = {tc.target for tc in example_result.target_costs}
    assert "neutral" in by_target
    neutral = next(tc for tc in example_result.target_costs if tc.target == "neutral")
    assert neutral.saving_yuan_per_unit > 0 and "saves" in neutral.explanation
    # the 2060 price in 2060 money equals the levelised cost of some measure that year at most
    # the dearest measure on the menu (it is the marginal measure)
    macc_2060 = max(
        m.cost_yuan_per_t for m in example_result.macc if np.isfinite(m.cost_yuan_per_t)
    )
    assert neutral.saving_yuan_per_unit_in_year <= max(macc_2060, 1e4)
    relax = {x.target: x for x in example_result.relaxations}
    assert relax["neutral"].saving_yuan >= 0 and relax["peak"].saving_yuan >= -1e-6


def test_infeasible_neutral_says_so() -> None:
    data = _small()
    data["measures"] = data["measures"][:2]  # no offsets: fuels can only fall 3000 t
    with pytest.raises(InfeasibleTargetError) as exc:
        plan_pathway(parse_pathway(data))
    err = exc.value
    assert err.failed == ("neutral",)
    assert err.earliest_neutral_year is None
    assert "net zero by 2060 cannot be met" in str(err)
    assert "at best net emissions in 2060 are" in str(err)
    # lowest net 2060 by hand: boilers 10,000 x 1.03^10 = 13,439.16 t less 3,000 t of
    # efficiency; PV at most 10,000 kW x 1.1 MWh = 11,000 MWh of the 20,000, leaving 9,000 MWh
    # x 0.5 = 4,500 t: 13,439.16 - 3,000 + 4,500 = 14,939 t
    assert "14,939 tCO2" in str(err)


def test_infeasible_peak_gives_earliest_year() -> None:
    # boilers grow 3 %/yr to 2035 and efficiency (the only fuel measure) starts in 2034, so
    # 2034 is the first year that can be cut. A peak in year T needs e(T+1) <= e(T): for
    # T = 2032 both 2033 and 2032 are uncut and growing (impossible); for T = 2033, e2034 can be
    # cut to e2033. The earliest peak year is therefore 2033.
    data = _small(neutral_year=False)
    data["baseline"].pop("electricity")
    data["measures"] = [dict(data["measures"][0], earliest_year=2034)]
    with pytest.raises(InfeasibleTargetError) as exc:
        plan_pathway(parse_pathway(data))
    err = exc.value
    assert err.failed == ("peak",)
    assert err.earliest_peak_year == 2033
    assert "the peak by 2030" in str(err) and "earliest peak year that can: 2033" in str(err)
    data["targets"]["peak_year"] = 2033
    assert plan_pathway(parse_pathway(data)).peak_year == 2033


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["measures"][0].update(acts_on="nowhere"), "acts_on"),
        (lambda d: d["measures"][0].update(type="magic"), "type"),
        (lambda d: d["baseline"]["boilers"].update(series_t=[1.0], base_t=None, growth=[]),
         "series"),
        (lambda d: d["targets"].update(neutral_year=2070), "neutral_year"),
        (lambda d: d["baseline"]["boilers"].update(base_mwh=5.0), "base_mwh"),
        (lambda d: d["measures"][1].update(name="eff"), "unique"),
        (lambda d: d["measures"][0].update(max_units_per_year=-1), "max_units_per_year"),
        (lambda d: d["measures"][0].update(kwh_per_kw_year=1000), "pv_storage"),
    ],
)  # fmt: skip
def test_bad_input_is_named(change: Any, field: str) -> None:
    data = _small()
    change(data)
    with pytest.raises(PeakzeroError) as exc:
        plan_pathway(parse_pathway(data))
    assert field in str(exc.value)


def test_cli_json_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pw"
    code = main(
        ["pathway", "plan", str(EXAMPLE), "--json", "--out", str(out), "--macc-year", "2035"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("peak_year", "neutral_year", "total_cost_yuan", "roadmap"):
        assert key in data
    assert set(data["roadmap"][0]) >= {"year", "measure", "units", "cost_yuan", "abatement_t"}
    assert data["macc_year"] == 2035
    traj = pd.read_csv(out / "trajectory.csv")
    a = analyze_trajectory(traj["year"], traj["gross_t"], traj["sinks_t"], traj["offsets_t"])
    assert (a.peak_year, a.neutral_year) == (data["peak_year"], data["neutral_year"])
    roadmap = pd.read_csv(out / "roadmap.csv")
    assert len(roadmap) == len(data["roadmap"])
    macc = pd.read_csv(out / "macc.csv")
    assert macc["cost_yuan_per_t"].dropna().is_monotonic_increasing


def test_cli_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pathway", "plan", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Roadmap" in out and "Marginal abatement cost curve" in out


def test_cli_infeasible_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("neutral_year = 2060", "neutral_year = 2026")
    path = tmp_path / "tight.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "never"
    assert main(["pathway", "plan", str(path), "--out", str(out)]) == 2
    err = " ".join(capsys.readouterr().err.split())  # Rich wraps long lines
    assert "net zero by 2026 cannot be met" in err
    assert not out.exists()  # nothing half-written


def test_example_file_parses() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert len(data["measures"]) >= 8
