"""The results dict of a plan (schema: docs/report-schema.md): sections, rows and notes.

Pure formatting of what the engines computed; no number is computed here that an engine owns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from peakzero import __version__
from peakzero.carbon.inventory import Inventory, YearInventory
from peakzero.carbon.models import YearActivity
from peakzero.errors import PeakzeroError
from peakzero.pathway import PathwayResult
from peakzero.pathway.measures import discrete_unit
from peakzero.pathway.models import MeasureSpec
from peakzero.plan.assumptions import assumptions
from peakzero.plan.models import Plan, RoofSpec
from peakzero.roof import RoofLayout, layout_svg
from peakzero.site import RoundingCandidate, SiteResult
from peakzero.site.models import SiteInput
from peakzero.tariff import hourly_periods

#: China Standard Time (UTC+8, no daylight saving): the report's clock.
CST = dt.timezone(dt.timedelta(hours=8), "CST")


def last_year(inventory: Inventory, plan: Plan) -> tuple[YearInventory, YearActivity]:
    """The last inventory year: its emissions and its activity data."""
    year = max(y.year for y in inventory.years)
    yi = next(y for y in inventory.years if y.year == year)
    act = next(a for a in plan.entity.years if a.year == year)
    return yi, act


def _typical_day(site: SiteResult, month: int) -> dict[str, Any]:
    """Mean day of ``month`` for the report: flows [kW], SOC [kWh] and the TOU period by hour."""
    hourly = site.hourly()
    index = pd.DatetimeIndex(hourly.index)
    sel = np.asarray(index.month == month)
    frame = hourly[sel]
    hours = np.asarray(index.hour)[sel]
    mean = frame.groupby(hours).mean()
    periods = (
        pd.Series(hourly_periods(site.data.tariff, index)[sel])
        .groupby(hours)
        .agg(lambda s: s.value_counts().index[0])
    )

    def col(values: pd.Series) -> list[float]:
        return [round(float(v), 3) for v in values]

    return {
        "date": f"{index[sel][0]:%Y-%m}",
        "hours": list(range(24)),
        "load_kw": col(mean["load_kw"]),
        "pv_kw": col(mean["pv_available_kw"] - mean["pv_curtailed_kw"]),
        "battery_charge_kw": col(mean["pv_to_batt_kw"] + mean["grid_to_batt_kw"]),
        "battery_discharge_kw": col(mean["batt_to_load_kw"] + mean["batt_to_grid_kw"]),
        "grid_import_kw": col(mean["grid_to_load_kw"] + mean["grid_to_batt_kw"]),
        "grid_export_kw": col(mean["pv_to_grid_kw"] + mean["batt_to_grid_kw"]),
        "soc_kwh": col(mean["soc_kwh"]),
        "period": [str(p) for p in periods],
    }


def _bill_components(site: SiteResult, bau: bool) -> dict[str, float]:
    """Signed bill parts that sum to the annual bill (export credit negative)."""
    monthly = (site.bill_bau if bau else site.bill).monthly
    parts: dict[str, float] = {}
    for name in (
        "energy_critical_peak_yuan",
        "energy_peak_yuan",
        "energy_flat_yuan",
        "energy_valley_yuan",
        "energy_deep_valley_yuan",
        "demand_yuan",
    ):
        value = float(monthly[name].sum())
        if value != 0.0 or name in ("energy_peak_yuan", "energy_flat_yuan", "energy_valley_yuan"):
            parts[name] = round(value, 2)
    if float(monthly["capacity_yuan"].sum()) != 0.0:
        parts["fixed_yuan"] = round(float(monthly["capacity_yuan"].sum()), 2)
    parts["export_credit_yuan"] = round(-float(monthly["export_credit_yuan"].sum()), 2)
    return parts


def _cash_flow_rows(site: SiteResult) -> list[dict[str, float]]:
    """Investor-side signed cash flows: costs negative; carbon revenue counted as savings."""
    rows = []
    cumulative = 0.0
    for r in site.cash_flows.to_dict("records"):
        parts = {
            "capex_yuan": -float(r["capex_yuan"]),
            "om_yuan": -float(r["om_yuan"]),
            "replacement_yuan": -float(r["replacement_yuan"]),
            "savings_yuan": float(r["savings_yuan"]) + float(r["carbon_revenue_yuan"]),
            "export_revenue_yuan": float(r["export_revenue_yuan"]),
        }
        net = sum(parts.values())
        cumulative += net
        rows.append(
            {
                "year": int(r["year"]),
                **{k: round(v, 2) for k, v in parts.items()},
                "net_yuan": round(net, 2),
                "cumulative_yuan": round(cumulative, 2),
            }
        )
    return rows


def _design(site: SiteResult, site_input: SiteInput) -> dict[str, Any]:
    d = site.to_dict()
    emc = site.emc
    design = {
        k: d[k]
        for k in (
            "pv_kwp",
            "battery_kw",
            "battery_kwh",
            "capex_yuan",
            "npv_yuan",
            "irr",
            "payback_years",
            "discounted_payback_years",
            "lcoe_yuan_per_kwh",
            "annual_bill_bau_yuan",
            "annual_bill_yuan",
            "self_consumption_fraction",
            "renewable_share",
            "co2_avoided_t_per_year",
            "co2_avoided_t_lifetime",
            "status",
            "solve_seconds",
        )
    }
    design["annual_savings_yuan"] = round(d["annual_bill_bau_yuan"] - d["annual_bill_yuan"], 2)
    design["bill_bau_components_yuan"] = _bill_components(site, bau=True)
    design["bill_components_yuan"] = _bill_components(site, bau=False)
    terms = site_input.emc
    design["emc"] = {
        "discount_fraction": terms.discount_fraction,
        "years": terms.contract_years,
        "host_savings_yuan_per_year": round(
            emc.host_savings_contract_yuan / terms.contract_years, 2
        ),
        "investor_npv_yuan": round(emc.investor_npv_yuan, 2),
        "investor_irr": emc.investor_irr,
        "investor_payback_years": emc.investor_payback_years,
    }
    design["typical_days"] = {"summer": _typical_day(site, 7), "winter": _typical_day(site, 1)}
    design.update(_rounding(site))
    return design


#: Keys of the continuous optimum kept beside the rounded design (``design.optimum_*``).
_OPTIMUM_KEYS = (
    "pv_kwp",
    "battery_kw",
    "battery_kwh",
    "capex_yuan",
    "npv_yuan",
    "irr",
    "payback_years",
    "co2_avoided_t_per_year",
)


def _rounding(site: SiteResult) -> dict[str, Any]:
    """The optimiser's continuous optimum as ``optimum_*`` keys and the rounding candidates;
    ``rounded`` False (and no ``optimum_*``) when the sizes are the optimum's own."""
    rounding = site.rounding
    if rounding is None:
        return {"rounded": False}
    o = rounding.optimum.to_dict()
    out: dict[str, Any] = {"rounded": True}
    out.update({f"optimum_{k}": o[k] for k in _OPTIMUM_KEYS})
    out["optimum_annual_savings_yuan"] = round(o["annual_bill_bau_yuan"] - o["annual_bill_yuan"], 2)
    out["npv_change_yuan"] = round(site.npv_yuan - rounding.optimum.npv_yuan, 2)
    ranked = sorted(
        rounding.candidates,
        key=lambda c: (c.npv_yuan is None, -(c.npv_yuan or 0.0)),
    )
    out["rounding_candidates"] = [
        {
            "pv_kwp": round(c.pv_kwp, 3),
            "battery_product": c.battery.unit.id if c.battery is not None else None,
            "battery_units": c.battery.units if c.battery is not None else 0,
            "battery_kw": round(c.battery_kw, 3),
            "battery_kwh": round(c.battery_kwh, 3),
            "npv_yuan": None if c.npv_yuan is None else round(c.npv_yuan, 2),
            "chosen": c.pv is rounding.pv and c.battery is rounding.battery,
        }
        for c in ranked
    ]
    out.update(_power_choice(site, ranked))
    return out


#: The rounded battery power counts as "above the optimum" beyond this factor of it [-].
POWER_ABOVE_OPTIMUM = 1.1


def _power_choice(site: SiteResult, ranked: list[RoundingCandidate]) -> dict[str, Any]:
    """When the chosen battery's power is well above the optimum's: the best candidate whose
    power is not (``power_alternative_*``), to say what keeping the optimal power would cost."""
    assert site.rounding is not None
    kw_opt = site.rounding.optimum.dispatch.battery_kw
    if site.dispatch.battery_kw <= POWER_ABOVE_OPTIMUM * kw_opt:
        return {}
    near = [
        c
        for c in ranked
        if c.npv_yuan is not None and 0 < c.battery_kw <= POWER_ABOVE_OPTIMUM * kw_opt
    ]
    if not near:
        return {}
    alt = near[0]  # ranked by NPV
    assert alt.npv_yuan is not None
    return {
        "power_alternative_kw": round(alt.battery_kw, 3),
        "power_alternative_kwh": round(alt.battery_kwh, 3),
        "power_alternative_npv_yuan": round(alt.npv_yuan, 2),
    }


def _target_cost(summary: dict[str, Any]) -> dict[str, Any]:
    """One report row per target: the summed duals and what moving it a year later saves."""
    years = summary["binding_years"]
    parts = []
    if years:
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
        parts.append(f"binding in {len(years)} year(s), {span}")
    saving = summary["one_year_later_saving_yuan"]
    if saving is not None and summary["one_year_later"] is not None:
        parts.append(
            f"moving it {summary['one_year_later_note']} saves {saving:,.0f} yuan (present value)"
        )
    elif saving is not None:
        parts.append(
            f"its year is the horizon's last, so relaxing it means dropping it, which saves "
            f"{saving:,.0f} yuan (present value)"
        )
    return {
        "target": summary["target"],
        "dual_yuan_per_t": summary["saving_yuan_per_t_all_years"],
        "note": "; ".join(parts) or "not binding",
    }


#: Length of the roadmap's periods in the report body [years].
PERIOD_YEARS = 5


def _units(value: float, unit: str) -> float | int:
    """Units of a roadmap row: whole for a measure counted in whole things (the pathway solves
    them as integers, :attr:`peakzero.pathway.lp.PathwayProblem.integer_units`)."""
    return round(value) if discrete_unit(unit) else round(value, 4)


def roadmap_by_period(result: PathwayResult, years: int = PERIOD_YEARS) -> list[dict[str, Any]]:
    """The roadmap by period of ``years`` years (from the base year) and measure.

    ``units`` are the units installed in the period [the measure's ``unit``]; ``capex_yuan``
    and ``opex_yuan`` the period's sums [yuan, undiscounted] (opex negative where running
    savings exceed running costs); ``reduction_t`` and ``offset_t`` the emissions cut and the
    offsets bought in the period's last year [tCO2/yr] (offsets never counted as a cut).
    """
    first = int(result.years[0])
    last = int(result.years[-1])
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for r in sorted(result.roadmap, key=lambda r: r.year):
        start = first + (r.year - first) // years * years
        end = min(start + years - 1, last)
        row = out.setdefault(
            (start, r.measure),
            {
                "period": f"{start}-{end}" if end > start else f"{start}",
                "start": start,
                "end": end,
                "measure": r.measure,
                "unit": r.unit,
                "units": 0.0,
                "capex_yuan": 0.0,
                "opex_yuan": 0.0,
                "reduction_t": 0.0,
                "offset_t": 0.0,
            },
        )
        row["units"] += r.units
        row["capex_yuan"] += r.capex_yuan
        row["opex_yuan"] += r.opex_yuan
        if r.year == end:
            row["reduction_t"] = r.abatement_t - r.offset_t
            row["offset_t"] = r.offset_t
    rows = []
    for key in sorted(out):
        row = out[key]
        rows.append(
            {
                **row,
                "units": _units(row["units"], row["unit"]),
                "capex_yuan": round(row["capex_yuan"], 2),
                "opex_yuan": round(row["opex_yuan"], 2),
                "reduction_t": round(row["reduction_t"], 3),
                "offset_t": round(row["offset_t"], 3),
            }
        )
    return rows


def period_totals(by_period: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per period of :func:`roadmap_by_period`: capex and opex of every measure in service
    [yuan] and the cut and offsets in the period's last year [tCO2/yr], summed."""
    out: dict[str, dict[str, Any]] = {}
    for row in by_period:
        total = out.setdefault(
            row["period"],
            {
                "period": row["period"],
                "capex_yuan": 0.0,
                "opex_yuan": 0.0,
                "reduction_t": 0.0,
                "offset_t": 0.0,
            },
        )
        for key in ("capex_yuan", "opex_yuan", "reduction_t", "offset_t"):
            total[key] += row[key]
    return [
        {k: (round(v, 3) if isinstance(v, float) else v) for k, v in total.items()}
        for total in out.values()
    ]


def _neutral_balance(result: PathwayResult) -> dict[str, Any]:
    """Gross emissions, sinks and offsets of the roadmap in its neutral year [tCO2] (net =
    gross - sinks - offsets), so that offsets are shown as offsets; empty when never neutral."""
    year = result.neutral_year
    if year is None or year not in result.years:
        return {}
    k = list(result.years).index(year)
    t = result.trajectory
    return {
        "neutral_gross_t": round(float(t.gross_t[k]), 3),
        "neutral_sinks_t": round(float(t.sinks_t[k]), 3),
        "neutral_offsets_t": round(float(t.offsets_t[k]), 3),
        "neutral_net_t": round(float(t.net_t[k]), 3),
    }


def _pathway_section(result: PathwayResult) -> dict[str, Any]:
    d = result.to_dict()
    return {
        **_neutral_balance(result),
        "by_period": (periods := roadmap_by_period(result)),
        "period_totals": period_totals(periods),
        "peak_year": d["peak_year"],
        "neutral_year": d["neutral_year"],
        "total_cost_yuan": round(float(d["total_cost_yuan"]), 2),
        "discounted_spend_yuan": round(float(d["discounted_spend_yuan"]), 2),
        "salvage_credit_pv_yuan": round(float(d["salvage_credit_pv_yuan"]), 2),
        "macc_year": d["macc_year"],
        "macc": [
            {
                "measure": m.measure,
                "cost_yuan_per_t": None if np.isnan(m.cost_yuan_per_t) else m.cost_yuan_per_t,
                "abatement_t": m.potential_t,
            }
            for m in result.macc
        ],
        "roadmap": [
            {
                "year": r.year,
                "measure": r.measure,
                "unit": r.unit,
                "units": _units(r.units, r.unit),
                "units_active": _units(r.units_active, r.unit),
                "capex_yuan": round(r.capex_yuan, 2),
                "opex_yuan": round(r.opex_yuan, 2),
                "cost_yuan": round(r.cost_yuan, 2),
                "abatement_t": round(r.abatement_t, 3),
                "reduction_t": round(r.abatement_t - r.offset_t, 3),
                "offset_t": round(r.offset_t, 3),
                "salvage_credit_yuan": round(r.salvage_credit_yuan, 2),
                "present_value_yuan": round(r.present_value_yuan, 2),
            }
            for r in result.roadmap
        ],
        "target_costs": [_target_cost(t) for t in result.target_summary()],
        "target_costs_by_year": [
            {
                "target": c.target,
                "year": c.year,
                "dual_yuan_per_t": c.saving_yuan_per_unit,
                "note": c.explanation,
            }
            for c in result.target_costs
        ],
    }


def build_results(
    plan: Plan,
    inventory: Inventory,
    layout: RoofLayout | None,
    site_input: SiteInput,
    site: SiteResult,
    pathway: PathwayResult,
    trajectory: dict[str, Any],
    pv: MeasureSpec | None,
) -> dict[str, Any]:
    """The results dict (schema: docs/report-schema.md)."""
    yi, _ = last_year(inventory, plan)
    profile = site.data.profile
    assert profile is not None
    station = profile.station
    kwp = site.dispatch.pv_kwp
    now = dt.datetime.now(dt.UTC)
    results: dict[str, Any] = {
        "meta": {
            "title": plan.header.title,
            "entity_name": plan.header.entity_name or plan.entity.entity.name,
            "generated_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "generated_cst": now.astimezone(CST).strftime("%Y-%m-%d %H:%M"),
            "peakzero_version": __version__,
        },
        "assumptions": assumptions(plan, site_input, site, pv),
        "site": {
            "province": site_input.location.province,
            "station": station.name,
            "wmo_id": station.wmo_id,
            "distance_km": round(profile.distance_km, 2),
            "latitude_deg": station.latitude_deg,
            "longitude_deg": station.longitude_deg,
        },
        "pv": {
            "annual_ac_kwh": round(profile.specific_yield_kwh_per_kwp * kwp, 1),
            "specific_yield_kwh_per_kwp": round(profile.specific_yield_kwh_per_kwp, 2),
            "performance_ratio": round(profile.performance_ratio, 4),
            "monthly_ac_kwh": [round(float(v) * kwp, 1) for v in profile.monthly_ac_kwh_per_kwp],
        },
        "design": _design(site, site_input),
        "cash_flows": _cash_flow_rows(site),
        "inventory": {
            "year": yi.year,
            "total_t": round(yi.gross_location_t, 3),
            "net_t": round(yi.net_location_t, 3),
            "by_scope_t": {
                "scope1": round(yi.scope1_t, 3),
                "scope2_location": round(yi.scope2_location_t, 3),
                "scope2_market": round(yi.scope2_market_t, 3),
            },
            "by_source_t": {k: round(v, 3) for k, v in yi.by_source_t.items()},
        },
        "trajectory": trajectory,
        "pathway": _pathway_section(pathway),
        "summary": summary_section(site),
        "co2_definitions": co2_definitions(site, pathway, pv),
        **proposal_sections(site, site_input, layout, plan.roof),
        "notes": [*site.notes, *_plan_notes(plan, site, yi), *_trajectory_notes(trajectory, yi)],
    }
    if layout is not None:
        results["roof"] = {
            "modules": layout.modules,
            "kwp": round(layout.kwp, 3),
            "row_pitch_m": round(layout.row_pitch_m, 4),
            "gcr": round(layout.gcr, 4),
            "tilt_deg": layout.tilt_deg,
            "azimuth_deg": layout.azimuth_deg,
            "area_m2": round(layout.area_m2, 2),
            "dead_load_kg_per_m2": round(layout.dead_load_kg_per_m2, 2),
            "layout_svg": layout_svg(layout),
        }
    return results


def co2_definitions(
    site: SiteResult, pathway: PathwayResult, pv: MeasureSpec | None
) -> dict[str, Any]:
    """The one definition of "CO2 avoided per year" and the other PV figures reconciled to it.

    ``co2_avoided_t_per_year`` (everywhere the report or the CLI says "CO2 avoided per year")
    is the design's first year: the grid electricity it displaces in year 1 (``year1_mwh``:
    purchases avoided plus exports, PV at its year-1 output) at year 1's grid factor. The
    roadmap, the MACC and the trajectory "with the design" count the same PV per kW at its
    life-average output (``life_average_mwh``: the representative year the LP optimised,
    year-1 output times the levelisation factor ``pv_levelisation``, without exports) at
    each year's grid factor (``roadmap_pv_t``: tCO2 in a year; figures of a different
    quantity, labelled as such).
    """
    c = site.carbon
    ef = np.asarray(c.ef_t_per_mwh, dtype=float)
    year1 = int(site.data.index[0].year)
    out: dict[str, Any] = {
        "first_year": year1,
        "co2_avoided_t_per_year": round(float(c.avoided_t_by_year[0]), 3),
        "year1_mwh": round(float(c.avoided_t_by_year[0] / ef[0]), 3) if ef[0] > 0 else 0.0,
        "grid_factor_t_per_mwh_year1": round(float(ef[0]), 6),
        "pv_levelisation": round(site.data.problem.pv_levelisation, 6),
        "co2_avoided_t_lifetime": round(float(c.avoided_t_by_year.sum()), 3),
        "analysis_years": int(c.avoided_t_by_year.size),
    }
    if pv is None or pv.kwh_per_kw_year is None or pv.max_units_total is None:
        return out
    life_mwh = pv.kwh_per_kw_year * pv.max_units_total / 1000.0
    years = [int(y) for y in pathway.years]
    factors = dict(zip(years, pathway.ef_t_per_mwh, strict=True))
    shown = sorted({years[0], int(pathway.macc_year)})
    out["life_average_mwh"] = round(life_mwh, 3)
    out["macc_year"] = int(pathway.macc_year)
    out["roadmap_pv_t"] = {
        str(y): round(life_mwh * float(factors[y]), 3) for y in shown if y in factors
    }
    out["grid_factor_t_per_mwh"] = {
        str(y): round(float(factors[y]), 6) for y in shown if y in factors
    }
    return out


def _trajectory_notes(trajectory: dict[str, Any], yi: YearInventory) -> list[str]:
    """Explain what a reader would otherwise take for an inconsistency."""
    notes = []
    years = trajectory["years"]
    if yi.year in years:
        base = trajectory["baseline_gross_t"][years.index(yi.year)]
        if abs(base - yi.gross_location_t) > 1e-6 * max(1.0, yi.gross_location_t):
            notes.append(
                f"The {yi.year} inventory ({yi.gross_location_t:,.0f} t) uses the latest published "
                f"grid factor, as accounting requires; the projection ({base:,.0f} t in "
                f"{yi.year}) lowers that factor each year from its data year, as the site design "
                "and the roadmap do."
            )
    before, alone = trajectory["peak_year_before"], trajectory["peak_year_with_solution"]
    if alone > before:
        notes.append(
            f"With the PV + storage design alone the peak moves from {before} to {alone}: the "
            "design removes a fixed amount of grid electricity, whose emissions fall as the grid "
            "gets cleaner, so the remaining fuel and heat growth sets a later maximum; the "
            "roadmap's other measures bring the peak back."
        )
    return notes


def _plan_notes(plan: Plan, site: SiteResult, yi: YearInventory) -> list[str]:
    notes = []
    site_mwh = float(site.data.load_kw.sum() * site.data.problem.dt_hours) / 1000.0
    act = next(a for a in plan.entity.years if a.year == yi.year)
    if act.electricity_mwh > 0 and abs(site_mwh - act.electricity_mwh) > 0.2 * act.electricity_mwh:
        notes.append(
            f"The site load ({site_mwh:,.0f} MWh/yr) differs by more than 20% from the "
            f"electricity in the {yi.year} inventory ({act.electricity_mwh:,.0f} MWh); the "
            "pathway's PV measure is valued on the site load."
        )
    if yi.sinks_t > 0 or yi.offsets_t > 0:
        notes.append(
            f"Existing sinks ({yi.sinks_t:,.0f} t) and offsets ({yi.offsets_t:,.0f} t) of "
            f"{yi.year} are reported in the inventory but not carried into the pathway, which "
            "counts only sinks and offsets from its own measures."
        )
    if plan.roof is not None and plan.roof.kind == "pitched":
        notes.append(
            "Pitched roof: the site's PV yield uses open-rack temperature parameters; flush "
            "mounting runs hotter, so the yield is slightly optimistic."
        )
    return notes


def summary_section(site: SiteResult) -> dict[str, Any]:
    """The one-page summary's figures, each defined once (schema: docs/report-schema.md).

    ``first_year_savings_yuan`` is the bill saving of year 1 of the cash flows;
    ``levelised_savings_yuan`` the saving of the representative year the design was optimised
    on (PV output levelised over the life); ``lifetime_savings_yuan`` the bill saving, export
    revenue and carbon revenue summed over the analysis years (before capex and O&M).
    """
    cf = site.cash_flows
    bills = site.to_dict()
    savings = cf["savings_yuan"].to_numpy(dtype=float)
    export = cf["export_revenue_yuan"].to_numpy(dtype=float)
    carbon = cf["carbon_revenue_yuan"].to_numpy(dtype=float)
    return {
        "analysis_years": int(cf["year"].max()),
        "first_year_savings_yuan": round(float(savings[1] + carbon[1]), 2),
        "first_year_export_revenue_yuan": round(float(export[1]), 2),
        "levelised_savings_yuan": round(
            float(bills["annual_bill_bau_yuan"] - bills["annual_bill_yuan"]), 2
        ),
        "lifetime_savings_yuan": round(float((savings + carbon + export)[1:].sum()), 2),
    }


def _records(frame: pd.DataFrame, index_name: str, digits: int = 2) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts with its index under ``index_name``; floats rounded."""
    rows = []
    for idx, row in frame.iterrows():
        rec: dict[str, Any] = {index_name: idx if isinstance(idx, str) else int(idx)}  # type: ignore[call-overload]
        for k, v in row.items():
            if isinstance(v, float | np.floating):
                rec[str(k)] = None if not np.isfinite(v) else round(float(v), digits)
            elif isinstance(v, np.integer):
                rec[str(k)] = int(v)
            else:
                rec[str(k)] = v
        rows.append(rec)
    return rows


def proposal_sections(
    site: SiteResult,
    site_input: SiteInput | None = None,
    layout: RoofLayout | None = None,
    roof: RoofSpec | None = None,
) -> dict[str, Any]:
    """The buildable design, loss waterfall, monthly tables and risk of the site (schema:
    docs/report-schema.md), from :mod:`peakzero.site.proposal`; with ``site_input`` also the
    checks and the financing comparison, with ``layout`` the design's array on the roof."""
    from peakzero.design import equipment_list
    from peakzero.finance.risk import (
        GHI_INTERANNUAL_SIGMA,
        GHI_INTERANNUAL_SIGMA_SOURCE,
        MARKET_EXPORT_PRICE_YUAN_PER_KWH,
        MARKET_EXPORT_SOURCE,
        sensitivity_table,
        yield_cases,
    )
    from peakzero.site.proposal import (
        monthly_tables,
        operation,
        project_case,
        rounded_design,
        site_loss_waterfall,
    )

    out: dict[str, Any] = {}
    d = site.dispatch
    if d.pv_kwp <= 0:
        return out
    try:
        pv, battery = rounded_design(site)
    except PeakzeroError as exc:  # no catalogue product fits: the report says so, the plan stands
        out["proposal_notes"] = [f"Equipment list not available: {exc}"]
        pv, battery = None, None
    equipment = equipment_list(pv, battery)
    out["equipment"] = {
        "pv_kwp": round(pv.kwp, 3) if pv is not None else None,
        "modules": pv.modules if pv is not None else None,
        "modules_per_string": pv.modules_per_string if pv is not None else None,
        "strings": pv.strings if pv is not None else None,
        "inverter_ac_kw": round(pv.ac_kw, 3) if pv is not None else None,
        "dc_ac_ratio": round(pv.dc_ac_ratio, 4) if pv is not None else None,
        "battery_kw": round(battery.kw, 3) if battery is not None else None,
        "battery_kwh": round(battery.kwh, 3) if battery is not None else None,
        "items": [
            {k: (int(v) if k == "quantity" else str(v)) for k, v in row.items()}
            for row in equipment.to_dict("records")
        ],
    }
    if layout is not None and pv is not None:
        try:
            out["array"] = array_section(layout, pv)
        except PeakzeroError as exc:  # the rounded design does not fit the roof's places
            out.setdefault("proposal_notes", []).append(f"Array drawing not available: {exc}")
    if site_input is not None:
        out["checks"] = checks_section(
            site,
            site_input,
            layout,
            roof.allowable_load_kg_per_m2 if roof is not None else None,
            pv.ac_kw if pv is not None else None,
        )
        out["financing"] = financing_section(site, site_input)
    try:
        losses = site_loss_waterfall(site)
    except (PeakzeroError, FileNotFoundError, KeyError) as exc:  # e.g. a user's weather file
        out.setdefault("proposal_notes", []).append(f"Loss breakdown not available: {exc}")
    else:
        out["losses"] = [
            {
                "step": str(key),
                "value": round(float(row["value"]), 1),
                "unit": str(row["unit"]),
                "change_fraction": round(float(row["change_fraction"]), 4),
            }
            for key, row in losses.iterrows()
        ]
    tables = monthly_tables(site)
    demand = tables.demand
    out["monthly"] = {
        "balance": _records(tables.balance, "month", 1),
        "bills": _records(tables.bills, "month", 2),
        "demand": _records(demand, "month", 2),
        "demand_rate_yuan_per_kw_month": site.data.tariff.demand_charge_yuan_per_kw_month,
    }
    case, op = project_case(site), operation(site)
    cases = yield_cases(case, op)
    tornado = sensitivity_table(case, op)
    out["risk"] = {
        "ghi_sigma": GHI_INTERANNUAL_SIGMA,
        "ghi_sigma_source": GHI_INTERANNUAL_SIGMA_SOURCE,
        "market_export_price_yuan_per_kwh": MARKET_EXPORT_PRICE_YUAN_PER_KWH,
        "market_export_source": MARKET_EXPORT_SOURCE,
        "yield_cases": _records(cases, "case", 4),
        "base_payback_years": tornado.attrs["base_payback_years"],
        "base_npv_yuan": round(float(tornado.attrs["base_npv_yuan"]), 2),
        "sensitivity": _records(tornado.set_index("driver"), "driver", 4),
    }
    return out


# ---------------------------------------------------------------- array drawn, checks, financing
def array_section(layout: RoofLayout, pv: Any) -> dict[str, Any]:
    """The design's modules on the roof (``pv``: the rounded
    :class:`peakzero.design.PVDesign`): exactly ``pv.modules`` module places, front rows
    first, drawn as SVG (schema: docs/report-schema.md ``array``)."""
    import dataclasses

    from peakzero.design import choose_modules

    places = choose_modules(
        layout.module_corners_m,
        pv.modules,
        pv.modules_per_string,
        azimuth_deg=layout.azimuth_deg,
    )
    drawn = dataclasses.replace(
        layout,
        modules=int(pv.modules),
        kwp=float(pv.kwp),
        module_corners_m=layout.module_corners_m[places.index],
    )
    caption = (
        f"{pv.modules:,} x {pv.module.power_w:g} W = {pv.kwp:,.1f} kWp "
        f"({pv.strings:,} x {pv.modules_per_string}); {layout.tilt_deg:g}°, "
        f"{layout.azimuth_deg:g}°"
    )
    return {
        "modules": int(pv.modules),
        "strings": int(pv.strings),
        "kwp": round(float(pv.kwp), 3),
        "roof_places": int(layout.modules),
        "layout_svg": layout_svg(drawn, title=caption),
    }


def checks_section(
    site: SiteResult,
    site_input: SiteInput,
    layout: RoofLayout | None,
    allowable_load_kg_per_m2: float | None,
    inverter_ac_kw: float | None,
) -> dict[str, Any]:
    """Roof load and transformer checks of the design (:mod:`peakzero.plan.checks`)."""
    from peakzero.plan.checks import roof_load_check, transformer_check

    out: dict[str, Any] = {}
    if layout is not None and layout.modules > 0:
        out["roof_load"] = roof_load_check(
            layout.dead_load_kg_per_m2, allowable_load_kg_per_m2, layout.roof.kind
        )
    f = site.dispatch.flows
    conn = site_input.connection
    out["transformer"] = transformer_check(
        load_kw=np.asarray(site.data.load_kw, dtype=float),
        import_kw=np.asarray(f["grid_to_load"] + f["grid_to_batt"], dtype=float),
        export_kw=np.asarray(f["pv_to_grid"] + f["batt_to_grid"], dtype=float),
        inverter_ac_kw=inverter_ac_kw,
        transformer_kva=conn.transformer_kva,
        power_factor=conn.power_factor,
    )
    return out


def _owner_metrics(net: np.ndarray, rate: float, *, invests: bool) -> dict[str, Any]:
    from peakzero.finance.metrics import irr, npv, simple_payback_years

    return {
        "upfront_yuan": round(float(max(-net[0], 0.0)), 2),
        "first_year_net_yuan": round(float(net[1]), 2),
        "lifetime_net_yuan": round(float(net.sum()), 2),
        "npv_yuan": round(float(npv(rate, net)), 2),
        "irr": irr(net) if invests else None,
        "payback_years": simple_payback_years(net) if invests else None,
    }


def financing_section(site: SiteResult, site_input: SiteInput) -> dict[str, Any]:
    """Self-investment, bank loan and EMC side by side for the owner, and their yearly flows
    (schema: docs/report-schema.md ``financing``).

    Each option's metrics come from the ``rows`` shown: ``self_net_yuan`` is the project's net
    flow (``cash_flows``), ``loan_net_yuan`` the owner's equity flow with the loan
    (:func:`peakzero.finance.loan.equity_cash_flows`), ``emc_net_yuan`` the host's flow under
    the contract (:func:`peakzero.finance.emc_cash_flows`). With ``[site.finance] tax = true``
    the three are after VAT and corporate income tax (:mod:`peakzero.finance.tax`).
    """
    from peakzero.finance.loan import equity_cash_flows, loan_schedule
    from peakzero.finance.tax import TaxSettings, after_tax_cash_flows

    terms = site_input.finance
    emc_terms = site_input.emc
    rate = float(site.data.problem.economics.discount_rate)
    cf = site.cash_flows
    capex = float(cf["capex_yuan"].iloc[0])
    principal = terms.loan_fraction * capex
    schedule = loan_schedule(principal, terms.loan_rate, terms.loan_years)
    tax = None
    if terms.tax:
        tax = TaxSettings(
            vat_rate=terms.vat_rate,
            cit_rate=terms.cit_rate,
            depreciation_years=terms.depreciation_years,
            residual_fraction=terms.residual_fraction,
        )
    equity = equity_cash_flows(cf, schedule, tax=tax)
    host = site.emc.host
    years = cf["year"].to_numpy(dtype=int)
    self_net = cf["net_yuan"].to_numpy(dtype=float)
    loan_net = equity["equity_net_yuan"].to_numpy(dtype=float)
    emc_net = host["net_yuan"].to_numpy(dtype=float)
    if tax is not None:
        self_net = after_tax_cash_flows(cf, tax)["after_tax_net_yuan"].to_numpy(dtype=float)
        host_frame = pd.DataFrame(
            {
                "year": years,
                "capex_yuan": 0.0,
                "replacement_yuan": host["replacement_yuan"],
                "om_yuan": host["om_yuan"],
                "savings_yuan": host["savings_yuan"],
                "export_revenue_yuan": host["export_revenue_yuan"],
                "carbon_revenue_yuan": 0.0,
                "net_yuan": host["net_yuan"],
            }
        )
        emc_net = after_tax_cash_flows(host_frame, tax)["after_tax_net_yuan"].to_numpy(dtype=float)
    payment = float(schedule["payment_yuan"].iloc[1])
    rows = []
    cumulative = np.zeros(3)
    for t, year in enumerate(years):
        cumulative += (self_net[t], loan_net[t], emc_net[t])
        rows.append(
            {
                "year": int(year),
                "self_net_yuan": round(float(self_net[t]), 2),
                "self_cumulative_yuan": round(float(cumulative[0]), 2),
                "debt_service_yuan": round(float(equity["debt_service_yuan"].iloc[t]), 2),
                "loan_net_yuan": round(float(loan_net[t]), 2),
                "loan_cumulative_yuan": round(float(cumulative[1]), 2),
                "emc_net_yuan": round(float(emc_net[t]), 2),
                "emc_cumulative_yuan": round(float(cumulative[2]), 2),
            }
        )
    emc = site.emc
    return {
        "after_tax": tax is not None,
        "discount_rate": rate,
        "tax": None
        if tax is None
        else {
            "vat_rate": tax.vat_rate,
            "cit_rate": tax.cit_rate,
            "depreciation_years": tax.depreciation_years,
            "residual_fraction": tax.residual_fraction,
        },
        "self": _owner_metrics(self_net, rate, invests=True),
        "loan": {
            **_owner_metrics(loan_net, rate, invests=True),
            "principal_yuan": round(principal, 2),
            "loan_fraction": terms.loan_fraction,
            "rate": terms.loan_rate,
            "years": terms.loan_years,
            "payment_yuan_per_year": round(payment, 2),
            "total_interest_yuan": round(float(schedule["interest_yuan"].sum()), 2),
        },
        "emc": {
            **_owner_metrics(emc_net, rate, invests=False),
            "host_share": emc_terms.discount_fraction,
            "contract_years": emc_terms.contract_years,
            "payment_to_investor_year1_yuan": round(
                float(host["payment_to_investor_yuan"].iloc[1]), 2
            ),
            "investor_npv_yuan": round(emc.investor_npv_yuan, 2),
            "investor_irr": emc.investor_irr,
            "investor_payback_years": emc.investor_payback_years,
            "investor_discount_rate": emc_terms.investor_discount_rate,
        },
        "replacement_years": [
            int(y) for y, v in zip(cf["year"], cf["replacement_yuan"], strict=True) if v
        ],
        "rows": rows,
    }
