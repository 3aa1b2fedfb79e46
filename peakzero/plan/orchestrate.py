"""The planner: one entity from a validated plan to the results dict.

inventory (carbon) -> roof layout (roof) -> PV + storage design (site optimiser) ->
baseline and pathway (pathway LP) -> trajectories before / with the design / with the roadmap
(carbon.trajectory) -> results dict (the one source of truth for JSON, CSVs and the report).

Only composition lives here; every number is computed by an engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from peakzero.carbon.inventory import Inventory, YearInventory, entity_inventory
from peakzero.carbon.models import YearActivity
from peakzero.carbon.trajectory import TrajectoryAnalysis, analyze_trajectory
from peakzero.errors import PeakzeroError
from peakzero.load import ARCHETYPES
from peakzero.pathway import PathwayInput, PathwayResult, build_problem, plan_pathway
from peakzero.pathway.models import parse_pathway
from peakzero.pathway.planner import baseline_series
from peakzero.plan.models import Plan
from peakzero.plan.results import build_results, last_year
from peakzero.roof import Module, Roof, RoofLayout, choose_tilt, layout_roof
from peakzero.roof.polygon import read_polygon
from peakzero.site import SiteResult, optimize_site, site_from_dict
from peakzero.site.models import SiteInput
from peakzero.tariff import load_tariff
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
    yi, act = last_year(inventory, plan)
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
