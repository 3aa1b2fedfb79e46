"""The planner: one entity from a validated plan to the results dict.

inventory (carbon) -> roof layout (roof) -> PV + storage design (site optimiser) ->
baseline and pathway (pathway LP) -> trajectories before / with the design / with the roadmap
(carbon.trajectory) -> results dict (the one source of truth for JSON, CSVs and the report).

Only composition lives here; every number is computed by an engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from peakzero import __version__
from peakzero.carbon.inventory import Inventory, YearInventory, entity_inventory
from peakzero.carbon.models import YearActivity
from peakzero.carbon.trajectory import TrajectoryAnalysis, analyze_trajectory
from peakzero.errors import PeakzeroError
from peakzero.load import ARCHETYPES
from peakzero.pathway import PathwayInput, PathwayResult, build_problem, plan_pathway
from peakzero.pathway.models import parse_pathway
from peakzero.pathway.plan import baseline_series
from peakzero.plan.assumptions import assumptions
from peakzero.plan.models import Plan
from peakzero.roof import Module, Roof, RoofLayout, choose_tilt, layout_roof, layout_svg
from peakzero.roof.polygon import read_polygon
from peakzero.site import SiteResult, optimize_site, site_from_dict
from peakzero.site.models import SiteInput
from peakzero.tariff import hourly_periods, load_tariff
from peakzero.weather import Station, find_station, nearest_station, station_weather

#: The steps a plan runs, in order (for progress display).
STEPS: tuple[str, ...] = ("inventory", "roof", "site", "pathway", "trajectory")

#: A PV design below this is "no PV" for the pathway [kWp].
_MIN_PV_KWP = 1.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanRun:
    """Everything a plan produced: the results dict and the engines' full results."""

    results: dict[str, Any]
    inventory: Inventory
    layout: RoofLayout | None
    site: SiteResult
    pathway: PathwayResult
    tables: dict[str, pd.DataFrame]


def _last_year(inventory: Inventory, plan: Plan) -> tuple[YearInventory, YearActivity]:
    year = max(y.year for y in inventory.years)
    yi = next(y for y in inventory.years if y.year == year)
    act = next(a for a in plan.entity.years if a.year == year)
    return yi, act


def baseline_sources(
    yi: YearInventory, activity: YearActivity, plan: Plan
) -> dict[str, dict[str, Any]]:
    """Baseline sources of the pathway from the last inventory year, grown as ``[baseline]``.

    One source per fuel (named after the fuel, so a measure can act on ``"natural_gas"``),
    ``process``, ``heat`` [tCO2] and ``electricity`` (purchased [MWh], priced at the grid factor
    of each year).
    """
    growth = [g.model_dump() for g in plan.baseline.growth]
    sources: dict[str, dict[str, Any]] = {}
    for key, t in yi.by_source_t.items():
        if key.startswith("fuel:") and t > 0:
            sources[key.removeprefix("fuel:")] = {
                "category": "fuels",
                "base_t": t,
                "growth": growth,
            }
    for key in ("process", "heat"):
        if yi.by_source_t.get(key, 0.0) > 0:
            sources[key] = {"category": key, "base_t": yi.by_source_t[key], "growth": growth}
    if activity.electricity_mwh > 0:
        sources["electricity"] = {
            "category": "electricity",
            "base_mwh": activity.electricity_mwh,
            "growth": growth,
        }
    if not sources:
        raise PeakzeroError(
            f"inventory year {yi.year} has no emissions to plan against (no fuel, process, heat "
            "or purchased electricity)",
            field="inventory.years",
        )
    return sources


def pv_measure(site: SiteResult | None, plan: Plan) -> dict[str, Any] | None:
    """The rooftop PV + storage measure valued from the site design, per kW of PV.

    With ``site=None`` a placeholder of the same shape is returned, used only to validate the
    pathway section before any work starts.
    """
    years = plan.site.economics.analysis_years
    if site is None:
        return {
            "name": "rooftop_pv",
            "type": "pv_storage",
            "kwh_per_kw_year": 1000.0,
            "capex_yuan_per_kw": 3000.0,
            "annual_saving_yuan_per_kw": 0.0,
            "om_yuan_per_kw_year": 0.0,
            "lifetime_years": years,
            "max_units_per_year": 1.0,
            "max_units_total": 1.0,
        }
    kwp = site.dispatch.pv_kwp
    if kwp < _MIN_PV_KWP:
        return None
    hourly = site.hourly()
    dt_h = site.data.problem.dt_hours
    grid_import_kwh = float((hourly["grid_to_load_kw"] + hourly["grid_to_batt_kw"]).sum() * dt_h)
    load_kwh = float(site.data.load_kw.sum() * dt_h)
    om_year1 = float(site.cash_flows.loc[site.cash_flows["year"] == 1, "om_yuan"].iloc[0])
    return {
        "name": "rooftop_pv",
        "type": "pv_storage",
        "kwh_per_kw_year": max(load_kwh - grid_import_kwh, 0.0) / kwp,
        "capex_yuan_per_kw": site.capex_yuan / kwp,
        "annual_saving_yuan_per_kw": (site.bill_bau.total_yuan - site.bill.total_yuan) / kwp,
        "om_yuan_per_kw_year": om_year1 / kwp,
        "lifetime_years": years,
        "max_units_per_year": kwp,
        "max_units_total": kwp,
        "source": (
            f"peakzero site optimiser for this plan: {kwp:,.1f} kWp with "
            f"{site.dispatch.battery_kw:,.1f} kW / {site.dispatch.battery_kwh:,.1f} kWh battery; "
            "grid purchase avoided, capex, bill saving and O&M per kW of PV"
        ),
    }


def pathway_input(
    plan: Plan, inventory: Inventory, site: SiteResult | None
) -> tuple[PathwayInput, bool]:
    """Assemble and validate the pathway from the plan, the inventory and the site design.

    Returns the input and whether the site's PV measure was added to it.
    """
    yi, act = _last_year(inventory, plan)
    raw = plan.pathway_raw
    header: dict[str, Any] = {
        "name": plan.header.title,
        "base_year": plan.base_year,
        "end_year": plan.header.end_year,
        "discount_rate": plan.site.economics.discount_rate,
        **{k: raw[k] for k in ("name", "discount_rate", "capex_mode", "macc_year") if k in raw},
    }
    grid = raw.get(
        "grid",
        {
            "region": plan.entity.entity.region,
            "decline_per_year": plan.site.carbon.decline_per_year,
        },
    )
    targets = {
        "peak_year": plan.header.peak_target_year,
        "neutral_year": plan.header.neutral_target_year,
        **raw.get("targets", {}),
    }
    measures = [dict(m) for m in raw.get("measures", [])]
    added = False
    if not any(m.get("type") == "pv_storage" for m in measures):
        pv = pv_measure(site, plan)
        if pv is not None:
            measures.append(pv)
            added = True
    if not measures:
        raise PeakzeroError(
            "the pathway has no measures: the site design has no PV and [[pathway.measures]] is "
            "empty; add measures (e.g. efficiency, green_power, ccer)",
            field="pathway.measures",
        )
    data = {
        "pathway": header,
        "baseline": baseline_sources(yi, act, plan),
        "grid": grid,
        "targets": targets,
        "measures": measures,
    }
    try:
        return parse_pathway(data), added
    except PeakzeroError as exc:
        raise PeakzeroError(
            f"{plan.origin}: [pathway] {exc}",
            field=f"pathway.{exc.field}" if exc.field else "pathway",
        ) from None


def check_plan(plan: Plan) -> None:
    """Resolve every name the plan uses (tariff, station, load source) and validate the
    pathway against the inventory's baseline: cheap checks, done before any work starts."""

    def in_section(section: str, check: Callable[[], object]) -> None:
        try:
            check()
        except PeakzeroError as exc:
            raise PeakzeroError(f"{plan.origin}: [{section}] {exc}", field=section) from None

    site = plan.site
    in_section("site.tariff.name", lambda: load_tariff(site.tariff.name, **site.tariff.overrides()))
    in_section("site.location", lambda: _station(site))
    if site.load.archetype is not None and site.load.archetype not in ARCHETYPES:
        raise PeakzeroError(
            f"{plan.origin}: site.load.archetype = {site.load.archetype!r} is unknown; choose one "
            f"of {', '.join(ARCHETYPES)}",
            field="site.load.archetype",
        )
    if site.load.csv is not None and not site.resolve(site.load.csv).is_file():
        raise PeakzeroError(
            f"{plan.origin}: site.load.csv = {site.load.csv!r}: no such file (paths are relative "
            "to the plan file)",
            field="site.load.csv",
        )
    inp, _ = pathway_input(plan, entity_inventory(plan.entity), None)
    in_section("pathway", lambda: build_problem(inp))  # resolves measure types and sources


def _station(site: SiteInput) -> tuple[Station, float]:
    loc = site.location
    if loc.station is not None:
        return find_station(loc.station), 0.0
    assert loc.latitude_deg is not None and loc.longitude_deg is not None
    match = nearest_station(loc.latitude_deg, loc.longitude_deg)
    return match.station, match.distance_km


def roof_layout(plan: Plan) -> RoofLayout | None:
    """Lay the roof out at the site's weather station (tilt chosen when not given)."""
    spec = plan.roof
    if spec is None:
        return None
    kind = spec.kind
    pitch = spec.pitch_deg if spec.kind == "pitched" else 0.0
    if spec.area_m2 is not None:
        roof = Roof.from_area(
            spec.area_m2,
            kind,
            pitch_deg=pitch,
            azimuth_deg=spec.azimuth_deg,
            setback_m=spec.setback_m,
        )
    else:
        assert spec.polygon is not None
        roof = Roof(
            kind, read_polygon(plan.resolve(spec.polygon)), pitch, spec.azimuth_deg, spec.setback_m
        )
    station, _ = _station(plan.site)
    module = Module(power_w=spec.module_w)
    if spec.kind == "flat" and spec.tilt_deg is None:
        weather = station_weather(station, plan.site.year)
        return choose_tilt(
            roof,
            weather,
            spec.optimize,
            module=module,
            allowable_load_kg_per_m2=spec.allowable_load_kg_per_m2,
        ).layout
    return layout_roof(
        roof,
        station.latitude_deg,
        spec.tilt_deg,
        module=module,
        allowable_load_kg_per_m2=spec.allowable_load_kg_per_m2,
    )


def site_with_roof(plan: Plan, layout: RoofLayout | None) -> SiteInput:
    """The site input with the roof's maximum kWp, tilt and azimuth where the plan left them."""
    if layout is None:
        return plan.site
    raw = dict(plan.site_raw)
    pv = dict(plan.site_raw.get("pv", {}))
    if layout.kwp <= 0:
        raise PeakzeroError(
            "the roof holds no modules after setbacks and row spacing; give a larger roof or "
            "a smaller roof.setback_m",
            field="roof",
        )
    pv.setdefault("max_kwp", layout.kwp)
    pv.setdefault("tilt_deg", layout.tilt_deg)
    pv.setdefault("azimuth_deg", layout.azimuth_deg)
    raw["pv"] = pv
    return site_from_dict(raw, origin=f"{plan.origin} [site]", base_dir=str(plan.base_dir))


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
        "date": f"{index[sel][0]:%Y-%m} (mean day)",
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
    return design


def _trajectory_section(
    plan: Plan,
    inp: PathwayInput,
    result: PathwayResult,
    pv: dict[str, Any] | None,
) -> tuple[dict[str, Any], dict[str, TrajectoryAnalysis]]:
    years = np.asarray(result.years, dtype=int)
    t = result.trajectory
    baseline = np.asarray(t.baseline_gross_t, dtype=float)
    ef = np.asarray(result.ef_t_per_mwh, dtype=float)
    with_pv = baseline.copy()
    if pv is not None and "electricity" in inp.baseline:
        elec_t = baseline_series(inp.baseline["electricity"], years) * ef
        avoided_t = pv["kwh_per_kw_year"] * pv["max_units_total"] / 1000.0 * ef
        with_pv = baseline - np.minimum(avoided_t, elec_t)
    target = {
        "peak_target_year": int(inp.targets.peak_year or plan.header.peak_target_year),
        "neutral_target_year": int(inp.targets.neutral_year or plan.header.neutral_target_year),
    }
    before = analyze_trajectory(years, baseline, **target)
    design = analyze_trajectory(years, with_pv, **target)
    after = analyze_trajectory(years, t.gross_t, t.sinks_t, t.offsets_t, **target)
    section = {
        "years": [int(y) for y in years],
        "baseline_gross_t": [round(float(v), 3) for v in baseline],
        "with_solution_gross_t": [round(float(v), 3) for v in with_pv],
        "pathway_gross_t": [round(float(v), 3) for v in t.gross_t],
        "pathway_net_t": [round(float(v), 3) for v in t.net_t],
        "peak_year_before": before.peak_year,
        "peak_status_before": before.status,
        "peak_year_with_solution": design.peak_year,
        "peak_year_after": after.peak_year,
        "peak_status_after": after.status,
        "neutral_year_before": before.neutral_year,
        "neutral_year_after": after.neutral_year,
        **target,
    }
    return section, {"before": before, "with_solution": design, "after": after}


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


def _pathway_section(result: PathwayResult) -> dict[str, Any]:
    d = result.to_dict()
    return {
        "peak_year": d["peak_year"],
        "neutral_year": d["neutral_year"],
        "total_cost_yuan": round(float(d["total_cost_yuan"]), 2),
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
                "units": round(r.units, 4),
                "cost_yuan": round(r.cost_yuan, 2),
                "abatement_t": round(r.abatement_t, 3),
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


def run_plan(plan: Plan, progress: Progress | None = None) -> PlanRun:
    """Run a validated plan end to end; ``progress(step)`` is called as each step starts."""
    tell = progress or (lambda _step: None)
    tell("inventory")
    inventory = entity_inventory(plan.entity)
    check_plan(plan)
    tell("roof")
    layout = roof_layout(plan)
    tell("site")
    site_input = site_with_roof(plan, layout)
    site = optimize_site(site_input)
    tell("pathway")
    inp, pv_added = pathway_input(plan, inventory, site)
    pathway = plan_pathway(inp)
    tell("trajectory")
    pv = pv_measure(site, plan) if pv_added else None
    trajectory, _ = _trajectory_section(plan, inp, pathway, pv)
    results = build_results(plan, inventory, layout, site_input, site, pathway, trajectory, pv)
    tables = {
        "dispatch_hourly.csv": site.hourly(),
        "cash_flows.csv": site.cash_flows,
        "roadmap.csv": pd.DataFrame([r.__dict__ for r in pathway.roadmap]),
        "trajectory.csv": pd.DataFrame(
            {
                k: trajectory[k]
                for k in (
                    "years",
                    "baseline_gross_t",
                    "with_solution_gross_t",
                    "pathway_gross_t",
                    "pathway_net_t",
                )
            }
        ).rename(columns={"years": "year"}),
        "macc.csv": pd.DataFrame([m.__dict__ for m in pathway.macc]),
    }
    return PlanRun(results, inventory, layout, site, pathway, tables)


def build_results(
    plan: Plan,
    inventory: Inventory,
    layout: RoofLayout | None,
    site_input: SiteInput,
    site: SiteResult,
    pathway: PathwayResult,
    trajectory: dict[str, Any],
    pv: dict[str, Any] | None,
) -> dict[str, Any]:
    """The results dict (schema: docs/report-schema.md)."""
    yi, _ = _last_year(inventory, plan)
    profile = site.data.profile
    assert profile is not None
    station = profile.station
    kwp = site.dispatch.pv_kwp
    results: dict[str, Any] = {
        "meta": {
            "title": plan.header.title,
            "entity_name": plan.header.entity_name or plan.entity.entity.name,
            "generated_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
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
