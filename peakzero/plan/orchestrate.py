"""The planner: one entity from a validated plan to a typed :class:`PlanRun`.

inventory (carbon) -> roof layout (roof) -> PV + storage design (site optimiser, rounded to
catalogue products and re-evaluated at those sizes: :mod:`peakzero.site.buildable`) ->
baseline and pathway (pathway LP) -> trajectories before / with the design / with the roadmap
(carbon.trajectory) -> :class:`PlanRun` (its results dict is the one source of truth for
results.json, the report; its tables for the CSVs).

Only composition lives here; every number is computed by an engine.

>>> plan = load_plan("examples/plans/suzhou_factory/PLAN.toml")
>>> plan.site.pv.max_kwp is None  # the roof sets it when the plan runs
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from peakzero.carbon.inventory import Inventory, YearInventory, entity_inventory
from peakzero.carbon.models import YearActivity
from peakzero.carbon.trajectory import TrajectoryAnalysis, analyze_trajectory
from peakzero.errors import PeakzeroError
from peakzero.load import ARCHETYPES
from peakzero.load.bills import read_bills
from peakzero.pathway import PathwayInput, PathwayResult, build_problem, plan_pathway
from peakzero.pathway.models import (
    GridSpec,
    GrowthPeriod,
    MeasureSpec,
    PathwayHeader,
    SourceSpec,
    TargetsSpec,
)
from peakzero.plan.models import Plan, parse_plan, read_plan_file
from peakzero.plan.results import build_results, last_year
from peakzero.plan.tables import plan_tables
from peakzero.roof import Module, Roof, RoofLayout, choose_tilt, layout_roof
from peakzero.roof.polygon import read_polygon
from peakzero.site import SiteResult, optimize_site
from peakzero.site.buildable import round_site
from peakzero.site.models import SiteInput
from peakzero.tariff import load_tariff
from peakzero.validation import validate
from peakzero.weather import Station, resolve_station, station_weather

#: The steps a plan runs, in order (for progress display).
STEPS: tuple[str, ...] = ("inventory", "roof", "site", "pathway", "trajectory")

#: A PV design below this is "no PV" for the pathway [kWp].
_MIN_PV_KWP = 1.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanTrajectory:
    """Yearly emissions of the plan [tCO2]: before, with the design alone, with the roadmap."""

    years: tuple[int, ...]
    baseline_gross_t: np.ndarray
    with_solution_gross_t: np.ndarray
    before: TrajectoryAnalysis
    with_solution: TrajectoryAnalysis
    after: TrajectoryAnalysis
    peak_target_year: int
    neutral_target_year: int

    def section(self, pathway: PathwayResult) -> dict[str, Any]:
        """The ``trajectory`` section of the results dict (docs/report-schema.md)."""
        t = pathway.trajectory
        return {
            "years": list(self.years),
            "baseline_gross_t": [round(float(v), 3) for v in self.baseline_gross_t],
            "with_solution_gross_t": [round(float(v), 3) for v in self.with_solution_gross_t],
            "pathway_gross_t": [round(float(v), 3) for v in t.gross_t],
            "pathway_net_t": [round(float(v), 3) for v in t.net_t],
            "peak_year_before": self.before.peak_year,
            "peak_status_before": self.before.status,
            "peak_year_with_solution": self.with_solution.peak_year,
            "peak_year_after": self.after.peak_year,
            "peak_status_after": self.after.status,
            "neutral_year_before": self.before.neutral_year,
            "neutral_year_after": self.after.neutral_year,
            "peak_target_year": self.peak_target_year,
            "neutral_target_year": self.neutral_target_year,
        }


@dataclass(frozen=True)
class PlanRun:
    """Everything a plan produced: the plan it came from, the engines' typed results and the
    results dict (schema: docs/report-schema.md) built from them.

    ``to_json()`` is results.json; ``tables()`` the CSVs, by file name.
    """

    plan: Plan
    inventory: Inventory
    layout: RoofLayout | None
    site_input: SiteInput
    site: SiteResult
    pathway_input: PathwayInput
    pathway: PathwayResult
    pv_measure: MeasureSpec | None
    trajectory: PlanTrajectory
    results: dict[str, Any]

    def to_json(self) -> str:
        """results.json text (NaN and inf become null)."""
        from peakzero.plan.outputs import results_json

        return results_json(self)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The CSV tables by file name (schemas in :mod:`peakzero.plan.tables`)."""
        return plan_tables(self.site, self.pathway, self.trajectory.with_solution_gross_t)


def plan_from_dict(
    raw: dict[str, Any], *, origin: str = "plan", base_dir: str | Path = Path(".")
) -> Plan:
    """Validate a parsed plan mapping and resolve every name it uses; the one check of a plan.

    Types and ranges of every section (:func:`peakzero.plan.models.parse_plan`), then the
    tariff, weather station, load source and the pathway against the inventory's baseline
    (:func:`check_plan`). Paths in it are relative to ``base_dir``.
    """
    plan = parse_plan(raw, origin=origin, base_dir=Path(base_dir))
    check_plan(plan)
    return plan


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def update_plan(plan: Plan, changes: dict[str, Any]) -> Plan:
    """A copy of ``plan`` with ``changes`` (a nested mapping like the file's sections) merged
    in, checked again as a whole; e.g. ``{"site": {"pv": {"capex_yuan_per_kwp": 2600}}}``.

    Lists are replaced, not merged. Use it to sweep a parameter or vary a plan per roof.
    """
    return plan_from_dict(
        _merge(plan.to_dict(), changes), origin=plan.origin, base_dir=plan.base_dir
    )


def load_plan(path: str | Path) -> Plan:
    """Read a PLAN.toml file and check it (:func:`plan_from_dict`); paths are relative to it."""
    raw, origin, folder = read_plan_file(path)
    return plan_from_dict(raw, origin=origin, base_dir=folder)


def baseline_sources(
    yi: YearInventory, activity: YearActivity, plan: Plan
) -> dict[str, SourceSpec]:
    """Baseline sources of the pathway from the last inventory year, grown as ``[baseline]``.

    One source per fuel (named after the fuel, so a measure can act on ``"natural_gas"``),
    ``process``, ``heat`` [tCO2] and ``electricity`` (purchased [MWh], priced at the grid factor
    of each year).
    """
    growth: list[GrowthPeriod] = list(plan.baseline.growth)
    sources: dict[str, SourceSpec] = {}
    for key, t in yi.by_source_t.items():
        if key.startswith("fuel:") and t > 0:
            sources[key.removeprefix("fuel:")] = SourceSpec(
                category="fuels", base_t=t, growth=growth
            )
    categories: tuple[tuple[str, Literal["process", "heat"]], ...] = (
        ("process", "process"),
        ("heat", "heat"),
    )
    for key, category in categories:
        if yi.by_source_t.get(key, 0.0) > 0:
            sources[key] = SourceSpec(category=category, base_t=yi.by_source_t[key], growth=growth)
    if activity.electricity_mwh > 0:
        sources["electricity"] = SourceSpec(
            category="electricity", base_mwh=activity.electricity_mwh, growth=growth
        )
    if not sources:
        raise PeakzeroError(
            f"inventory year {yi.year} has no emissions to plan against (no fuel, process, heat "
            "or purchased electricity)",
            field="inventory.years",
        )
    return sources


#: Stands in for the site's PV measure when the pathway is checked before the site is designed
#: (only its type matters there: the check resolves names, years and sources, not values).
_CHECK_PV_MEASURE = MeasureSpec(
    name="rooftop_pv",
    type="pv_storage",
    max_units_per_year=1.0,
    max_units_total=1.0,
    kwh_per_kw_year=1000.0,
    capex_yuan_per_kw=3000.0,
    annual_saving_yuan_per_kw=0.0,
    om_yuan_per_kw_year=0.0,
)


def pv_measure(site: SiteResult, plan: Plan) -> MeasureSpec | None:
    """The rooftop PV + storage measure valued from the site design, per kW of PV; None when
    the design has no PV."""
    kwp = site.dispatch.pv_kwp
    if kwp < _MIN_PV_KWP:
        return None
    hourly = site.hourly()
    dt_h = site.data.problem.dt_hours
    grid_import_kwh = float((hourly["grid_to_load_kw"] + hourly["grid_to_batt_kw"]).sum() * dt_h)
    load_kwh = float(site.data.load_kw.sum() * dt_h)
    om_year1 = float(site.cash_flows.loc[site.cash_flows["year"] == 1, "om_yuan"].iloc[0])
    return MeasureSpec(
        name="rooftop_pv",
        type="pv_storage",
        kwh_per_kw_year=max(load_kwh - grid_import_kwh, 0.0) / kwp,
        capex_yuan_per_kw=site.capex_yuan / kwp,
        annual_saving_yuan_per_kw=(site.bill_bau.total_yuan - site.bill.total_yuan) / kwp,
        om_yuan_per_kw_year=om_year1 / kwp,
        lifetime_years=plan.site.economics.analysis_years,
        max_units_per_year=kwp,
        max_units_total=kwp,
        source=(
            f"peakzero site optimiser for this plan: {kwp:,.1f} kWp with "
            f"{site.dispatch.battery_kw:,.1f} kW / {site.dispatch.battery_kwh:,.1f} kWh battery; "
            "grid purchase avoided, capex, bill saving and O&M per kW of PV"
        ),
    )


def pathway_input(plan: Plan, inventory: Inventory, pv: MeasureSpec | None) -> PathwayInput:
    """The pathway of the plan: ``[pathway]`` over the inventory's baseline, with the site's PV
    measure ``pv`` added unless ``[[pathway.measures]]`` has one of type ``pv_storage``."""
    yi, act = last_year(inventory, plan)
    spec = plan.pathway
    header = PathwayHeader(
        name=spec.name if spec.name is not None else plan.header.title,
        base_year=plan.base_year,
        end_year=plan.header.end_year,
        discount_rate=(
            spec.discount_rate
            if spec.discount_rate is not None
            else plan.site.economics.discount_rate
        ),
        capex_mode=spec.capex_mode or "upfront_salvage",
        macc_year=spec.macc_year,
    )
    grid = spec.grid or GridSpec(
        region=plan.entity.entity.region, decline_per_year=plan.site.carbon.decline_per_year
    )
    targets = spec.targets or TargetsSpec()
    given = targets.model_fields_set
    targets = targets.model_copy(
        update={
            k: v
            for k, v in (
                ("peak_year", plan.header.peak_target_year),
                ("neutral_year", plan.header.neutral_target_year),
            )
            if k not in given
        }
    )
    measures = list(spec.measures)
    if pv is not None and not any(m.type == "pv_storage" for m in measures):
        measures.append(pv)
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
    return validate(PathwayInput, data, origin=f"{plan.origin}: [pathway]", prefix="pathway.")


def check_plan(plan: Plan) -> None:
    """Resolve every name the plan uses (tariff, station, load source) and check the pathway
    against the inventory's baseline: cheap checks, done before any work starts.

    :func:`plan_from_dict` and :func:`load_plan` call it; call it yourself only for a
    :class:`Plan` built by other means.
    """

    def in_section(section: str, check: Callable[[], object]) -> None:
        try:
            check()
        except PeakzeroError as exc:
            raise PeakzeroError(f"{plan.origin}: [{section}] {exc}", field=section) from None

    site = plan.site
    in_section("site.tariff.name", lambda: load_tariff(site.tariff.name, **site.tariff_overrides()))
    in_section("site.location", lambda: _station(site))
    if site.load.archetype is not None and site.load.archetype not in ARCHETYPES:
        raise PeakzeroError(
            f"{plan.origin}: site.load.archetype = {site.load.archetype!r} is unknown; choose one "
            f"of {', '.join(ARCHETYPES)}",
            field="site.load.archetype",
        )
    for key, given in (("csv", site.load.csv), ("bills", site.load.bills)):
        if given is not None and not site.resolve(given).is_file():
            what = "is a folder, not a file" if site.resolve(given).is_dir() else "no such file"
            raise PeakzeroError(
                f"{plan.origin}: site.load.{key} = {given!r}: {what} (paths are relative to "
                "the plan file)",
                field=f"site.load.{key}",
            )
    if site.load.bills is not None:  # parsed here (12 rows), so a bad bill stops the run early
        bills = site.resolve(site.load.bills)
        in_section("site.load.bills", lambda: read_bills(bills, sheet=site.load.sheet))
    inp = pathway_input(plan, entity_inventory(plan.entity), _CHECK_PV_MEASURE)
    in_section("pathway", lambda: build_problem(inp))  # resolves measure types and sources


def _station(site: SiteInput) -> tuple[Station, float]:
    loc = site.location
    match = resolve_station(loc.station, loc.latitude_deg, loc.longitude_deg)
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
        roof = Roof(kind, read_polygon(Path(spec.polygon)), pitch, spec.azimuth_deg, spec.setback_m)
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
    """The site input with the roof's maximum kWp, tilt and azimuth where the plan left them
    (a typed update of ``[site.pv]``, validated again)."""
    if layout is None:
        return plan.site
    if layout.kwp <= 0:
        raise PeakzeroError(
            "the roof holds no modules after setbacks and row spacing; give a larger roof or "
            "a smaller roof.setback_m",
            field="roof",
        )
    pv = plan.site.pv
    written = pv.model_fields_set
    fill = {
        k: v
        for k, v in (
            ("max_kwp", layout.kwp),
            ("tilt_deg", layout.tilt_deg),
            ("azimuth_deg", layout.azimuth_deg),
        )
        if k not in written
    }
    try:
        return plan.site.with_pv(**fill)
    except PeakzeroError as exc:
        raise PeakzeroError(
            f"{plan.origin}: with the roof's {layout.kwp:,.1f} kWp: {exc}",
            field=f"site.{exc.field}" if exc.field else "site",
        ) from None


def plan_trajectory(
    plan: Plan, inp: PathwayInput, result: PathwayResult, pv: MeasureSpec | None
) -> PlanTrajectory:
    """Trajectories before, with the design alone (its grid purchase avoided, priced at each
    year's grid factor) and with the roadmap, each analysed for its peak and neutral years."""
    years = np.asarray(result.years, dtype=int)
    t = result.trajectory
    baseline = np.asarray(t.baseline_gross_t, dtype=float)
    ef = np.asarray(result.ef_t_per_mwh, dtype=float)
    with_pv = baseline.copy()
    if pv is not None and "electricity" in inp.baseline:
        assert pv.kwh_per_kw_year is not None and pv.max_units_total is not None
        elec_t = build_problem(inp).base_electricity_mwh * ef
        avoided_t = pv.kwh_per_kw_year * pv.max_units_total / 1000.0 * ef
        with_pv = baseline - np.minimum(avoided_t, elec_t)
    peak = int(inp.targets.peak_year or plan.header.peak_target_year)
    neutral = int(inp.targets.neutral_year or plan.header.neutral_target_year)
    target = {"peak_target_year": peak, "neutral_target_year": neutral}
    return PlanTrajectory(
        years=tuple(int(y) for y in years),
        baseline_gross_t=baseline,
        with_solution_gross_t=with_pv,
        before=analyze_trajectory(years, baseline, **target),
        with_solution=analyze_trajectory(years, with_pv, **target),
        after=analyze_trajectory(years, t.gross_t, t.sinks_t, t.offsets_t, **target),
        peak_target_year=peak,
        neutral_target_year=neutral,
    )


def in_site(exc: PeakzeroError) -> PeakzeroError:
    """A refusal of the site engine, its field named as a plan file writes it (``site.load.csv``).

    >>> in_site(PeakzeroError("no unit", field="load.unit")).field
    'site.load.unit'
    """
    field = exc.field
    if field is not None and field != "site" and not field.startswith("site."):
        exc.field = f"site.{field}"  # the same error (its class tells an infeasible target)
    return exc


def run_plan(plan: Plan, progress: Progress | None = None) -> PlanRun:
    """Run a checked plan end to end; ``progress(step)`` is called as each step starts."""
    tell = progress or (lambda _step: None)
    tell("inventory")
    inventory = entity_inventory(plan.entity)
    tell("roof")
    layout = roof_layout(plan)
    tell("site")
    site_input = site_with_roof(plan, layout)
    try:
        optimum = optimize_site(site_input)
    except PeakzeroError as exc:  # the site engine names its own fields: here they are site.*
        raise in_site(exc) from exc
    site = round_site(site_input, optimum)  # rounded to products, re-evaluated
    tell("pathway")
    pv = pv_measure(site, plan)
    inp = pathway_input(plan, inventory, pv)
    pathway = plan_pathway(inp)
    tell("trajectory")
    added = pv if pv is not None and pv in inp.measures else None
    trajectory = plan_trajectory(plan, inp, pathway, added)
    results = build_results(
        plan, inventory, layout, site_input, site, pathway, trajectory.section(pathway), added
    )
    return PlanRun(
        plan=plan,
        inventory=inventory,
        layout=layout,
        site_input=site_input,
        site=site,
        pathway_input=inp,
        pathway=pathway,
        pv_measure=added,
        trajectory=trajectory,
        results=results,
    )
