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
    summary = html[html.index('id="summary"') : html.index('id="business"')]
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
    """Every Latin word of the zh PDF is on the allow-list, a product name of the equipment list,
    the customer's name or the roof drawing's (not yet translated, see the report)."""
    text = _pdf_text(out["zh"] / "report.pdf")
    r = _results(out)
    names = " ".join(
        [
            r["meta"]["entity_name"],
            *(i["product"] + " " + i["rating"] for i in r["equipment"]["items"]),
            *(a["name"] for a in r["assumptions"] if "grid emission factor" in a["name"]),
        ]
    )
    roof_svg = re.sub(r"<[^>]+>", " ", r["roof"]["layout_svg"])
    allowed = {w.casefold() for w in ZH_ALLOWED | set(re.findall(r"[A-Za-z]+", names + roof_svg))}
    words = {w for w in re.findall(r"[A-Za-z]{2,}", text) if w.casefold() not in allowed}
    assert not words, sorted(words)


def test_en_pdf_has_no_chinese_outside_names(out: dict[str, Path]) -> None:
    text = _pdf_text(out["en"] / "report.pdf")
    r = _results(out)
    sources = " ".join(str(a["source"]) for a in r["assumptions"])
    cjk = set(re.findall(r"[\u4e00-\u9fff]+", text)) - set(re.findall(r"[\u4e00-\u9fff]+", sources))
    assert not cjk, sorted(cjk)
