"""`peakzero plan`: the example plan end to end, its numbers checked against the engines and by
hand, the report tied to results.json, and bad fields refused before any work starts.

The example plan is run once per module (about 5 s) and rendered once per language.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pypdf
import pytest

from peakzero.carbon.trajectory import analyze_trajectory
from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.plan import PlanRun, check_plan, load_plan, plan_from_dict, run_plan, write_outputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"
EXAMPLES = sorted((ROOT / "examples" / "plans").glob("*/PLAN.toml"))

#: Numbers in results.json are rounded to 2-3 decimals when written; checks derived from the
#: unrounded engine values allow this much [same unit as the quantity].
ROUNDING = 0.01


@pytest.fixture(scope="module")
def run() -> PlanRun:
    return run_plan(load_plan(EXAMPLE))


@pytest.fixture(scope="module")
def outputs(run: PlanRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dirs = {}
    for lang in ("zh", "en"):
        out = tmp_path_factory.mktemp(f"plan_{lang}")
        write_outputs(run, out, lang=lang)  # type: ignore[arg-type]
        dirs[lang] = out
    return dirs


def _get(results: dict[str, Any], dotted: str) -> Any:
    value: Any = results
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def test_files_written(outputs: dict[str, Path]) -> None:
    for out in outputs.values():
        names = {p.name for p in out.iterdir()}
        assert names == {
            "results.json",
            "report.html",
            "report.pdf",
            "dispatch_hourly.csv",
            "cash_flows.csv",
            "roadmap.csv",
            "trajectory.csv",
            "macc.csv",
            "assumptions.csv",
        }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_numbers_equal_results_json(outputs: dict[str, Path], lang: str) -> None:
    out = outputs[lang]
    results = json.loads((out / "results.json").read_text("utf-8"))
    html = (out / "report.html").read_text("utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "")  # self-contained, no CDN
    assert "https://" not in html
    spans = re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', html)
    keys = {k for k, _ in spans}
    for needed in ("design.pv_kwp", "design.npv_yuan", "design.irr", "trajectory.peak_year_after"):
        assert needed in keys
    for key, raw in spans:
        expected = _get(results, key)
        shown = json.loads(raw.replace("&quot;", '"'))
        if isinstance(expected, float) and shown is not None:
            assert shown == pytest.approx(expected, rel=1e-12), key
        else:
            assert shown == expected, key


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["碳达峰", "碳中和", "净现值", "合同能源管理"]),
        ("en", ["Carbon peak", "Net present value"]),
    ],
)
def test_pdf_renders_with_headline_figures(
    outputs: dict[str, Path], lang: str, words: list[str]
) -> None:
    out = outputs[lang]
    results = json.loads((out / "results.json").read_text("utf-8"))
    reader = pypdf.PdfReader(out / "report.pdf")
    assert len(reader.pages) > 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    d = results["design"]
    for figure in (
        f"{d['pv_kwp']:,.1f}",
        f"{d['npv_yuan']:,.0f}",
        f"{d['capex_yuan']:,.0f}",
        f"{d['irr']:.1%}",
        str(results["trajectory"]["peak_year_after"]),
    ):
        assert figure in text, figure
    for word in words:
        assert word in text, word


def test_pv_section_is_the_design_times_the_profile(run: PlanRun) -> None:
    r = run.results
    profile = run.site.data.profile
    assert profile is not None
    kwp = run.site.dispatch.pv_kwp
    assert r["pv"]["annual_ac_kwh"] == pytest.approx(
        profile.specific_yield_kwh_per_kwp * kwp, abs=0.1
    )
    assert sum(r["pv"]["monthly_ac_kwh"]) == pytest.approx(r["pv"]["annual_ac_kwh"], abs=1.0)
    # The roof layout bounds the design, and the design sits on the roof's tilt.
    assert r["design"]["pv_kwp"] <= r["roof"]["kwp"] + 1e-6
    assert run.layout is not None
    assert profile.system.arrays[0].tilt_deg == run.layout.tilt_deg


def test_bills_and_cash_flows_add_up(run: PlanRun) -> None:
    d = run.results["design"]
    for parts, total in (
        (d["bill_bau_components_yuan"], d["annual_bill_bau_yuan"]),
        (d["bill_components_yuan"], d["annual_bill_yuan"]),
    ):
        # Each part is rounded to 0.01 yuan: at most 8 parts.
        assert sum(parts.values()) == pytest.approx(total, abs=8 * ROUNDING)
    assert d["annual_savings_yuan"] == pytest.approx(
        d["annual_bill_bau_yuan"] - d["annual_bill_yuan"], abs=ROUNDING
    )
    cumulative = 0.0
    for row in run.results["cash_flows"]:
        parts = ("capex_yuan", "om_yuan", "replacement_yuan", "savings_yuan", "export_revenue_yuan")
        assert row["net_yuan"] == pytest.approx(sum(row[p] for p in parts), abs=5 * ROUNDING)
        cumulative += row["net_yuan"]
        assert row["cumulative_yuan"] == pytest.approx(cumulative, abs=1.0)
    assert run.results["cash_flows"][0]["capex_yuan"] == pytest.approx(
        -d["capex_yuan"], abs=ROUNDING
    )


def test_baseline_starts_from_the_inventory_by_hand(run: PlanRun) -> None:
    """Base-year baseline = fuels + heat (t) + purchased MWh x that year's grid factor."""
    raw = tomllib.loads(EXAMPLE.read_text("utf-8"))
    last = max(raw["inventory"]["years"], key=lambda y: y["year"])
    yi = next(y for y in run.inventory.years if y.year == last["year"])
    non_electric = (
        sum(v for k, v in yi.by_source_t.items() if k.startswith("fuel:"))
        + (yi.by_source_t["heat"])
    )
    ef0 = run.pathway.ef_t_per_mwh[0]
    expected = non_electric + last["electricity_mwh"] * ef0
    assert run.results["trajectory"]["baseline_gross_t"][0] == pytest.approx(expected, abs=ROUNDING)
    assert run.results["trajectory"]["years"][0] == last["year"]


def test_with_solution_subtracts_the_designs_avoided_purchase(run: PlanRun) -> None:
    t = run.results["trajectory"]
    pv = next(m for m in run.results["assumptions"] if "grid purchase avoided" in m["name"])
    kwh_per_kw = pv["value"]
    kwp = run.site.dispatch.pv_kwp
    for k in (0, 10, len(t["years"]) - 1):
        avoided = kwh_per_kw * kwp / 1000.0 * run.pathway.ef_t_per_mwh[k]
        # kwh_per_kw is shown rounded to 0.01 kWh/kW: x kWp / 1000 x EF < 0.03 t.
        assert t["baseline_gross_t"][k] - t["with_solution_gross_t"][k] == pytest.approx(
            avoided, abs=0.03
        )


def test_peak_and_neutral_years_confirmed_independently(
    outputs: dict[str, Path], run: PlanRun
) -> None:
    t = run.results["trajectory"]
    csv = pd.read_csv(outputs["en"] / "trajectory.csv")
    years = csv["year"].to_numpy()
    before = analyze_trajectory(years, csv["baseline_gross_t"].to_numpy())
    assert before.peak_year == t["peak_year_before"]
    assert before.neutral_year == t["neutral_year_before"]
    tr = run.pathway.trajectory
    after = analyze_trajectory(years, tr.gross_t, tr.sinks_t, tr.offsets_t)
    assert after.peak_year == t["peak_year_after"] == run.results["pathway"]["peak_year"]
    assert after.neutral_year == t["neutral_year_after"]
    # The roadmap meets both targets of the example.
    assert t["peak_year_after"] <= 2030
    assert t["neutral_year_after"] is not None and t["neutral_year_after"] <= 2060
    assert np.all(np.asarray(t["pathway_net_t"])[years >= 2060] <= 1e-6)


def test_macc_potential_covers_what_the_roadmap_deploys(run: PlanRun) -> None:
    """The MACC potential is the fastest deployment the limits allow in the MACC year, within
    its source: the optimised roadmap cannot abate more with a measure in that year."""
    for row in run.pathway.macc:
        # LP feasibility tolerance 1e-7 relative on abatements of ~1e3 t.
        assert row.potential_t >= row.deployed_t - 1e-4, row.measure


def _plan_dict() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text("utf-8"))


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("roof", "area_m2"), -5.0, "roof.area_m2"),
        (("site", "battery", "round_trip_efficiency"), 2.0, "site.battery.round_trip_efficiency"),
        (("site", "tariff", "name"), "atlantis_2025", "site.tariff.name"),
        (("site", "load", "archetype"), "steelworks", "site.load.archetype"),
        (("inventory", "years", 0, "electricity_mwh"), -1.0, "inventory.years.0.electricity_mwh"),
        (("pathway", "measures", 0, "type"), "perpetual_motion", "pathway"),
        (("plan", "neutral_target_year"), 2020, "plan"),
    ],
)
def test_bad_field_fails_before_any_work(
    path: tuple[Any, ...], value: Any, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peakzero.plan.orchestrate as orchestrate

    def no_work(*_a: object, **_k: object) -> None:
        raise AssertionError("the optimiser ran before the plan was validated")

    monkeypatch.setattr(orchestrate, "optimize_site", no_work)
    raw = _plan_dict()
    node: Any = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(PeakzeroError) as info:
        plan = plan_from_dict(raw, origin="PLAN.toml", base_dir=EXAMPLE.parent)
        check_plan(plan)
        # The tariff name is only resolved when the site runs: it must fail at once there.
        orchestrate.run_plan(plan)
    assert info.value.field is not None and info.value.field.startswith(field)
    assert str(path[-1]) in str(info.value) or field in str(info.value)


def test_cli_bad_plan_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text("utf-8").replace("area_m2 = 24000", "area_m2 = -24000")
    bad = tmp_path / "PLAN.toml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["plan", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "roof.area_m2" in err.replace("\n", "")
    assert not out.exists()
    assert main(["plan", str(EXAMPLE), "--lang", "fr", "--out", str(out)]) == 2
    assert not out.exists()


@pytest.mark.parametrize("plan_file", EXAMPLES, ids=lambda p: p.parent.name)
def test_every_example_plan_runs_from_the_cli(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["plan", str(plan_file), "--out", str(out), "--no-report", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads((out / "results.json").read_text("utf-8"))
    assert printed["design"]["npv_yuan"] == saved["design"]["npv_yuan"]
    assert saved["design"]["status"] == "optimal"
    # The roof bounds the design: the PV maximum of the site is the roof layout's kWp.
    pv_max = next(a for a in saved["assumptions"] if a["name"] == "roof maximum")
    assert pv_max["value"] == pytest.approx(saved["roof"]["kwp"], rel=1e-6)
    assert saved["design"]["pv_kwp"] <= saved["roof"]["kwp"] * (1 + 1e-9)
    assert not (out / "report.pdf").exists()


def test_tariff_defaults_are_said_to_be_defaults(run: PlanRun) -> None:
    """Issue 10: the report says which tariff figures are editable defaults (Tariff.defaults),
    row by row in the assumptions that the report and assumptions.csv show."""
    from peakzero.plan.assumptions import TARIFF_DEFAULT_SOURCE

    tariff = run.site.data.tariff
    rows = {r["name"]: r["source"] for r in run.results["assumptions"] if r["group"] == "tariff"}
    assert "flat_price_yuan_per_kwh" in tariff.defaults  # Jiangsu: the flat price is a default
    assert rows["flat energy price"].startswith(TARIFF_DEFAULT_SOURCE)
    assert rows["demand charge"].startswith(TARIFF_DEFAULT_SOURCE)
    # the multipliers are the notice's (peak +80 %, valley -65 %): not said to be defaults
    assert not any(d.startswith("multipliers") for d in tariff.defaults)
    assert not rows["peak / valley multipliers"].startswith(TARIFF_DEFAULT_SOURCE)
