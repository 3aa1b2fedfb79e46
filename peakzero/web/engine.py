"""The one adapter between the web service and peakzero's planner.

Every call from :mod:`peakzero.web` into :mod:`peakzero.plan` goes through this module, so that
a change of the plan API touches one file. The service stores plans as JSON mappings (the
PLAN.toml structure) plus uploaded files by name; :func:`run_plan_files` writes the files to a
temporary folder, validates, runs and returns the outputs as bytes and text for the database.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from peakzero.errors import PeakzeroError
from peakzero.estimate import Estimate, EstimateInput

#: Steps a plan runs through, in order (progress bars): the planner's steps, then the outputs.
PLAN_STEPS: tuple[str, ...] = ("inventory", "roof", "site", "pathway", "trajectory", "outputs")
#: Upload kinds and the plan field each fills.
UPLOAD_FIELDS: dict[str, str] = {"meter": "site.load.csv", "roof": "roof.polygon"}


@dataclass(frozen=True)
class PlanOutput:
    """What one plan run stores: results JSON, a short summary, CSV tables, the report."""

    results_json: str
    summary: dict[str, Any]
    tables: dict[str, str]
    report_html: str | None
    report_pdf: bytes | None


def _materialise(
    raw: Mapping[str, Any], files: Mapping[str, bytes], folder: Path
) -> dict[str, Any]:
    """The plan mapping with uploaded files written to ``folder`` and their fields pointed there."""
    plan: dict[str, Any] = json.loads(json.dumps(raw))  # deep copy
    for kind, content in files.items():
        if kind not in UPLOAD_FIELDS:
            continue
        name = (
            f"{kind}.json"
            if kind == "roof" and content.lstrip()[:1] in (b"{", b"[")
            else (f"{kind}.csv")
        )
        (folder / name).write_bytes(content)
        section, _, key = UPLOAD_FIELDS[kind].rpartition(".")
        node = plan
        for part in section.split("."):
            node = node.setdefault(part, {})
        node[key] = name
        if kind == "meter":
            node.pop("archetype", None)
            for scale in ("annual_kwh", "monthly_kwh", "peak_kw"):
                node.pop(scale, None)
        if kind == "roof":
            node.pop("area_m2", None)
    return plan


def check_plan_dict(raw: Mapping[str, Any], files: Mapping[str, bytes] | None = None) -> None:
    """Validate a plan mapping (and its uploaded files) without running it.

    Raises
    ------
    PeakzeroError
        Naming the field, the value and the allowed range.
    """
    from peakzero.plan import check_plan, plan_from_dict

    if not isinstance(raw, Mapping):
        raise PeakzeroError("plan must be a JSON object (the PLAN.toml structure)", field="plan")
    with tempfile.TemporaryDirectory(prefix="peakzero-check-") as tmp:
        folder = Path(tmp)
        plan = plan_from_dict(
            _materialise(raw, files or {}, folder), origin="plan", base_dir=folder
        )
        check_plan(plan)


def is_infeasible(exc: PeakzeroError) -> bool:
    """Whether an engine error says the targets cannot be met (status ``infeasible``)."""
    from peakzero.pathway import InfeasibleTargetError

    return isinstance(exc, InfeasibleTargetError) or "infeasible" in str(exc).lower()


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    """A few headline figures of the results dict for lists and side-by-side comparisons."""
    out: dict[str, Any] = {}
    sections = {
        "design": (
            "pv_kwp",
            "battery_kw",
            "battery_kwh",
            "capex_yuan",
            "npv_yuan",
            "irr",
            "payback_years",
            "annual_savings_yuan",
            "co2_avoided_t_per_year",
        ),
        "trajectory": (
            "peak_year_before",
            "peak_year_with_solution",
            "peak_year_after",
            "neutral_year_after",
        ),
    }
    for section, keys in sections.items():
        part = results.get(section)
        if isinstance(part, dict):
            out.update({k: part[k] for k in keys if k in part})
    summary = results.get("summary") or {}
    if "first_year_savings_yuan" in summary:
        out["first_year_savings_yuan"] = summary["first_year_savings_yuan"]
    fin = results.get("financing") or {}
    if fin:
        out["loan_payback_years"] = fin["loan"]["payback_years"]
        out["loan_irr"] = fin["loan"]["irr"]
        out["emc_host_first_year_yuan"] = fin["emc"]["first_year_net_yuan"]
        out["after_tax"] = fin["after_tax"]
    checks = results.get("checks") or {}
    if checks.get("roof_load"):
        out["roof_load_ok"] = checks["roof_load"]["ok"]
    if checks.get("transformer"):
        out["transformer_ok"] = checks["transformer"]["ok"]
        out["transformer_required_kva"] = checks["transformer"]["required_kva"]
    return out


def warm() -> None:
    """Import the planner and the report once, so that forked job processes start warm."""
    import peakzero.plan
    import peakzero.report  # noqa: F401


def run_plan_files(
    raw: Mapping[str, Any],
    files: Mapping[str, bytes],
    *,
    report: bool,
    lang: Literal["zh", "en"],
    progress: Callable[[str], None] | None = None,
) -> PlanOutput:
    """Validate and run a plan; write results, CSVs and (if ``report``) the HTML/PDF report."""
    from peakzero.plan import check_plan, plan_from_dict, run_plan, write_outputs

    tell = progress or (lambda _step: None)
    with tempfile.TemporaryDirectory(prefix="peakzero-job-") as tmp:
        folder = Path(tmp)
        plan = plan_from_dict(_materialise(raw, files, folder), origin="plan", base_dir=folder)
        check_plan(plan)
        run = run_plan(plan, progress=tell)
        tell("outputs")
        out = write_outputs(run, folder / "out", lang=lang, report=report)
        results_text = out.results_json.read_text(encoding="utf-8")
        tables = {p.name: p.read_text(encoding="utf-8") for p in out.csvs}
        html = out.report_html.read_text(encoding="utf-8") if out.report_html else None
        pdf = out.report_pdf.read_bytes() if out.report_pdf else None
    return PlanOutput(
        results_json=results_text,
        summary=_summary(json.loads(results_text)),
        tables=tables,
        report_html=html,
        report_pdf=pdf,
    )


def plan_from_estimate(inp: EstimateInput, est: Estimate, *, title: str) -> dict[str, Any]:
    """A full plan mapping (PLAN.toml structure) that starts from a visitor's estimate.

    The inventory is the electricity use alone (the expert adds fuels and heat), the roof is the
    visitor's area, the load the building type scaled to the annual use; the pathway starts with
    green power and CCER offsets (enough for net zero), which the expert replaces with real
    measures.
    """
    from peakzero.provinces import resolve_province
    from peakzero.tariff import default_tariff_name

    site: dict[str, Any] = {
        "name": title,
        "year": 2025,
        "location": {"province": inp.province},
        "load": {"archetype": inp.building_type, "annual_kwh": est.annual_load_kwh},
        "tariff": {"name": default_tariff_name(inp.province)},
        "pv": {"capex_yuan_per_kwp": inp.capex_yuan_per_kwp},
    }
    if inp.latitude_deg is not None and inp.longitude_deg is not None:
        site["location"].update(latitude_deg=inp.latitude_deg, longitude_deg=inp.longitude_deg)
    else:
        site["location"]["station"] = est.station
    mwh = round(est.annual_load_kwh / 1000.0, 3)
    roof: dict[str, Any] = {"kind": inp.roof_kind, "area_m2": inp.roof_area_m2}
    if inp.roof_kind == "pitched":
        roof["pitch_deg"] = est.tilt_deg
    return {
        "plan": {"title": title, "entity_name": title},
        "roof": roof,
        "site": site,
        "inventory": {
            "entity": {"name": title, "region": resolve_province(inp.province).pinyin},
            "years": [{"year": 2025, "electricity_mwh": mwh}],
        },
        "pathway": {
            "measures": [
                {
                    "name": "green_power",
                    "type": "green_power",
                    "max_units_per_year": max(1.0, round(mwh, 0)),
                },
                {"name": "ccer", "type": "ccer", "max_units_per_year": max(1.0, round(mwh, 0))},
            ]
        },
    }
