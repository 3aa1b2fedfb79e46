"""The proposal's figures are those of the rounded, re-evaluated design in every table, one
definition of "CO2 avoided per year" everywhere, and a roadmap with capex and opex apart, whole
vehicles and offsets shown as offsets (issue 12), on the Suzhou example."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from peakzero.plan import PlanRun, load_plan, run_plan, write_outputs
from peakzero.report.i18n import fmt_number

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"

#: results.json rounds yuan to 0.01 and tCO2 to 0.001: a sum of n rounded values differs from
#: the rounded sum by at most n x half the last digit.
YUAN_TOL_PER_ROW = 0.005 + 1e-9
T_TOL_PER_ROW = 0.0005 + 1e-9


@pytest.fixture(scope="module")
def run() -> PlanRun:
    return run_plan(load_plan(EXAMPLE))


@pytest.fixture(scope="module")
def results(run: PlanRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return json.loads(run.to_json())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def html(run: PlanRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = {}
    for lang in ("zh", "en"):
        d = tmp_path_factory.mktemp(f"rounded_{lang}")
        write_outputs(run, d, lang=lang, report=True)  # type: ignore[arg-type]
        out[lang] = (d / "report.html").read_text("utf-8")
    return out


def test_headline_is_the_rounded_design(results: dict[str, Any], run: PlanRun) -> None:
    d, eq = results["design"], results["equipment"]
    assert d["rounded"] is True
    # the design is whole modules and whole cabinets, and the equipment list is that design
    assert d["pv_kwp"] == pytest.approx(eq["modules"] * 590 / 1000, abs=1e-3)
    assert (d["pv_kwp"], d["battery_kw"], d["battery_kwh"]) == pytest.approx(
        (eq["pv_kwp"], eq["battery_kw"], eq["battery_kwh"]), abs=1e-3
    )
    assert (d["pv_kwp"], d["battery_kw"], d["battery_kwh"]) == pytest.approx(
        (3732.93, 1875.0, 3915.0), abs=1e-3
    )
    # the optimum is kept as a reference, and it is not the headline
    assert d["optimum_pv_kwp"] == pytest.approx(3729.348, abs=1e-2)
    assert d["optimum_battery_kw"] != pytest.approx(d["battery_kw"], abs=1.0)
    assert d["npv_change_yuan"] == pytest.approx(d["npv_yuan"] - d["optimum_npv_yuan"], abs=0.02)
    assert sum(c["chosen"] for c in d["rounding_candidates"]) == 1
    chosen = next(c for c in d["rounding_candidates"] if c["chosen"])
    assert chosen["npv_yuan"] == pytest.approx(d["npv_yuan"], abs=0.01)
    assert chosen["npv_yuan"] == max(c["npv_yuan"] for c in d["rounding_candidates"])
    # capex: the rounded sizes at the unit costs, and year 0 of the cash flows
    site = run.site_input
    capex = (
        site.pv.capex_yuan_per_kwp * d["pv_kwp"]
        + site.battery.capex_yuan_per_kw * d["battery_kw"]
        + site.battery.capex_yuan_per_kwh * d["battery_kwh"]
    )
    assert d["capex_yuan"] == pytest.approx(capex, abs=0.01)
    assert -results["cash_flows"][0]["capex_yuan"] == pytest.approx(d["capex_yuan"], abs=0.01)


def test_every_table_uses_the_rounded_sizes(results: dict[str, Any]) -> None:
    d = results["design"]
    kwp = d["pv_kwp"]
    pv = results["pv"]
    assert pv["annual_ac_kwh"] == pytest.approx(pv["specific_yield_kwh_per_kwp"] * kwp, rel=1e-5)
    # monthly bills sum to the rounded design's annual bills
    bills = results["monthly"]["bills"]
    assert sum(r["total_after_yuan"] for r in bills) == pytest.approx(
        d["annual_bill_yuan"], abs=12 * YUAN_TOL_PER_ROW
    )
    # the loss waterfall ends at the rounded kWp's yield (AC after clipping = kWp x yield)
    losses = {r["step"]: r["value"] for r in results["losses"]}
    assert losses["ac_after_clipping"] == pytest.approx(pv["annual_ac_kwh"], rel=1e-3)
    # the roadmap's rooftop PV is the rounded kWp
    pv_rows = [r for r in results["pathway"]["roadmap"] if r["measure"] == "rooftop_pv"]
    assert pv_rows[0]["units"] == pytest.approx(kwp, abs=1e-3)


def test_co2_avoided_per_year_is_one_figure_everywhere(
    results: dict[str, Any], html: dict[str, str]
) -> None:
    d, cd = results["design"], results["co2_definitions"]
    t1 = d["co2_avoided_t_per_year"]
    assert cd["co2_avoided_t_per_year"] == t1
    for lang in ("zh", "en"):
        page = html[lang]
        assert f'data-key="design.co2_avoided_t_per_year" data-value="{t1}"' in page
        # the reconciliation note quotes the same year-1 figure
        assert fmt_number(t1) in page
        # the optimum's own figure, a different design, appears nowhere
        if fmt_number(d["optimum_co2_avoided_t_per_year"]) != fmt_number(t1):
            assert fmt_number(d["optimum_co2_avoided_t_per_year"]) + " " not in page


def test_other_pv_co2_figures_reconcile_to_the_definition(results: dict[str, Any]) -> None:
    """Roadmap, MACC and year 1 differ by the levelisation factor and the grid factor only."""
    cd, pw = results["co2_definitions"], results["pathway"]
    ef1, lev = cd["grid_factor_t_per_mwh_year1"], cd["pv_levelisation"]
    assert cd["co2_avoided_t_per_year"] == pytest.approx(cd["year1_mwh"] * ef1, rel=1e-6)
    # Suzhou exports nothing (zero export), so the life-average is year 1 x levelisation
    assert cd["life_average_mwh"] == pytest.approx(cd["year1_mwh"] * lev, rel=1e-4)
    base = str(cd["first_year"])
    macc_year = str(cd["macc_year"])
    pv_rows = {r["year"]: r for r in pw["roadmap"] if r["measure"] == "rooftop_pv"}
    assert pv_rows[int(base)]["abatement_t"] == pytest.approx(cd["roadmap_pv_t"][base], abs=1e-2)
    assert pv_rows[int(macc_year)]["abatement_t"] == pytest.approx(
        cd["roadmap_pv_t"][macc_year], abs=1e-2
    )
    macc = next(m for m in pw["macc"] if m["measure"] == "rooftop_pv")
    assert macc["abatement_t"] == pytest.approx(cd["roadmap_pv_t"][macc_year], abs=1e-2)
    assert cd["roadmap_pv_t"][macc_year] == pytest.approx(
        cd["life_average_mwh"] * cd["grid_factor_t_per_mwh"][macc_year], rel=1e-6
    )


def test_roadmap_capex_opex_apart_whole_vehicles_offsets_apart(results: dict[str, Any]) -> None:
    pw = results["pathway"]
    rows = pw["roadmap"]
    for r in rows:
        assert r["cost_yuan"] == pytest.approx(r["capex_yuan"] + r["opex_yuan"], abs=0.02)
        assert r["capex_yuan"] >= 0.0  # investment is never negative
        assert r["abatement_t"] == pytest.approx(r["reduction_t"] + r["offset_t"], abs=2e-3)
        if r["unit"] == "vehicle":
            assert isinstance(r["units"], int) and isinstance(r["units_active"], int)
    assert any(r["unit"] == "vehicle" and r["units"] > 0 for r in rows)
    ccer = [r for r in rows if r["measure"] == "ccer"]
    assert ccer and all(r["reduction_t"] == 0 and r["offset_t"] > 0 for r in ccer)
    # the five-year table sums the yearly rows
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    first = min(r["year"] for r in rows)
    for r in rows:
        start = first + (r["year"] - first) // 5 * 5
        key = (str(start), r["measure"])
        s = sums[key]
        s[0] += r["capex_yuan"]
        s[1] += r["opex_yuan"]
        s[2] += r["units"]
        s[3] += 1
    for p in pw["by_period"]:
        s = sums[(p["period"][:4], p["measure"])]
        assert p["capex_yuan"] == pytest.approx(s[0], abs=s[3] * YUAN_TOL_PER_ROW + 0.01)
        assert p["opex_yuan"] == pytest.approx(s[1], abs=s[3] * YUAN_TOL_PER_ROW + 0.01)
        assert p["units"] == pytest.approx(s[2], abs=1e-3 * s[3])
        assert p["capex_yuan"] >= 0.0
    # neutral means net zero: gross less sinks less offsets, offsets stated
    assert pw["neutral_gross_t"] - pw["neutral_sinks_t"] - pw["neutral_offsets_t"] == (
        pytest.approx(pw["neutral_net_t"], abs=3 * T_TOL_PER_ROW)
    )
    assert pw["neutral_offsets_t"] > 0


def test_report_shows_offsets_and_units(html: dict[str, str], results: dict[str, Any]) -> None:
    pw = results["pathway"]
    offsets = fmt_number(pw["neutral_offsets_t"])
    assert f"offsets bought {offsets} tCO2" in html["en"]
    assert f"抵消量 {offsets} 吨CO2" in html["zh"]
    # the body's period table states units and splits capex from opex
    assert "Capex" in html["en"] and "Opex (negative = net saving)" in html["en"]
    # vehicles counted in whole units with their unit, in both languages
    assert re.search(r">\d+ 辆</td>", html["zh"]) and re.search(r">\d+ vehicles</td>", html["en"])


def test_cli_summary_uses_the_same_definitions(
    run: PlanRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``peakzero plan`` prints the rounded design, the optimum as a reference, CO2 avoided as
    year 1 with the figure of the report, and the offsets of the neutral year."""
    from typer.testing import CliRunner

    import peakzero.plan as plan_module
    from peakzero.cli import app

    monkeypatch.setattr(plan_module, "run_plan", lambda plan, progress=None: run)
    result = CliRunner().invoke(
        app, ["plan", str(EXAMPLE), "--out", str(tmp_path / "out"), "--no-report"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    d, cd, pw = run.results["design"], run.results["co2_definitions"], run.results["pathway"]
    assert f"{d['pv_kwp']:,.2f} kWp" in text
    assert f"{d['optimum_pv_kwp']:,.1f} kWp" in text and "continuous optimum" in text
    assert f"CO2 avoided, year 1 ({cd['first_year']})" in text
    assert f"{d['co2_avoided_t_per_year']:,.0f} tCO2/yr" in text
    assert f"offsets {pw['neutral_offsets_t']:,.0f} tCO2" in text
