"""Every assumption a plan used, with its value, unit and source (for the report's table).

A value the plan file set is sourced "plan file"; a default says where the default comes from
(bundled data rows carry their own ``source``; defaults marked [unverified] are editable).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from peakzero.carbon.factors import grid_factor_lookup
from peakzero.data import read_table
from peakzero.plan.models import DEFAULT_GROWTH, Plan
from peakzero.site import SiteResult
from peakzero.site.models import SiteInput

_PLAN_FILE = "plan file"
_DEFAULTS = {
    "pv": "[unverified] peakzero default (china-facts.md: C&I rooftop PV capex 2.5-3.2 yuan/W, "
    "O&M 0.03-0.05 yuan/W-year, TOPCon degradation about 0.4 %/year)",
    "battery": "[unverified] peakzero default (china-facts.md: C&I storage 0.6-0.9 yuan/Wh in "
    "2025, O&M 1-2 % of capex per year)",
    "economics": "peakzero default (editable)",
    "emc": "peakzero default (editable; typical EMC discounts 10-20 % for 15-25 years)",
    "carbon": "peakzero default (editable)",
}


def _rows(
    group: str, model: BaseModel, fields: dict[str, tuple[str, str]], default_source: str
) -> list[dict[str, Any]]:
    """One row per field: (label, unit); sourced "plan file" when the file set it."""
    given = model.model_fields_set
    return [
        {
            "group": group,
            "name": label,
            "value": getattr(model, name),
            "unit": unit,
            "source": _PLAN_FILE if name in given else default_source,
        }
        for name, (label, unit) in fields.items()
    ]


def assumptions(
    plan: Plan,
    site_input: SiteInput,
    site: SiteResult,
    pv_measure: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """The assumptions table of a plan run."""
    rows: list[dict[str, Any]] = []
    profile = site.data.profile
    if profile is not None:
        rows.append(
            {
                "group": "weather",
                "name": "weather station",
                "value": f"{profile.station.name} ({profile.station.wmo_id})",
                "unit": "",
                "source": profile.station.source,
            }
        )
    t = site.data.tariff
    for name, value, unit in (
        ("tariff", t.name, ""),
        ("flat energy price", t.flat_price_yuan_per_kwh, "yuan/kWh"),
        ("peak / valley multipliers", dict(t.multipliers), "x flat"),
        ("demand charge", t.demand_charge_yuan_per_kw_month, "yuan/kW-month"),
        ("capacity charge", t.capacity_charge_yuan_per_kva_month, "yuan/kVA-month"),
        ("export price", t.export_price_yuan_per_kwh, "yuan/kWh"),
        ("export limit (0 = zero export)", t.export_limit_kw, "kW"),
    ):
        if value is not None:
            rows.append(
                {"group": "tariff", "name": name, "value": value, "unit": unit, "source": t.source}
            )
    rows += _rows(
        "pv",
        site_input.pv,
        {
            "max_kwp": ("roof maximum", "kWp"),
            "tilt_deg": ("tilt", "deg"),
            "azimuth_deg": ("azimuth (180 = south)", "deg"),
            "dc_ac_ratio": ("DC/AC ratio", "-"),
            "capex_yuan_per_kwp": ("PV capex", "yuan/kWp"),
            "om_yuan_per_kwp_year": ("PV O&M", "yuan/kWp-year"),
            "degradation_per_year": ("PV degradation", "1/year"),
        },
        _DEFAULTS["pv"],
    )
    if plan.roof is not None:
        for row in rows:
            if (
                row["group"] == "pv"
                and row["name"] in ("roof maximum", "tilt")
                and (row["source"] != _PLAN_FILE)
            ):
                row["source"] = "peakzero roof layout (GB 50797-2012 row pitch) of the plan's roof"
    rows += _rows(
        "battery",
        site_input.battery,
        {
            "capex_yuan_per_kw": ("battery power capex", "yuan/kW"),
            "capex_yuan_per_kwh": ("battery energy capex", "yuan/kWh"),
            "om_yuan_per_kw_year": ("battery O&M", "yuan/kW-year"),
            "round_trip_efficiency": ("round-trip efficiency", "-"),
            "soc_min": ("minimum state of charge", "-"),
            "soc_max": ("maximum state of charge", "-"),
            "max_cycles_per_day": ("cycle limit", "cycles/day"),
            "grid_charging": ("grid charging allowed", ""),
        },
        _DEFAULTS["battery"],
    )
    rows += _rows(
        "economics",
        site_input.economics,
        {
            "analysis_years": ("analysis period", "years"),
            "discount_rate": ("discount rate", "1/year"),
            "tariff_escalation": ("tariff escalation", "1/year"),
            "om_escalation": ("O&M escalation", "1/year"),
        },
        _DEFAULTS["economics"],
    )
    rows += _rows(
        "emc",
        site_input.emc,
        {
            "discount_fraction": ("EMC discount on the grid price", "-"),
            "contract_years": ("EMC contract", "years"),
            "investor_discount_rate": ("investor discount rate", "1/year"),
        },
        _DEFAULTS["emc"],
    )
    carbon = site_input.carbon
    region = carbon.region or site_input.location.province
    factor = grid_factor_lookup(region, carbon.factor_year)
    rows.append(
        {
            "group": "carbon",
            "name": f"grid emission factor ({factor.region_used}, {factor.year_used})",
            "value": factor.value_t_per_mwh,
            "unit": "tCO2/MWh",
            "source": factor.source,
        }
    )
    rows += _rows(
        "carbon",
        carbon,
        {
            "decline_per_year": ("grid factor decline", "1/year"),
            "carbon_price_yuan_per_t": ("carbon price", "yuan/tCO2"),
        },
        _DEFAULTS["carbon"],
    )
    growth = [(g.until, g.rate) for g in plan.baseline.growth]
    rows.append(
        {
            "group": "baseline",
            "name": "growth of every source, per period (until year: rate)",
            "value": ", ".join(f"{u}: {r:+.1%}" for u, r in growth),
            "unit": "1/year",
            "source": "peakzero default (editable; today's course, not a forecast)"
            if tuple(growth) == DEFAULT_GROWTH
            else _PLAN_FILE,
        }
    )
    rows += _measure_rows(plan, pv_measure)
    return rows


def _measure_rows(plan: Plan, pv_measure: dict[str, Any] | None) -> list[dict[str, Any]]:
    table = read_table("pathway/measures.csv").set_index("kind")
    rows: list[dict[str, Any]] = []
    if pv_measure is not None:
        for key, label, unit in (
            ("kwh_per_kw_year", "grid purchase avoided per kW", "kWh/kW-year"),
            ("capex_yuan_per_kw", "capex per kW of PV (with storage)", "yuan/kW"),
            ("annual_saving_yuan_per_kw", "bill saving per kW of PV", "yuan/kW-year"),
        ):
            rows.append(
                {
                    "group": "pathway",
                    "name": f"rooftop PV + storage: {label}",
                    "value": round(float(pv_measure[key]), 2),
                    "unit": unit,
                    "source": pv_measure["source"],
                }
            )
    for m in plan.pathway_raw.get("measures", []):
        kind = str(m.get("type", ""))
        if kind not in table.index:
            continue
        row = table.loc[kind]
        capex = m.get("capex_yuan_per_unit", row["capex_yuan_per_unit"])
        rows.append(
            {
                "group": "pathway",
                "name": f"{m.get('name', kind)}: capex",
                "value": capex,
                "unit": f"yuan/{row['unit']}",
                "source": _PLAN_FILE if "capex_yuan_per_unit" in m else str(row["source"]),
            }
        )
    return rows
