"""The proposal's derived claims checked against the data they derive from (issue 12), on the
Suzhou example: peak years are the argmax of the series drawn, monthly figures sum to the annual
ones, the payback lies where the cash-flow table's cumulative turns positive, every number the
HTML tags equals results.json, and the Chinese PDF holds no English word outside an allow-list.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pypdf
import pytest

from peakzero.plan import PlanRun, load_plan, run_plan, write_outputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"

#: results.json rounds kWh to 0.1 and yuan to 0.01; twelve monthly values rounded so can differ
#: from their rounded sum by at most 12 x half the last digit.
MONTHLY_KWH_TOL = 12 * 0.05 + 1e-6
MONTHLY_YUAN_TOL = 12 * 0.005 + 1e-6


@pytest.fixture(scope="module")
def run() -> PlanRun:
    return run_plan(load_plan(EXAMPLE))


@pytest.fixture(scope="module")
def out(run: PlanRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dirs = {}
    for lang in ("zh", "en"):
        d = tmp_path_factory.mktemp(f"proposal_{lang}")
        write_outputs(run, d, lang=lang)  # type: ignore[arg-type]
        dirs[lang] = d
    return dirs


def _results(out: dict[str, Path]) -> dict[str, Any]:
    return json.loads((out["zh"] / "results.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_peak_years_are_the_argmax_of_each_drawn_series(out: dict[str, Path]) -> None:
    t = _results(out)["trajectory"]
    years = t["years"]
    for key, series in (
        ("peak_year_before", "baseline_gross_t"),
        ("peak_year_with_solution", "with_solution_gross_t"),
        ("peak_year_after", "pathway_gross_t"),
    ):
        assert t[key] == years[int(np.argmax(t[series]))], key
    # the Suzhou case that was wrong on page 1: the design alone peaks later than before
    assert t["peak_year_with_solution"] > t["peak_year_before"]


def test_summary_shows_each_peak_year_of_its_own_series(out: dict[str, Path]) -> None:
    t = _results(out)["trajectory"]
    html = (out["en"] / "report.html").read_text("utf-8")
    summary = html[html.index('id="summary"') : html.index('id="system"')]
    for key in ("peak_year_before", "peak_year_with_solution", "peak_year_after"):
        assert f'data-key="trajectory.{key}" data-value="{t[key]}"' in summary, key


def test_monthly_figures_sum_to_the_annual(out: dict[str, Path], run: PlanRun) -> None:
    r = _results(out)
    balance = r["monthly"]["balance"]
    flows = run.site.dispatch.flows
    dt_h = run.site.data.problem.dt_hours
    annual = {
        "load_kwh": float(run.site.data.load_kw.sum() * dt_h),
        "pv_kwh": float(run.site.dispatch.pv_kw.sum() * dt_h),
        "pv_curtailed_kwh": float(flows["pv_curtailed"].sum() * dt_h),
    }
    for key, total in annual.items():
        assert abs(sum(m[key] for m in balance) - total) <= MONTHLY_KWH_TOL, key
    for m in balance:  # PV splits into self-consumed, exported and curtailed every month
        split = m["pv_self_consumed_kwh"] + m["pv_exported_kwh"] + m["pv_curtailed_kwh"]
        assert abs(split - m["pv_kwh"]) <= 3 * 0.05 + 1e-6, m["month"]
    bills = r["monthly"]["bills"]
    d = r["design"]
    assert abs(sum(b["total_before_yuan"] for b in bills) - d["annual_bill_bau_yuan"]) <= (
        MONTHLY_YUAN_TOL + 0.005
    )
    assert abs(sum(b["total_after_yuan"] for b in bills) - d["annual_bill_yuan"]) <= (
        MONTHLY_YUAN_TOL + 0.005
    )
    # the levelised saving of the summary is the monthly savings' sum
    saving = sum(b["total_saving_yuan"] for b in bills)
    assert abs(saving - r["summary"]["levelised_savings_yuan"]) <= MONTHLY_YUAN_TOL + 0.01
    # the demand change explained by month adds up to the annual demand-charge change
    demand = d["bill_components_yuan"]["demand_yuan"] - d["bill_bau_components_yuan"]["demand_yuan"]
    change = sum(m["change_yuan"] for m in r["monthly"]["demand"])
    assert abs(change - demand) <= MONTHLY_YUAN_TOL + 0.02


def test_payback_matches_the_cash_flow_table(out: dict[str, Path]) -> None:
    r = _results(out)
    payback = r["design"]["payback_years"]
    cumulative = {row["year"]: row["cumulative_yuan"] for row in r["cash_flows"]}
    whole = int(np.floor(payback))
    assert cumulative[whole] < 0 <= cumulative[whole + 1]
    # linear interpolation inside the year the cumulative turns positive (simple payback)
    year_net = cumulative[whole + 1] - cumulative[whole]
    assert payback == pytest.approx(whole - cumulative[whole] / year_net, abs=0.01)


def test_equipment_holds_whole_strings_and_the_loss_chain_ends_at_ac(
    out: dict[str, Path],
) -> None:
    r = _results(out)
    e = r["equipment"]
    assert e["modules"] == e["modules_per_string"] * e["strings"]
    assert e["pv_kwp"] == pytest.approx(e["modules"] * 0.590, abs=1e-3)  # 590 W modules
    items = {i["item"]: i["quantity"] for i in e["items"]}
    assert items["pv_module"] == e["modules"] and items["pv_string"] == e["strings"]
    steps = [s["step"] for s in r["losses"]]
    assert steps[0] == "ghi" and steps[-1] == "ac_after_curtailment"


def test_assumptions_csv_holds_every_row(out: dict[str, Path]) -> None:
    r = _results(out)
    with (out["zh"] / "assumptions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(r["assumptions"])
    assert [row["name"] for row in rows] == [a["name"] for a in r["assumptions"]]
    assert all(row["source"] for row in rows)


#: Latin words a Chinese report may hold: units, model and standard codes, product names and
#: proper names of the customer and of data sets.
ZH_ALLOWED = {
    "kWh",
    "kWp",
    "MWh",
    "kW",
    "kVA",
    "km",
    "tCO",
    "CO",
    "kg",
    "Voc",
    "IRR",
    "NPV",
    "LCOE",
    "EMC",
    "PR",
    "GCR",
    "CCER",
    "CSWD",
    "LFP",
    "TOPCon",
    "peakzero",
    "csv",
    "assumptions",
    "W",
    "V",
    "Ah",
    "GB",
    "IPCC",
    "Gueymard",  # authors of the cited irradiance-variability paper (proper names)
    "Wilcox",
}


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_zh_pdf_body_has_no_english_words(out: dict[str, Path], run: PlanRun) -> None:
    """Every Latin word of the zh PDF is on the allow-list, a Chinese product name of the
    equipment list, the customer's name or the array drawing's (figures and units only)."""
    text = _pdf_text(out["zh"] / "report.pdf")
    r = _results(out)
    names = " ".join(
        [
            r["meta"]["entity_name"],
            *(i["product_zh"] + " " + i["rating"] for i in r["equipment"]["items"]),
            *(a["name"] for a in r["assumptions"] if "grid emission factor" in a["name"]),
        ]
    )
    roof_svg = re.sub(r"<[^>]+>", " ", r["array"]["layout_svg"])
    allowed = {w.casefold() for w in ZH_ALLOWED | set(re.findall(r"[A-Za-z]+", names + roof_svg))}
    words = {w for w in re.findall(r"[A-Za-z]{2,}", text) if w.casefold() not in allowed}
    assert not words, sorted(words)


def test_en_pdf_has_no_chinese_outside_names(out: dict[str, Path]) -> None:
    text = _pdf_text(out["en"] / "report.pdf")
    r = _results(out)
    sources = " ".join(str(a["source"]) for a in r["assumptions"])
    cjk = set(re.findall(r"[\u4e00-\u9fff]+", text)) - set(re.findall(r"[\u4e00-\u9fff]+", sources))
    assert not cjk, sorted(cjk)


# ---------------------------------------------------------------- the system, buildable (issue 12)
def test_the_drawing_holds_exactly_the_modules_of_the_design(out: dict[str, Path]) -> None:
    """The roof drawing in each report is the design's array: one polygon per module of the
    equipment list (plus the roof outline), not the whole roof's module places."""
    r = _results(out)
    quantity = {i["item"]: i["quantity"] for i in r["equipment"]["items"]}["pv_module"]
    assert r["array"]["modules"] == quantity < r["roof"]["modules"]  # Suzhou: 6,327 of 7,524
    for lang in ("zh", "en"):
        html = (out[lang] / "report.html").read_text("utf-8")
        start = html.index('<figure class="fig fig-array">')
        drawing = html[start : html.index("</figure>", start)]
        assert drawing.count("<polygon") == quantity + 1, lang  # + the roof outline
        assert html.count('<figure class="fig fig-layout">') == 0  # the whole roof is not drawn


def test_roof_load_and_transformer_checks_hold_the_design_figures(
    out: dict[str, Path], run: PlanRun
) -> None:
    c = _results(out)["checks"]
    load = c["roof_load"]
    # the plan file gives 30 kg/m2; the layout's dead load is 20.54 kg/m2 (modules + racking)
    assert load["allowable_given"] and load["allowable_kg_per_m2"] == 30.0
    assert load["dead_load_kg_per_m2"] == pytest.approx(run.layout.dead_load_kg_per_m2, abs=0.005)  # type: ignore[union-attr]
    assert load["ok"] is (load["dead_load_kg_per_m2"] <= 30.0)
    t = c["transformer"]
    flows = run.site.dispatch.flows
    pf = run.site_input.connection.power_factor
    rows = {row["item"]: row for row in t["rows"]}
    grid_import = float(np.max(flows["grid_to_load"] + flows["grid_to_batt"]))
    assert rows["peak_import_after"]["kw"] == pytest.approx(
        grid_import, abs=0.05
    )  # 0.1 kW rounding
    assert rows["peak_import_before"]["kw"] == pytest.approx(
        float(run.site.data.load_kw.max()), abs=0.05
    )
    assert rows["inverter_ac"]["kw"] == pytest.approx(
        _results(out)["equipment"]["inverter_ac_kw"], abs=0.05
    )
    for row in rows.values():
        assert row["kva"] == pytest.approx(row["kw"] / pf, abs=0.1)
    # the Suzhou plan gives no transformer rating: the check is open, with the rating it needs
    assert t["transformer_kva"] is None and t["ok"] is None
    assert t["required_kva"] == max(row["kva"] for row in rows.values())


# ---------------------------------------------------------------- finance (issue 12)
def _payback_from_table(cumulative: dict[int, float]) -> float:
    """Simple payback read off a cumulative cash-flow column: the first year it turns >= 0,
    interpolated linearly inside that year."""
    years = sorted(cumulative)
    for year in years[1:]:
        if cumulative[year - 1] < 0 <= cumulative[year]:
            return year - 1 - cumulative[year - 1] / (cumulative[year] - cumulative[year - 1])
    raise AssertionError("the cumulative cash flow never turns positive")


def test_payback_of_each_way_to_pay_matches_its_cash_flow_column(out: dict[str, Path]) -> None:
    r = _results(out)
    f = r["financing"]
    rows = f["rows"]
    for option in ("self", "loan"):
        cumulative = {row["year"]: row[f"{option}_cumulative_yuan"] for row in rows}
        assert f[option]["payback_years"] == pytest.approx(
            _payback_from_table(cumulative), abs=0.01
        )
        assert f[option]["lifetime_net_yuan"] == pytest.approx(
            cumulative[max(cumulative)], abs=0.05
        )
    # EMC: the host invests nothing, its cumulative never goes below zero and no payback is shown
    assert f["emc"]["upfront_yuan"] == 0 and f["emc"]["payback_years"] is None
    assert min(row["emc_cumulative_yuan"] for row in rows) >= 0
    # pre-tax self-investment is the design's own cash flow: same payback, NPV and IRR
    assert not f["after_tax"]
    assert f["self"]["payback_years"] == pytest.approx(r["design"]["payback_years"], abs=1e-9)
    assert f["self"]["npv_yuan"] == pytest.approx(r["design"]["npv_yuan"], abs=0.01)
    assert f["self"]["irr"] == pytest.approx(r["design"]["irr"], abs=1e-9)
    # replacement years are the years of the replacement column
    assert f["replacement_years"] == [c["year"] for c in r["cash_flows"] if c["replacement_yuan"]]


def test_loan_figures_equal_a_hand_computation(out: dict[str, Path]) -> None:
    """Annuity A = P r / (1 - (1 + r)^-n) with P = 70 % of the investment, r = 3.5 %, n = 10
    (the defaults), written out here; the owner's flow is the project's + P at year 0 - A in
    years 1..n."""
    r = _results(out)
    loan, rows = r["financing"]["loan"], r["financing"]["rows"]
    capex = r["design"]["capex_yuan"]
    p, rate, n = 0.7 * capex, 0.035, 10
    a = p * rate / (1 - (1 + rate) ** -n)
    assert (loan["loan_fraction"], loan["rate"], loan["years"]) == (0.7, 0.035, 10)
    assert loan["principal_yuan"] == pytest.approx(p, abs=0.01)  # results round yuan to 0.01
    assert loan["payment_yuan_per_year"] == pytest.approx(a, abs=0.01)
    assert loan["total_interest_yuan"] == pytest.approx(n * a - p, abs=0.05)
    assert loan["upfront_yuan"] == pytest.approx(capex - p, abs=0.01)
    balance = p
    for row in rows:
        year = row["year"]
        expected = row["self_net_yuan"] + (p if year == 0 else 0.0) - (a if 1 <= year <= n else 0.0)
        assert row["loan_net_yuan"] == pytest.approx(expected, abs=0.02), year
        if 1 <= year <= n:
            interest = rate * balance
            balance -= a - interest
            assert row["debt_service_yuan"] == pytest.approx(a, abs=0.01)
    assert balance == pytest.approx(0.0, abs=1e-3)  # repaid after n payments


def test_tax_is_off_by_default_and_after_tax_figures_when_on(
    out: dict[str, Path], run: PlanRun
) -> None:
    """Off: one line says the figures are pre-tax. On: year 1 of the self-investment is
    (revenue - O&M) / 1.13 less 25 % CIT on that less depreciation (cost / 1.13 x 0.95 / 20),
    computed by hand here."""
    from peakzero.plan.results import financing_section
    from peakzero.report import render_html

    en = (out["en"] / "report.html").read_text("utf-8")
    assert "all figures are before tax" in en
    site_input = run.site_input.model_copy(
        update={"finance": run.site_input.finance.model_copy(update={"tax": True})}
    )
    f = financing_section(run.site, site_input)
    assert f["after_tax"]
    cf = {c["year"]: c for c in run.results["cash_flows"]}
    capex = -cf[0]["capex_yuan"]
    revenue = (cf[1]["savings_yuan"] + cf[1]["export_revenue_yuan"]) / 1.13
    om = -cf[1]["om_yuan"] / 1.13
    depreciation = capex / 1.13 * 0.95 / 20
    year1 = revenue - om - 0.25 * (revenue - om - depreciation)
    rows = {row["year"]: row for row in f["rows"]}
    assert rows[0]["self_net_yuan"] == pytest.approx(-capex / 1.13, abs=0.02)
    assert rows[1]["self_net_yuan"] == pytest.approx(year1, abs=0.05)  # inputs rounded to 0.01
    html = render_html({**run.results, "financing": f}, "en")
    assert "After-tax figures" in html and "all figures are before tax" not in html


# ---------------------------------------------------------------- length (issue 12)
#: The proposal's body (before the appendix) is 8-12 A4 pages in each language.
BODY_PAGES = (8, 12)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_body_is_eight_to_twelve_pages(out: dict[str, Path], lang: str) -> None:
    from peakzero.report.i18n import label

    # The appendix starts on a page of its own, under its heading; the word also occurs in body
    # text ("the yearly detail is in the appendix"), hence the page must start with it.
    heading = label("appendix_title", lang)  # type: ignore[arg-type]
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(out[lang] / "report.pdf").pages]
    first = next(i for i, text in enumerate(pages) if text.lstrip().startswith(heading))
    assert BODY_PAGES[0] <= first <= BODY_PAGES[1], (lang, first, len(pages))
