"""The one adapter between the county programme and peakzero's engines.

Everything the county takes from the site engines passes through here: weather and PV
profiles (:mod:`peakzero.weather`, :mod:`peakzero.solar`), load archetypes (:mod:`peakzero.load`),
tariffs (:mod:`peakzero.tariff`), the site LP (:mod:`peakzero.optimize`), finance
(:mod:`peakzero.finance`), grid emission factors (:mod:`peakzero.carbon.factors`) and, for the
reference, the full-year site optimiser (:func:`peakzero.site.optimize_site`). Internal helpers
of those packages (the LP's present-worth and levelisation factors, the battery replacement
year) are used only in this module, so a renaming elsewhere touches one file.

:func:`county_context` computes once, on the client, what every building shares: the hourly
time index, the tariff arrays of every category, a unit load shape per archetype and one
per-kWp PV profile per station and orientation class. Workers receive it once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peakzero import finance
from peakzero.carbon.factors import grid_factor_trajectory
from peakzero.county.buildings import Building
from peakzero.county.models import CountyInput
from peakzero.county.residential import RESIDENTIAL_ARCHETYPES, residential_load_kw
from peakzero.county.sizing import FloatArray, IntArray
from peakzero.load import archetype_load, year_index
from peakzero.optimize import (
    ASSUMED_CYCLES_PER_YEAR as SITE_ASSUMED_CYCLES,
)
from peakzero.optimize import (
    NO_BATTERY_KWH,
    Economics,
    PVOptions,
    SiteLp,
    SiteProblem,
    build_site_lp,
    optimize_dispatch,
    redate_replacement,
)
from peakzero.optimize.build import kwh_cost_yuan
from peakzero.optimize.problem import degradation_levelisation, tie_break_yuan_per_kwh
from peakzero.optimize.solve import Session, check_solution
from peakzero.site.models import BatteryInput
from peakzero.solar import PVArray, PVSystem, default_tilt_deg, pv_profiles
from peakzero.storage import Battery, replacement_year
from peakzero.tariff import compute_bill, hourly_energy_price, load_tariff
from peakzero.weather import list_stations, nearest_station, station_weather

#: First guess of equivalent full cycles per year to date the battery replacement [-]: the
#: weighted LP is re-solved until the replacement year found from its own cycles is stable (as
#: the site optimiser, which starts from 300); TOU arbitrage batteries in the bundled tariffs make
#: 400-500 cycles a year, so starting there usually saves the second solve.
ASSUMED_CYCLES_PER_YEAR = 450.0
#: Pitched roofs share a profile per pitch rounded to this step [deg] ...
PITCH_STEP_DEG = 5.0
#: ... and per azimuth rounded to this step [deg].
AZIMUTH_STEP_DEG = 15.0


@dataclass(frozen=True)
class TariffArrays:
    """One category's tariff as the sizing needs it."""

    name: str
    price_yuan_per_kwh: FloatArray
    demand_charge_yuan_per_kw_month: float
    fixed_charges_yuan_per_year: float
    export_price_yuan_per_kwh: float
    export_limit_kw: float | None
    battery: bool
    capex_yuan_per_kwp: float


@dataclass(frozen=True)
class CountyContext:
    """What every building of a county shares (shipped once per worker)."""

    year: int
    month: IntArray
    day: IntArray
    tariffs: dict[str, TariffArrays]
    unit_loads: dict[str, FloatArray]
    profiles: dict[tuple[str, float, float], FloatArray]
    station_latitude_deg: dict[str, float]
    economics: Economics
    pv_om_yuan_per_kwp_year: float
    pv_degradation_per_year: float
    pv_min_kwp: float
    dc_ac_ratio: float
    battery: Battery
    emc: dict[str, float]
    ef_t_per_mwh: FloatArray
    cash_flows: CashFlowBasis
    block_days: int = 5
    notes: tuple[str, ...] = field(default=())

    @property
    def levelisation(self) -> float:
        """PV levelisation factor of the representative year, as the site LP [-]."""
        e = self.economics
        return degradation_levelisation(
            e.discount_rate, e.tariff_escalation, self.pv_degradation_per_year, e.analysis_years
        )


def orientation_class(building: Building, station_latitude_deg: float) -> tuple[float, float]:
    """Tilt and azimuth [deg] of the profile a building shares (180 = south).

    Flat roofs: tilted rows facing the equator at :func:`peakzero.solar.default_tilt_deg`;
    pitched roofs: pitch rounded to 5 deg (at least 5) and azimuth to 15 deg.
    """
    if building.roof == "flat":
        return default_tilt_deg(station_latitude_deg), (180.0 if station_latitude_deg >= 0 else 0.0)
    pitch = max(PITCH_STEP_DEG, PITCH_STEP_DEG * round(building.pitch_deg / PITCH_STEP_DEG))
    azimuth = (AZIMUTH_STEP_DEG * round(building.azimuth_deg / AZIMUTH_STEP_DEG)) % 360.0
    return float(pitch), float(azimuth)


def assign_stations(buildings: list[Building]) -> dict[str, str]:
    """Building id -> WMO id of the nearest bundled CSWD station (great circle)."""
    return {
        b.id: nearest_station(b.latitude_deg, b.longitude_deg).station.wmo_id for b in buildings
    }


def _tariffs(county: CountyInput, index: Any) -> dict[str, TariffArrays]:
    from peakzero.county.models import CATEGORIES

    out: dict[str, TariffArrays] = {}
    for name in CATEGORIES:
        cat = county.category(name)
        overrides: dict[str, Any] = {"export_limit_kw": 0.0} if cat.export == "zero" else {}
        tariff = load_tariff(county.tariff_source(name), **overrides)
        load = np.zeros(len(index))
        capacity = float(compute_bill(tariff, index, load).monthly["capacity_yuan"].sum())
        out[name] = TariffArrays(
            name=tariff.name,
            price_yuan_per_kwh=np.asarray(hourly_energy_price(tariff, index), dtype=float),
            demand_charge_yuan_per_kw_month=tariff.demand_charge_yuan_per_kw_month or 0.0,
            fixed_charges_yuan_per_year=capacity,
            export_price_yuan_per_kwh=tariff.export_price_yuan_per_kwh,
            export_limit_kw=tariff.export_limit_kw,
            battery=cat.battery,
            capex_yuan_per_kwp=cat.capex_yuan_per_kwp or county.pv.capex_yuan_per_kwp,
        )
    return out


def battery_from_input(spec: BatteryInput) -> Battery:
    """The :class:`peakzero.storage.Battery` of a county's battery section (as the planner)."""
    return Battery(**spec.model_dump(exclude={"enabled", "export"}))


def county_context(
    county: CountyInput,
    buildings: list[Building],
    stations: dict[str, str],
    *,
    block_days: int = 5,
) -> CountyContext:
    """Compute what the buildings share: tariffs, unit loads, one profile per station and class."""
    year = county.year
    index = year_index(year)
    by_id = {s.wmo_id: s for s in list_stations()}
    lat = {wmo: by_id[wmo].latitude_deg for wmo in set(stations.values())}
    classes: dict[str, set[tuple[float, float]]] = {}
    for b in buildings:
        wmo = stations[b.id]
        classes.setdefault(wmo, set()).add(orientation_class(b, lat[wmo]))
    profiles: dict[tuple[str, float, float], FloatArray] = {}
    for wmo in sorted(classes):
        weather = station_weather(by_id[wmo], year)
        wanted = sorted(classes[wmo])
        systems = [
            PVSystem(arrays=(PVArray(t, a),), dc_ac_ratio=county.pv.dc_ac_ratio) for t, a in wanted
        ]
        for (t, a), prof in zip(
            wanted, pv_profiles([weather] * len(systems), systems), strict=True
        ):
            profiles[(wmo, t, a)] = np.asarray(prof.ac_kw_per_kwp, dtype=float)
    unit_loads: dict[str, FloatArray] = {}
    for kind in sorted({b.load for b in buildings}):
        if kind in RESIDENTIAL_ARCHETYPES:
            series = residential_load_kw(kind, year=year, annual_kwh=1.0)
        else:
            series = archetype_load(kind, year=year, annual_kwh=1.0)
        unit_loads[kind] = np.asarray(series.to_numpy(), dtype=float)
    e = county.economics
    ef = grid_factor_trajectory(
        county.carbon.region or county.province,
        list(range(year, year + e.analysis_years)),
        decline_per_year=county.carbon.decline_per_year,
        base_year=county.carbon.factor_year,
    )
    return CountyContext(
        year=year,
        month=np.asarray(index.month - 1, dtype=np.int64),
        day=np.asarray(index.day_of_year - 1, dtype=np.int64),
        tariffs=_tariffs(county, index),
        unit_loads=unit_loads,
        profiles=profiles,
        station_latitude_deg=lat,
        economics=Economics(**e.model_dump()),
        pv_om_yuan_per_kwp_year=county.pv.om_yuan_per_kwp_year,
        pv_degradation_per_year=county.pv.degradation_per_year,
        pv_min_kwp=county.pv.min_kwp,
        dc_ac_ratio=county.pv.dc_ac_ratio,
        battery=battery_from_input(county.battery),
        emc=county.emc.model_dump(),
        ef_t_per_mwh=np.asarray(ef, dtype=float),
        cash_flows=cash_flow_basis(
            Economics(**e.model_dump()), county.emc.model_dump(), county.pv.degradation_per_year
        ),
        block_days=block_days,
    )


# ----------------------------------------------------------------------- the LP with a battery


@dataclass(frozen=True)
class _WeightedProblem(SiteProblem):
    """A site problem on representative days: interval ``t`` stands for ``weight[t]`` days.

    The import prices passed in are already multiplied by the weights; the export credit is too
    (the LP reads it from this property), and the demand charge and the daily cycle limit apply
    to the representative days as they are.
    """

    weight: FloatArray = field(default_factory=lambda: np.ones(0))

    @property
    def export_credit_yuan_per_kwh(self) -> FloatArray:
        """``min(export price x weight, import price)`` per interval [yuan/kWh], with the site
        optimiser's tie-break where export is worth more than import (the import price less
        :func:`~peakzero.optimize.problem.tie_break_yuan_per_kwh`), so that on the full year
        the county picks the same dispatch among equally cheap ones as ``optimize_site``."""
        export = self.export_price_yuan_per_kwh * self.weight
        price = np.asarray(self.import_price_yuan_per_kwh, dtype=float)
        credit = np.where(export > price, price - tie_break_yuan_per_kwh(self.n), export)
        return np.asarray(credit, dtype=float)


@dataclass(frozen=True)
class LPDesign:
    """Sizes and flows of the weighted LP's optimum (flows per representative interval)."""

    pv_kwp: float
    battery_kw: float
    battery_kwh: float
    import_kw: FloatArray
    export_kw: FloatArray
    curtailed_kw: FloatArray
    discharge_kw: FloatArray
    replacement_year: int | None
    solves: int


def _pv_options(tariff: TariffArrays, max_kwp: float, ctx: CountyContext) -> PVOptions:
    """The PV column of a building's site LP: its tariff's capex, the county's O&M and
    degradation, the roof's maximum."""
    return PVOptions(
        capex_yuan_per_kwp=tariff.capex_yuan_per_kwp,
        om_yuan_per_kwp_year=ctx.pv_om_yuan_per_kwp_year,
        max_kwp=max_kwp,
        degradation_per_year=ctx.pv_degradation_per_year,
    )


def optimize_weighted(
    *,
    load_kw: FloatArray,
    pv_kw_per_kwp: FloatArray,
    price_yuan_per_kwh: FloatArray,
    weight: FloatArray,
    month: IntArray,
    day: IntArray,
    tariff: TariffArrays,
    max_kwp: float,
    ctx: CountyContext,
) -> LPDesign:
    """PV + battery sizes by the site LP (:func:`peakzero.optimize.optimize_dispatch`) on weighted
    representative days; the battery replacement year is re-dated from the weighted cycles until
    stable (at most 3 solves, as the site optimiser does on the full year)."""
    years = ctx.economics.analysis_years
    rep = replacement_year(ctx.battery, ASSUMED_CYCLES_PER_YEAR, years)
    solves = 0
    while True:
        battery = dataclasses.replace(ctx.battery, replacement_year=rep if rep else years + 1)
        problem = _WeightedProblem(
            load_kw=load_kw,
            pv_kw_per_kwp=pv_kw_per_kwp,
            import_price_yuan_per_kwh=price_yuan_per_kwh * weight,
            month=month,
            day=day,
            export_price_yuan_per_kwh=tariff.export_price_yuan_per_kwh,
            demand_charge_yuan_per_kw_month=tariff.demand_charge_yuan_per_kw_month,
            export_limit_kw=tariff.export_limit_kw,
            pv=_pv_options(tariff, max_kwp, ctx),
            battery=battery,
            economics=ctx.economics,
            weight=weight,
        )
        d = optimize_dispatch(problem).dispatch
        solves += 1
        if d.battery_kwh <= 1e-6:
            found = None
            break
        cycles = float(np.sum(d.discharge_kw * weight) / d.battery_kwh)
        found = replacement_year(ctx.battery, cycles, years)
        if found == rep or solves >= 3:
            break
        rep = found
    return LPDesign(
        pv_kwp=max(d.pv_kwp, 0.0),
        battery_kw=max(d.battery_kw, 0.0) if found is not None else 0.0,
        battery_kwh=max(d.battery_kwh, 0.0) if found is not None else 0.0,
        import_kw=d.grid_import_kw,
        export_kw=d.grid_export_kw,
        curtailed_kw=d.flows["pv_curtailed"],
        discharge_kw=d.discharge_kw,
        replacement_year=found,
        solves=solves,
    )


def full_year_problem(
    *,
    load_kw: FloatArray,
    pv_kw_per_kwp: FloatArray,
    tariff: TariffArrays,
    max_kwp: float,
    ctx: CountyContext,
) -> SiteProblem:
    """The site problem of one building on the whole hourly year, as ``optimize_site`` builds it
    (same tariff arrays, costs, economics; the battery replacement dated by the solve)."""
    return SiteProblem(
        load_kw=load_kw,
        pv_kw_per_kwp=pv_kw_per_kwp,
        import_price_yuan_per_kwh=tariff.price_yuan_per_kwh,
        month=ctx.month,
        day=ctx.day,
        export_price_yuan_per_kwh=tariff.export_price_yuan_per_kwh,
        demand_charge_yuan_per_kw_month=tariff.demand_charge_yuan_per_kw_month,
        export_limit_kw=tariff.export_limit_kw,
        pv=_pv_options(tariff, max_kwp, ctx),
        battery=ctx.battery,
        economics=ctx.economics,
    )


class FullYearLP:
    """The site LP on the whole year for a chain of similar buildings, each solve warm-started
    from the last building's optimal basis.

    Buildings of one category, load archetype and PV profile have LPs with the same matrix and
    costs; only the load (row bounds) and the roof maximum (a column bound) differ, and scaling
    load and roof together scales the optimum without changing its basis. So the previous
    optimal basis stays dual feasible and the dual simplex repairs it in a few hundred
    iterations instead of ~40,000 from scratch (0.05-0.8 s instead of 3-25 s per building on the
    example county, 2026-11-26). Within a chain a new PV profile (same shape of LP, other
    coefficients) starts from the last optimal basis too. The first building of a chain starts
    from its own sizes on representative days (``guess``): the full-year LP with those sizes
    fixed (dispatch only), then freed. Either way the result is an optimum of the full-year LP
    that :func:`peakzero.optimize.optimize_dispatch` solves; only the solver's path differs.

    The battery replacement year (which prices a kWh) is re-dated from the cycles of each
    solution until stable, at most 3 solves, as in ``optimize_dispatch``, but starting from the
    year of the chain's previous building (or of the guess) instead of from 300 cycles a year:
    the same fixed point, usually reached in one solve instead of two. Where several dispatches
    are optimal, which one is returned depends on the path, so the chain (its buildings and
    their order) is fixed by the inputs alone (:mod:`peakzero.county.run`).
    """

    def __init__(self) -> None:
        self._session: Session | None = None
        self._model: SiteLp | None = None
        self._replacement: int | None = None
        self.cold_starts = 0
        self.warm_starts = 0

    def _same_shape(self, model: SiteLp) -> bool:
        held = self._model
        return (
            held is not None
            and held.c.size == model.c.size
            and held.row_lower.size == model.row_lower.size
            and held.columns.index("batt_kwh") == model.columns.index("batt_kwh")
        )

    def _same_matrix(self, model: SiteLp) -> bool:
        """Whether ``model`` differs from the one held only in bounds and the kWh cost."""
        held = self._model
        if held is None or not self._same_shape(model):
            return False
        a, b = held.a, model.a
        kwh = model.size_columns[2]
        return bool(
            np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data, b.data)
            and np.array_equal(np.delete(held.c, kwh), np.delete(model.c, kwh))
        )

    def _start(self, problem: SiteProblem, model: SiteLp, guess: Callable[[], LPDesign]) -> Session:
        """A HiGHS session holding ``model`` with a basis near its optimum (see the class)."""
        if self._session is not None and self._same_matrix(model):
            h = self._session.highs
            every = np.arange(model.c.size, dtype=np.int32)
            h.changeColsBounds(every.size, every, model.col_lower, model.col_upper)
            rows = np.arange(model.row_lower.size, dtype=np.int32)
            h.changeRowsBounds(rows.size, rows, model.row_lower, model.row_upper)  # type: ignore[attr-defined]
            self.warm_starts += 1
            return self._session
        session = Session(model, staged=False)
        if self._session is not None and self._same_shape(model):
            session.highs.setBasis(self._session.highs.getBasis())
            self.warm_starts += 1
            return session
        start = guess()
        self._replacement = start.replacement_year
        # the first run solves the dispatch at the guessed sizes: a basis near the optimum
        session.start_from(np.array([start.pv_kwp, start.battery_kw, start.battery_kwh]))
        self.cold_starts += 1
        return session

    def solve(self, problem: SiteProblem, guess: Callable[[], LPDesign]) -> LPDesign:
        """PV + battery sizes and full-year flows of ``problem``; ``guess`` gives a design
        (sizes and replacement year) to start from when no basis can be carried over."""
        model = build_site_lp(problem, assumed_cycles_per_year=SITE_ASSUMED_CYCLES)
        session = self._start(problem, model, guess)
        self._session, self._model = session, model
        rep = self._replacement if self._replacement is not None else model.replacement_year
        session.change_cost("batt_kwh", kwh_cost_yuan(problem, rep))
        solution = check_solution(model, session.run())
        done = redate_replacement(problem, model, session, solution, rep)
        dispatch, rep, solves = done.dispatch, done.replacement_year, done.solves
        has_battery = dispatch.battery_kwh > NO_BATTERY_KWH
        if has_battery:
            self._replacement = rep
        return LPDesign(
            pv_kwp=max(dispatch.pv_kwp, 0.0),
            battery_kw=max(dispatch.battery_kw, 0.0) if has_battery else 0.0,
            battery_kwh=max(dispatch.battery_kwh, 0.0) if has_battery else 0.0,
            import_kw=dispatch.grid_import_kw,
            export_kw=dispatch.grid_export_kw,
            curtailed_kw=dispatch.flows["pv_curtailed"],
            discharge_kw=dispatch.discharge_kw,
            replacement_year=rep if has_battery else None,
            solves=solves,
        )


def battery_cost_floor(ctx: CountyContext) -> tuple[float, float]:
    """Lowest present-worth cost of 1 kWh and of 1 kW of battery [yuan] (no replacement)."""
    b, e = ctx.battery, ctx.economics
    return b.capex_yuan_per_kwh, b.capex_yuan_per_kw + b.om_yuan_per_kw_year * e.pwf_om


# ----------------------------------------------------------------------------------- finance


#: Inputs the yearly cash flows are linear in (year-1 figures, capex at year 0).
CASH_INPUTS: tuple[str, ...] = ("capex", "savings", "export", "om")


@dataclass(frozen=True)
class CashFlowBasis:
    """Yearly net cash flows (years 0..N) of unit inputs, from :mod:`peakzero.finance`.

    The project's flows (:func:`peakzero.finance.project_cash_flows`) and the EMC host's and
    investor's (:func:`peakzero.finance.emc_cash_flows`) are linear in capex, year-1 savings,
    export revenue, O&M and each replacement cost (no carbon revenue in the county run), so a
    building's flows are a weighted sum of these rows: one engine call per unit input per
    county instead of three DataFrame builds per building (the site planner's path; checked
    equal in ``tests/test_county_engines.py``).
    """

    project: dict[str, FloatArray]
    host: dict[str, FloatArray]
    investor: dict[str, FloatArray]
    replacement: dict[str, FloatArray]  # (years + 1, years + 1): row y = cost 1 in year y


def cash_flow_basis(
    economics: Economics, emc: dict[str, float], degradation_per_year: float
) -> CashFlowBasis:
    """Unit responses of the project and EMC cash flows (see :class:`CashFlowBasis`)."""
    e = economics
    years = e.analysis_years
    base: dict[str, Any] = dict(
        years=years,
        om_escalation=e.om_escalation,
        degradation_per_year=degradation_per_year,
        tariff_escalation=e.tariff_escalation,
    )
    emc_terms: dict[str, Any] = dict(
        discount_fraction=emc["discount_fraction"],
        contract_years=int(emc["contract_years"]),
        investor_discount_rate=emc["investor_discount_rate"],
        host_discount_rate=e.discount_rate,
    )
    unit = {"capex": "capex_yuan", "export": "export_revenue_year1_yuan", "om": "om_year1_yuan"}

    def flows(**given: Any) -> tuple[FloatArray, FloatArray, FloatArray]:
        kw = {"capex_yuan": 0.0, **base, **given}
        savings = kw.pop("savings_year1_yuan", 0.0)
        project = finance.project_cash_flows(
            savings_year1_yuan=savings, discount_rate=e.discount_rate, **kw
        )
        deal = finance.emc_cash_flows(pv_value_year1_yuan=savings, **emc_terms, **kw)
        return (
            project["net_yuan"].to_numpy(dtype=float),
            deal.host["net_yuan"].to_numpy(dtype=float),
            deal.investor["net_yuan"].to_numpy(dtype=float),
        )

    project, host, investor = {}, {}, {}
    for name in CASH_INPUTS:
        key = unit.get(name, "savings_year1_yuan")
        project[name], host[name], investor[name] = flows(**{key: 1.0})
    rows = [flows(replacement_yuan={y: 1.0}) for y in range(1, years + 1)]
    zero = np.zeros(years + 1)
    replacement = {
        k: np.vstack([zero, *[r[i] for r in rows]])
        for i, k in enumerate(("project", "host", "investor"))
    }
    return CashFlowBasis(project, host, investor, replacement)


def cash_flow_figures(
    *,
    ctx: CountyContext,
    capex_yuan: float,
    savings_year1_yuan: float,
    export_year1_yuan: float,
    om_year1_yuan: float,
    replacement_yuan: dict[int, float],
) -> dict[str, float | None]:
    """NPV, IRR, payback under self-investment and the EMC figures, as the site planner
    (the EMC value is the saving floored at 0, as there)."""
    e, basis = ctx.economics, ctx.cash_flows
    given = {
        "capex": capex_yuan,
        "savings": savings_year1_yuan,
        "export": export_year1_yuan,
        "om": om_year1_yuan,
    }

    def net(part: str, rows: dict[str, FloatArray], value: dict[str, float]) -> FloatArray:
        total = sum(value[k] * rows[k] for k in CASH_INPUTS)
        for year, cost in replacement_yuan.items():
            total = total + cost * basis.replacement[part][year]
        return np.asarray(total, dtype=float)

    project = net("project", basis.project, given)
    emc_given = {**given, "savings": max(savings_year1_yuan, 0.0)}
    host = net("host", basis.host, emc_given)
    investor = net("investor", basis.investor, emc_given)
    investor_rate = ctx.emc["investor_discount_rate"]
    return {
        "npv_yuan": finance.npv(e.discount_rate, project),
        "irr": finance.irr(project),
        "payback_years": finance.simple_payback_years(project),
        "emc_host_npv_yuan": finance.npv(e.discount_rate, host),
        "emc_investor_npv_yuan": finance.npv(investor_rate, investor),
        "emc_investor_irr": finance.irr(investor),
        "emc_investor_payback_years": finance.simple_payback_years(investor),
    }


# ------------------------------------------------------------------------------- the reference


def reference_site(
    county: CountyInput,
    building: Building,
    *,
    station_wmo: str,
    orientation: tuple[float, float],
    max_kwp: float,
    load_csv: str | None = None,
) -> Any:
    """The :class:`peakzero.site.SiteInput` of one building for the full-year site optimiser.

    Same station, orientation class, roof maximum, load, tariff, costs and economics as the
    county run; ``load_csv`` (an hourly kW file) stands in for a residential archetype, which
    the site file does not know.
    """
    from peakzero.site import site_from_dict

    cat = county.category(building.category)
    tariff: dict[str, Any] = {"name": county.tariff_source(building.category)}
    if cat.export == "zero":
        tariff["export_limit_kw"] = 0.0
    load: dict[str, Any] = (
        {"csv": load_csv}
        if load_csv is not None
        else {"archetype": building.load, "annual_kwh": building.annual_kwh}
    )
    battery = county.battery.model_dump()
    battery["enabled"] = cat.battery
    raw = {
        "name": building.id,
        "year": county.year,
        "location": {"station": station_wmo, "province": county.province},
        "load": load,
        "tariff": tariff,
        "pv": {
            "max_kwp": max_kwp,
            "tilt_deg": orientation[0],
            "azimuth_deg": orientation[1],
            "dc_ac_ratio": county.pv.dc_ac_ratio,
            "capex_yuan_per_kwp": cat.capex_yuan_per_kwp or county.pv.capex_yuan_per_kwp,
            "om_yuan_per_kwp_year": county.pv.om_yuan_per_kwp_year,
            "degradation_per_year": county.pv.degradation_per_year,
        },
        "battery": battery,
        "economics": county.economics.model_dump(),
        "emc": county.emc.model_dump(),
        "carbon": {
            "region": county.carbon.region,
            "factor_year": county.carbon.factor_year,
            "decline_per_year": county.carbon.decline_per_year,
        },
    }
    return site_from_dict(raw, origin=f"building {building.id}")


def optimize_reference(site: Any) -> Any:
    """Run :func:`peakzero.site.optimize_site` on a reference site."""
    from peakzero.site import optimize_site

    return optimize_site(site)
