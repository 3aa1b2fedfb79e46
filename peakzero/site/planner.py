"""Compose one site: weather -> PV -> load -> tariff -> LP -> bills, cash flows, tCO2 avoided.

The LP (:mod:`peakzero.optimize`) sizes PV and battery on one representative year whose PV output
is the bill-weighted average over the life (REopt-like approximation, see
:mod:`peakzero.optimize.problem`). Cash flows take the representative year's saving back to year 1
by dividing by that levelisation factor and then let it follow PV degradation and tariff
escalation, so that the NPV of the cash flows without carbon revenue equals the LP's lifecycle
saving (battery arbitrage savings are assumed to degrade with PV too: part of the
approximation).

Meter interval: a meter file finer than hourly (5, 15 or 30 minutes) is solved hourly, with
each hour's highest demand reading above its mean
(:func:`peakzero.optimize.problem.within_interval_excess`) in the LP's demand and grid-limit
rows, and billed on the meter's own series (:meth:`SiteData.meter_flows`). The station's
hourly air temperature goes to the tariff, for the LP's prices and the bills
(temperature-triggered critical peak). ``[connection]`` gives the transformer (kVA x power
factor bounds import and export; a capacity-charged tariff bills that kVA unless ``[tariff]``
names one) and ``max_demand_increase_kw``.

NPV, one definition: ``npv_yuan`` is the net present value at the discount rate of the host's
cash flows, carbon revenue included, and is reported with its two parts,
``npv_yuan = lifecycle_saving_yuan + carbon_revenue_pv_yuan``: the LP's lifecycle saving
(``objective_bau_yuan - objective_yuan``, the bill the design saves less what it costs, in
present worth) and the present value of the carbon revenue the LP does not price.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from peakzero import finance
from peakzero.carbon.factors import grid_factor_note, grid_factor_trajectory
from peakzero.design import BatteryDesign, PVDesign
from peakzero.errors import PeakzeroError
from peakzero.load import archetype_load
from peakzero.load.bills import load_from_bills
from peakzero.load.reader import in_section, read_load
from peakzero.optimize import (
    FLOWS,
    Dispatch,
    Economics,
    Optimum,
    PVOptions,
    SiteProblem,
    SiteTargets,
    optimize_dispatch,
    renewable_share,
)
from peakzero.optimize.problem import FloatArray, within_interval_excess
from peakzero.site.avoided import CarbonAvoided, carbon_avoided
from peakzero.site.models import SiteInput
from peakzero.solar import PVArray, PVProfile, PVSystem, default_tilt_deg, pv_profile
from peakzero.storage import Battery
from peakzero.tariff import (
    Bill,
    Tariff,
    check_tariff_province,
    compute_bill,
    hourly_energy_price,
    load_tariff,
)
from peakzero.weather import resolve_station, station_weather

#: Sizes below this are reported as absent [kWp], [kWh].
SIZE_NOISE = 1e-6


@dataclass(frozen=True)
class SiteData:
    """The arrays a site resolves to before optimisation."""

    index: pd.DatetimeIndex
    load_kw: np.ndarray
    pv_kw_per_kwp: np.ndarray
    tariff: Tariff
    problem: SiteProblem
    notes: tuple[str, ...] = ()
    profile: PVProfile | None = None
    temp_air_c: np.ndarray | None = None
    meter_index: pd.DatetimeIndex | None = None
    meter_load_kw: np.ndarray | None = None

    @property
    def steps_per_interval(self) -> int:
        """Meter readings per LP interval (4 for a 15-minute meter solved hourly; 1 when the
        load has no finer series)."""
        if self.meter_load_kw is None:
            return 1
        return int(self.meter_load_kw.size // self.load_kw.size)

    def meter_flows(self, dispatch: Dispatch | None) -> tuple[FloatArray, FloatArray]:
        """Grid import and export on the meter's interval [kW] of ``dispatch`` (``None``: the
        site without a design, import = load).

        PV output, battery output and battery charging are held over each LP interval, and the
        meter's load varies inside it: each reading's net grid power is ``load_q - local_t +
        grid_to_batt_t`` with ``local_t`` the PV and battery output not sent into the battery
        (``pv - pv_to_batt + batt_to_load + batt_to_grid``); import is its positive part,
        export its negative part (above the export limit, curtailed). Where no reading changes
        direction this is the LP's import plus the reading's excess over the interval mean (the
        LP's demand rows); where PV is curtailed or exported in the interval, that PV covers
        the higher readings first, so the meter's peak is at most the LP's. Without a finer
        series, the LP's import and export unchanged."""
        if dispatch is None:
            meter = self.load_kw if self.meter_load_kw is None else self.meter_load_kw
            return meter, np.zeros_like(meter)
        if self.meter_load_kw is None:
            return dispatch.grid_import_kw, dispatch.grid_export_kw
        f = dispatch.flows
        local = dispatch.pv_kw - f["pv_to_batt"] + f["batt_to_load"] + f["batt_to_grid"]
        net = self.meter_load_kw + np.repeat(f["grid_to_batt"] - local, self.steps_per_interval)
        return np.maximum(net, 0.0), np.maximum(-net, 0.0)


@dataclass(frozen=True)
class Rounding:
    """How a result's sizes were rounded to products (:mod:`peakzero.site.buildable`).

    Attributes
    ----------
    optimum
        The optimiser's continuous optimum, evaluated the same way (the reference).
    pv, battery
        The products chosen (``None``: no PV or no battery, or a size the user fixed).
    candidates
        Every candidate evaluated: its products, sizes [kWp, kW, kWh] and NPV [yuan] (``None``
        when infeasible at those sizes), in evaluation order.
    """

    optimum: SiteResult
    pv: PVDesign | None
    battery: BatteryDesign | None
    candidates: tuple[RoundingCandidate, ...]


@dataclass(frozen=True)
class RoundingCandidate:
    """One rounded design evaluated at its fixed sizes."""

    pv: PVDesign | None
    battery: BatteryDesign | None
    pv_kwp: float
    battery_kw: float
    battery_kwh: float
    npv_yuan: float | None

    @property
    def sizes(self) -> tuple[float, float, float]:
        """``(pv_kwp, battery_kw, battery_kwh)`` [kWp, kW, kWh]."""
        return (self.pv_kwp, self.battery_kw, self.battery_kwh)


@dataclass(frozen=True)
class SiteResult:
    """Everything the optimiser found for one site (see :meth:`to_dict` for the JSON keys)."""

    name: str
    status: str
    dispatch: Dispatch
    data: SiteData
    capex_yuan: float
    objective_yuan: float
    objective_bau_yuan: float
    bill: Bill
    bill_bau: Bill
    cash_flows: pd.DataFrame
    emc: finance.EmcResult
    npv_yuan: float
    irr: float | None
    payback_years: float | None
    discounted_payback_years: float | None
    lcoe_yuan_per_kwh: float | None
    carbon: CarbonAvoided
    replacement_year: int | None
    build_seconds: float
    solve_seconds: float
    notes: tuple[str, ...] = field(default=())
    carbon_revenue_pv_yuan: float = 0.0
    size_duals_yuan: FloatArray | None = None
    rounding: Rounding | None = None

    @property
    def lifecycle_saving_yuan(self) -> float:
        """The LP's lifecycle saving: ``objective_bau_yuan - objective_yuan`` [yuan]; with
        :attr:`carbon_revenue_pv_yuan` it makes up :attr:`npv_yuan` (module docstring)."""
        return self.objective_bau_yuan - self.objective_yuan

    def hourly(self) -> pd.DataFrame:
        """Hourly dispatch table: load, PV available and every flow [kW], SOC [kWh]."""
        frame = pd.DataFrame(
            {"load_kw": self.data.load_kw, "pv_available_kw": self.dispatch.pv_kw},
            index=self.data.index,
        )
        for name in FLOWS:
            frame[name + ("_kwh" if name == "soc" else "_kw")] = self.dispatch.flows[name]
        frame["price_yuan_per_kwh"] = self.data.problem.import_price_yuan_per_kwh
        frame.index.name = "time"
        return frame

    def demand_by_month(self) -> list[dict[str, float | int]]:
        """Per month: peak import [kW] and demand charge [yuan] without and with the design,
        and the change in peak (positive when the design raises the month's demand)."""
        bau, new = self.bill_bau.monthly, self.bill.monthly
        peak_bau = bau["max_demand_kw"].to_numpy(dtype=float)
        peak = new["max_demand_kw"].to_numpy(dtype=float)
        charge_bau = bau["demand_yuan"].to_numpy(dtype=float)
        charge = new["demand_yuan"].to_numpy(dtype=float)
        return [
            {
                "month": int(m),
                "peak_bau_kw": round(float(peak_bau[k]), 3),
                "peak_kw": round(float(peak[k]), 3),
                "peak_change_kw": round(float(peak[k] - peak_bau[k]), 3),
                "demand_charge_bau_yuan": round(float(charge_bau[k]), 2),
                "demand_charge_yuan": round(float(charge[k]), 2),
            }
            for k, m in enumerate(bau.index)
        ]

    def typical_day(self, month: int) -> dict[str, list[float]]:
        """Mean 24-hour profile of ``month`` (1-12) per column of :meth:`hourly`."""
        frame = self.hourly()
        clock = pd.DatetimeIndex(frame.index)
        sel = frame[np.asarray(clock.month == month)]
        means = sel.groupby(np.asarray(clock.hour)[np.asarray(clock.month == month)]).mean()
        return {col: [round(float(v), 3) for v in means[col]] for col in means.columns}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        d, p = self.dispatch, self.data.problem
        pv_gen = float(d.pv_kw.sum() * p.dt_hours)
        used = pv_gen - float((d.flows["pv_to_grid"] + d.flows["pv_curtailed"]).sum() * p.dt_hours)
        bm, bb = self.bill.monthly, self.bill_bau.monthly
        comp = ("energy_yuan", "demand_yuan", "capacity_yuan", "export_credit_yuan", "total_yuan")
        emc = self.emc
        return {
            "name": self.name,
            "status": self.status,
            "pv_kwp": round(d.pv_kwp, 3),
            "battery_kw": round(d.battery_kw, 3),
            "battery_kwh": round(d.battery_kwh, 3),
            "capex_yuan": round(self.capex_yuan, 2),
            "npv_yuan": round(self.npv_yuan, 2),
            "lifecycle_saving_yuan": round(self.lifecycle_saving_yuan, 2),
            "carbon_revenue_pv_yuan": round(self.carbon_revenue_pv_yuan, 2),
            "irr": self.irr,
            "payback_years": self.payback_years,
            "discounted_payback_years": self.discounted_payback_years,
            "lcoe_yuan_per_kwh": self.lcoe_yuan_per_kwh,
            "annual_bill_bau_yuan": round(self.bill_bau.total_yuan, 2),
            "annual_bill_yuan": round(self.bill.total_yuan, 2),
            "bill_components_bau_yuan": {c: round(float(bb[c].sum()), 2) for c in comp},
            "bill_components_yuan": {c: round(float(bm[c].sum()), 2) for c in comp},
            "pv_generation_kwh": round(pv_gen, 1),
            "self_consumption_fraction": used / pv_gen if pv_gen > 0 else 0.0,
            "renewable_share": renewable_share(p, d),
            "battery_cycles_per_year": (
                float(d.discharge_kw.sum() * p.dt_hours / d.battery_kwh)
                if d.battery_kwh > 0
                else 0.0
            ),
            "battery_replacement_year": self.replacement_year,
            "demand_by_month": self.demand_by_month(),
            **self.carbon.to_dict(),
            "objective_yuan": round(self.objective_yuan, 2),
            "objective_bau_yuan": round(self.objective_bau_yuan, 2),
            "objective_lp_yuan": round(self.dispatch.lp_objective_yuan, 2),
            "emc": {
                "host_npv_yuan": round(emc.host_npv_yuan, 2),
                "host_savings_contract_yuan": round(emc.host_savings_contract_yuan, 2),
                "investor_npv_yuan": round(emc.investor_npv_yuan, 2),
                "investor_irr": emc.investor_irr,
                "investor_payback_years": emc.investor_payback_years,
            },
            "typical_summer_day": self.typical_day(7),
            "typical_winter_day": self.typical_day(1),
            "build_seconds": round(self.build_seconds, 4),
            "solve_seconds": round(self.solve_seconds, 4),
            "notes": list(self.notes),
        }


def _load(site: SiteInput) -> tuple[pd.Series, tuple[str, ...]]:
    """Hourly load and reading notes (see :func:`_load_with_meter`)."""
    load, notes, _ = _load_with_meter(site)
    return load, notes


def _load_with_meter(site: SiteInput) -> tuple[pd.Series, tuple[str, ...], pd.Series | None]:
    """Hourly load, reading notes and, for a meter file finer than hourly, its demand series
    (15 minutes, or 30 for a 30-minute meter)."""
    spec = site.load
    if spec.csv is not None:
        try:
            reading = read_load(
                site.resolve(spec.csv),
                year=site.year,
                unit=spec.unit,
                date_format=spec.date_format,
                sheet=spec.sheet,
                annual_kwh=spec.annual_kwh,
                monthly_kwh=spec.monthly_kwh,
            )
        except PeakzeroError as exc:  # named as the file names it: load.csv, load.unit
            raise in_section(exc, "load", "csv") from None
        fine = reading.demand_kw if reading.interval_minutes < 60 else None
        return reading.hourly_kw, reading.notes, fine
    assert spec.archetype is not None  # the model guarantees one source
    if spec.bills is not None:
        tariff = load_tariff(site.tariff.name, **site.tariff_overrides())
        try:
            fitted = load_from_bills(
                site.resolve(spec.bills), archetype=spec.archetype, year=site.year, tariff=tariff
            )
        except PeakzeroError as exc:
            raise in_section(exc, "load", "bills") from None
        return fitted.kw, fitted.notes, None
    return (
        archetype_load(
            spec.archetype,
            year=site.year,
            annual_kwh=spec.annual_kwh,
            monthly_kwh=spec.monthly_kwh,
            peak_kw=spec.peak_kw,
        ),
        (),
        None,
    )


def _battery(site: SiteInput) -> Battery:
    b = site.battery
    kwargs = b.model_dump(exclude={"enabled", "export"})
    if not b.enabled:
        kwargs.update(fixed_kw=0.0, fixed_kwh=0.0)
    return Battery(**kwargs)


def prepare_site(site: SiteInput) -> SiteData:
    """Resolve weather, PV profile, load and tariff into a :class:`SiteProblem`."""
    load, load_notes, meter = _load_with_meter(site)
    index = pd.DatetimeIndex(load.index)
    load_kw = np.asarray(load.to_numpy(), dtype=float)
    loc = site.location
    notes: list[str] = [f"Load: {n}." for n in load_notes]
    if (factor_note := grid_factor_note(site.carbon.region or loc.province, site.year)) is not None:
        notes.append(factor_note)
    match = resolve_station(loc.station, loc.latitude_deg, loc.longitude_deg)
    station, distance_km = match.station, match.distance_km
    if loc.station is None:
        notes.append(f"Weather from station {station.name}, {match.distance_km:.0f} km away.")
        if match.warning:
            notes.append(match.warning)
    weather = station_weather(station, site.year)
    tilt = (
        site.pv.tilt_deg if site.pv.tilt_deg is not None else default_tilt_deg(station.latitude_deg)
    )
    system = PVSystem(arrays=(PVArray(tilt, site.pv.azimuth_deg),), dc_ac_ratio=site.pv.dc_ac_ratio)
    profile = pv_profile(weather, system, distance_km=distance_km)
    pv = np.asarray(profile.ac_kw_per_kwp, dtype=float)
    if pv.size != load_kw.size:
        if load_kw.size % pv.size:
            raise PeakzeroError(
                f"load has {load_kw.size} intervals but the PV profile {pv.size}; give a full "
                f"calendar year {site.year} of hourly or 15-minute load",
                field="load",
            )
        pv = np.repeat(pv, load_kw.size // pv.size)  # hourly mean power holds in each sub-interval
    tariff = load_tariff(site.tariff.name, **site.tariff_overrides())
    check_tariff_province(tariff, station.province if loc.province == "national" else loc.province)
    dt = float((index[1] - index[0]).total_seconds() / 3600.0)
    temp = _temperature(weather.data, index)
    excess = None
    meter_index, meter_kw = None, None
    if meter is not None:
        meter_index = pd.DatetimeIndex(meter.index)
        meter_kw = np.asarray(meter.to_numpy(), dtype=float)
        _, excess = within_interval_excess(meter_kw, meter_kw.size // load_kw.size)
        minutes = round(dt * 60 * load_kw.size / meter_kw.size)
        notes.append(
            f"Demand charge on the meter's {minutes}-minute import: the LP keeps hourly energy "
            "and adds each hour's highest reading above its mean to the demand rows; bills on "
            f"the {minutes}-minute series."
        )
    capacity = compute_bill(tariff, index, np.zeros_like(load_kw)).monthly["capacity_yuan"].sum()
    clock = index.tz_convert("Etc/GMT-8")
    problem = SiteProblem(
        load_kw=load_kw,
        pv_kw_per_kwp=pv,
        import_price_yuan_per_kwh=np.asarray(
            hourly_energy_price(tariff, index, temp_air_c=temp), dtype=float
        ),
        month=np.asarray(clock.month - 1, dtype=np.int64),
        day=np.asarray(clock.day_of_year - 1, dtype=np.int64),
        export_price_yuan_per_kwh=tariff.export_price_yuan_per_kwh,
        demand_charge_yuan_per_kw_month=tariff.demand_charge_yuan_per_kw_month or 0.0,
        fixed_charges_yuan_per_year=float(capacity),
        dt_hours=dt,
        export_limit_kw=tariff.export_limit_kw,
        battery_export=site.battery.export,
        grid_limit_kw=site.connection.grid_limit_kw,
        demand_excess_kw=excess,
        max_demand_increase_kw=site.connection.max_demand_increase_kw,
        pv=PVOptions(
            capex_yuan_per_kwp=site.pv.capex_yuan_per_kwp,
            om_yuan_per_kwp_year=site.pv.om_yuan_per_kwp_year,
            max_kwp=site.pv.require_max_kwp(),
            min_kwp=site.pv.min_kwp,
            fixed_kwp=site.pv.fixed_kwp,
            degradation_per_year=site.pv.degradation_per_year,
        ),
        battery=_battery(site),
        economics=Economics(**site.economics.model_dump()),
        targets=SiteTargets(**site.targets.model_dump()),
        index=index,
    )
    return SiteData(
        index,
        load_kw,
        pv,
        tariff,
        problem,
        tuple(notes),
        profile,
        temp_air_c=temp,
        meter_index=meter_index,
        meter_load_kw=meter_kw,
    )


def _temperature(weather: pd.DataFrame, index: pd.DatetimeIndex) -> np.ndarray | None:
    """The station's hourly air temperature on the load's hours [deg C] (for a tariff's
    temperature-triggered critical peak); ``None`` when the weather has no such column."""
    if "temp_air" not in weather.columns:
        return None
    temp = weather["temp_air"].reindex(index)
    if temp.isna().any():
        raise PeakzeroError(
            f"the weather has no air temperature for {int(temp.isna().sum())} of the load's "
            f"{len(index)} hours: give the load and weather for the same calendar year",
            field="location",
        )
    return np.asarray(temp.to_numpy(), dtype=float)


def site_bill(data: SiteData, dispatch: Dispatch | None) -> Bill:
    """Bill of ``dispatch`` (``None``: the site without a design) on the meter's interval
    (:meth:`SiteData.meter_flows`), with the station temperature for the tariff's
    temperature-triggered critical peak."""
    imp, exp = data.meter_flows(dispatch)
    index = data.index if data.meter_index is None else data.meter_index
    return compute_bill(
        data.tariff, index, imp, _clip_export(data.tariff, exp), temp_air_c=data.temp_air_c
    )


def _clip_export(tariff: Tariff, export_kw: FloatArray) -> FloatArray:
    if tariff.export_limit_kw is None:
        return export_kw
    clipped: FloatArray = np.minimum(export_kw, tariff.export_limit_kw)  # solver tolerance only
    return clipped


def _present_value(rate: float, yearly_yuan: FloatArray | None) -> float:
    """Present value of amounts in years 1..N [yuan]; 0 for none."""
    if yearly_yuan is None:
        return 0.0
    return finance.npv(rate, np.concatenate([[0.0], np.asarray(yearly_yuan, dtype=float)]))


def _export_rule_note(p: SiteProblem, dispatch: Dispatch) -> list[str]:
    """The gap between the LP's conservative export credit and the exact one-meter bill of the
    chosen dispatch, where export is priced above import in some intervals."""
    above = p.export_price_yuan_per_kwh > p.import_price_yuan_per_kwh
    if not above.any() or dispatch.grid_export_kw.max() <= 0.0:
        return []
    gap = dispatch.lp_objective_yuan - dispatch.objective_yuan
    share = gap / dispatch.lp_objective_yuan if dispatch.lp_objective_yuan else 0.0
    return [
        f"Export is priced above import in {int(above.sum())} intervals: the LP credits export "
        "there at the import price (a conservative bound: it never buys and sells in the same "
        "interval), ties broken toward the least export there so the design and bill are the "
        "same whatever the solver path. The exact one-meter bill of this dispatch makes the "
        f"lifecycle cost {dispatch.objective_yuan:,.0f} yuan, {gap:,.0f} yuan ({share:.2%}) "
        f"below the LP's {dispatch.lp_objective_yuan:,.0f}; the figures reported are the exact "
        "ones."
    ]


def optimize_site(site: SiteInput) -> SiteResult:
    """Size PV and battery for ``site`` and evaluate bills, cash flows and tCO2 avoided.

    Raises
    ------
    PeakzeroError
        Bad inputs, or an infeasible problem (the message names the constraint to relax).
    """
    data = prepare_site(site)
    return site_result(site, data, optimize_dispatch(data.problem))


def site_result(site: SiteInput, data: SiteData, opt: Optimum) -> SiteResult:
    """Bills, cash flows, EMC, tCO2 avoided and notes of the dispatch ``opt`` of ``data``'s
    problem (the optimum of :func:`optimize_site`, or one of
    :func:`peakzero.optimize.evaluate_sizes` at fixed sizes)."""
    p, e = data.problem, data.problem.economics
    dispatch, rep, build_s, solve_s = (
        opt.dispatch,
        opt.replacement_year,
        opt.build_seconds,
        opt.solve_seconds,
    )
    b = p.battery
    bill = site_bill(data, dispatch)
    bill_bau = site_bill(data, None)
    capex = (
        p.pv.capex_yuan_per_kwp * dispatch.pv_kwp
        + b.capex_yuan_per_kw * dispatch.battery_kw
        + b.capex_yuan_per_kwh * dispatch.battery_kwh
    )
    lev = p.pv_levelisation
    export_credit = float(bill.monthly["export_credit_yuan"].sum())
    savings1 = (bill_bau.total_yuan - bill.total_yuan - export_credit) / lev
    export1 = export_credit / lev
    om1 = p.pv.om_yuan_per_kwp_year * dispatch.pv_kwp + b.om_yuan_per_kw_year * dispatch.battery_kw
    replacements = {}
    if rep is not None and dispatch.battery_kwh > SIZE_NOISE:
        replacements[rep] = (
            b.replacement_cost_fraction * b.capex_yuan_per_kwh * dispatch.battery_kwh
        )
    ef = grid_factor_trajectory(
        site.carbon.region or site.location.province,
        list(range(site.year, site.year + e.analysis_years)),
        decline_per_year=site.carbon.decline_per_year,
        base_year=site.carbon.factor_year,
    )
    carbon = carbon_avoided(
        load_kw=data.load_kw,
        dispatch=dispatch,
        dt_hours=p.dt_hours,
        levelisation=lev,
        degradation_per_year=p.pv.degradation_per_year,
        ef_t_per_mwh=np.asarray(ef, dtype=float),
        carbon_price_yuan_per_t=site.carbon.carbon_price_yuan_per_t,
        green_certificates_sold=site.carbon.green_certificates_sold,
    )
    common = dict(
        capex_yuan=capex,
        years=e.analysis_years,
        om_year1_yuan=om1,
        om_escalation=e.om_escalation,
        degradation_per_year=p.pv.degradation_per_year,
        tariff_escalation=e.tariff_escalation,
        export_revenue_year1_yuan=export1,
        replacement_yuan=replacements,
    )
    flows = finance.project_cash_flows(
        savings_year1_yuan=savings1,
        discount_rate=e.discount_rate,
        carbon_revenue_yuan=carbon.revenue_yuan_by_year,
        **common,  # type: ignore[arg-type]
    )
    # Shared-savings EMC (see EmcInput): the value split is the whole bill reduction of the
    # PV + storage system, not only the PV energy at the grid price.
    emc = finance.emc_cash_flows(
        pv_value_year1_yuan=max(savings1, 0.0),
        discount_fraction=site.emc.discount_fraction,
        contract_years=site.emc.contract_years,
        investor_discount_rate=site.emc.investor_discount_rate,
        host_discount_rate=e.discount_rate,
        **common,  # type: ignore[arg-type]
    )
    net = flows["net_yuan"].to_numpy()
    # LCOE of the PV alone: PV capex and O&M over the PV energy not curtailed
    pv_capex = p.pv.capex_yuan_per_kwp * dispatch.pv_kwp
    pv_om = (
        p.pv.om_yuan_per_kwp_year
        * dispatch.pv_kwp
        * finance.escalation_factors(e.analysis_years, e.om_escalation)
    )
    used_kwh = carbon.pv_useful_kwh_by_year
    lcoe = (
        finance.lcoe_yuan_per_kwh(e.discount_rate, pv_capex, pv_om, used_kwh)
        if dispatch.pv_kwp > SIZE_NOISE and used_kwh.sum() > 0
        else None
    )
    notes = [
        *data.notes,
        "Lifecycle cost uses one representative year with PV output levelised over the life "
        f"(factor {lev:.4f}) and present-worth factors (REopt-like approximation).",
        carbon.market_note,
    ]
    raised = bill.monthly["max_demand_kw"] - bill_bau.monthly["max_demand_kw"]
    if float(raised.max()) > SIZE_NOISE:
        extra = float((bill.monthly["demand_yuan"] - bill_bau.monthly["demand_yuan"]).sum())
        notes.append(
            f"The design raises the monthly peak demand in {int((raised > SIZE_NOISE).sum())} "
            f"months, by up to {float(raised.max()):,.1f} kW (demand charge {extra:+,.0f} "
            "yuan/year over the year); max_demand_increase_kw = 0 forbids it."
        )
    notes.extend(_export_rule_note(p, dispatch))
    if data.meter_load_kw is not None:
        lp_kwh = float(dispatch.grid_import_kw.sum() * p.dt_hours)
        meter_kwh = float(bill.monthly["import_kwh"].sum())
        notes.append(
            f"On the meter's interval the design imports {meter_kwh:,.0f} kWh (the hourly LP "
            f"{lp_kwh:,.0f} kWh: PV held over the hour cannot follow the load inside it) and "
            f"pays a demand charge of {float(bill.monthly['demand_yuan'].sum()):,.0f} yuan/year "
            f"(the LP's demand rows {dispatch.demand_cost_yuan:,.0f})."
        )
    if p.demand_charge_yuan_per_kw_month > 0 and data.meter_load_kw is None and p.dt_hours == 1.0:
        notes.append("Demand charge on hourly mean import; a 15-minute meter reads higher.")
    return SiteResult(
        name=site.name,
        status="optimal",
        dispatch=dispatch,
        data=data,
        capex_yuan=capex,
        objective_yuan=dispatch.objective_yuan,
        objective_bau_yuan=bill_bau.total_yuan * e.pwf_bill,
        bill=bill,
        bill_bau=bill_bau,
        cash_flows=flows,
        emc=emc,
        npv_yuan=finance.npv(e.discount_rate, net),
        carbon_revenue_pv_yuan=_present_value(e.discount_rate, carbon.revenue_yuan_by_year),
        irr=finance.irr(net),
        payback_years=finance.simple_payback_years(net),
        discounted_payback_years=finance.discounted_payback_years(e.discount_rate, net),
        lcoe_yuan_per_kwh=lcoe,
        carbon=carbon,
        replacement_year=rep,
        build_seconds=build_s,
        solve_seconds=solve_s,
        notes=tuple(notes),
        size_duals_yuan=opt.size_duals_yuan,
    )
