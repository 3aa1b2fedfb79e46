"""What a proposal needs from an optimised site, from the pure engine functions.

Thin adapters from a :class:`~peakzero.site.planner.SiteResult` to the monthly tables
(:mod:`peakzero.site.monthly`), the loss waterfall (:mod:`peakzero.solar.losses`), the design
rounded to products (:mod:`peakzero.design`) and the risk inputs (:mod:`peakzero.finance.risk`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakzero.design import (
    BatteryDesign,
    PVDesign,
    find_module,
    load_battery_units,
    load_inverters,
    round_battery,
    round_pv,
    site_cell_temperatures,
)
from peakzero.errors import PeakzeroError
from peakzero.finance.risk import Operation, ProjectCase
from peakzero.site.monthly import demand_change, monthly_bill_comparison, monthly_energy_balance
from peakzero.site.planner import SiteResult
from peakzero.solar import PVProfile
from peakzero.solar.losses import STEPS, weather_loss_waterfall
from peakzero.solar.model import SAPM_CONFIG, PVSystem, simulate_ac_kw_per_kwp
from peakzero.weather import Weather, station_weather

#: Row of the clipped AC (the engine's annual AC) in the loss waterfall.
STEP_CLIPPED = [k for k, _ in STEPS].index("ac_after_clipping")


@dataclass(frozen=True)
class MonthlyTables:
    """Energy balance, bill comparison and demand change by month (rows 1-12)."""

    balance: pd.DataFrame
    bills: pd.DataFrame
    demand: pd.DataFrame


def monthly_tables(result: SiteResult) -> MonthlyTables:
    """Monthly tables of the representative year the bills were computed on."""
    d, data = result.dispatch, result.data
    flows = d.flows
    balance = monthly_energy_balance(data.index, data.load_kw, d.pv_kw, flows)
    bills = monthly_bill_comparison(result.bill_bau, result.bill)
    demand = demand_change(
        data.index,
        data.load_kw,
        data.load_kw,
        flows["grid_to_load"] + flows["grid_to_batt"],
        flows["grid_to_batt"],
        data.tariff.demand_charge_yuan_per_kw_month or 0.0,
    )
    return MonthlyTables(balance, bills, demand)


def project_case(result: SiteResult) -> ProjectCase:
    """The year-1 figures of the site's self-investment cash flows."""
    cf, p = result.cash_flows, result.data.problem
    e = p.economics
    replacement = {
        int(y): float(v) for y, v in zip(cf["year"], cf["replacement_yuan"], strict=True) if v
    }

    def year(column: str, t: int) -> float:
        return float(cf[column].to_numpy(dtype=float)[t])

    return ProjectCase(
        capex_yuan=year("capex_yuan", 0),
        savings_year1_yuan=year("savings_yuan", 1),
        export_revenue_year1_yuan=year("export_revenue_yuan", 1),
        om_year1_yuan=year("om_yuan", 1),
        years=int(e.analysis_years),
        discount_rate=float(e.discount_rate),
        degradation_per_year=float(p.pv.degradation_per_year),
        tariff_escalation=float(e.tariff_escalation),
        om_escalation=float(e.om_escalation),
        replacement_yuan=replacement,
        carbon_revenue_yuan=tuple(float(v) for v in cf["carbon_revenue_yuan"].iloc[1:]),
    )


def operation(result: SiteResult) -> Operation:
    """The dispatched year for re-billing under changed yield and prices."""
    f = result.dispatch.flows
    return Operation(
        tariff=result.data.tariff,
        index=result.data.index,
        load_kw=result.data.load_kw,
        pv_kw=result.dispatch.pv_kw,
        charge_kw=f["pv_to_batt"] + f["grid_to_batt"],
        discharge_kw=f["batt_to_load"] + f["batt_to_grid"],
    )


def site_loss_waterfall(result: SiteResult) -> pd.DataFrame:
    """Loss waterfall of the designed kWp in year 1, curtailment at the dispatch's share.

    The dispatch runs on the representative (levelised) year; its curtailed share of the PV
    available is applied to the year-1 AC.
    """
    profile = result.data.profile
    if profile is None:
        raise PeakzeroError("the site has no PV profile to break down", field="pv")
    d = result.dispatch
    kwp = d.pv_kwp
    weather = station_weather(profile.station, result.data.index[0].year)
    available = float(d.pv_kw.sum())
    share = float(d.flows["pv_curtailed"].sum()) / available if available > 0 else 0.0
    full = weather_loss_waterfall(weather, profile.system, kwp=kwp)
    curtailed = share * float(full["value"].to_numpy(dtype=float)[STEP_CLIPPED])
    return weather_loss_waterfall(weather, profile.system, kwp=kwp, curtailed_kwh=curtailed)


def rounded_design(
    result: SiteResult,
    *,
    module_id: str = "topcon_72_590",
    max_modules: int | None = None,
    max_kwh: float | None = None,
) -> tuple[PVDesign | None, BatteryDesign | None]:
    """The sizes rounded to catalogue products at the site's temperatures: the products
    chosen by :func:`peakzero.site.buildable.round_site` when ``result`` is a rounded design
    (``result.rounding``), else the nearest products to its sizes."""
    rounding = result.rounding
    if rounding is not None and rounding.pv is not None:
        return rounding.pv, rounding.battery
    d = result.dispatch
    profile = result.data.profile
    pv = None
    if d.pv_kwp > 0 and profile is not None:
        t_min, t_max = string_temperatures(profile, result.data.index[0].year)
        pv = round_pv(
            d.pv_kwp,
            find_module(module_id),
            load_inverters(),
            t_min_c=t_min,
            t_max_cell_c=t_max,
            target_dc_ac_ratio=profile.system.dc_ac_ratio,
            max_modules=max_modules,
        )
    if rounding is not None:  # the PV size was the user's; the battery was rounded
        return pv, rounding.battery
    battery = round_battery(d.battery_kw, d.battery_kwh, load_battery_units(), max_kwh=max_kwh)
    return pv, battery


def string_temperatures(profile: PVProfile, year: int) -> tuple[float, float]:
    """The coldest ambient and hottest cell temperatures [deg C] the strings of ``profile``'s
    array are sized for (:func:`peakzero.design.site_cell_temperatures`), from its station's
    weather of ``year``."""
    weather = station_weather(profile.station, year)
    wx = weather.data
    return site_cell_temperatures(
        poa_hourly(weather, profile.system),
        wx["temp_air"].to_numpy(dtype=float),
        wx["wind_speed"].to_numpy(dtype=float),
        sapm_config=SAPM_CONFIG[profile.system.arrays[0].mounting],
    )


def poa_hourly(weather: Weather, system: PVSystem) -> np.ndarray:
    """Share-weighted plane-of-array irradiance of the engine's run [W/m2], (T,)."""
    st, data = weather.station, weather.data
    _, poa = simulate_ac_kw_per_kwp(
        pd.DatetimeIndex(data.index),
        st.latitude_deg,
        st.longitude_deg,
        st.elevation_m,
        data["ghi"].to_numpy(dtype=float),
        data["dni"].to_numpy(dtype=float),
        data["dhi"].to_numpy(dtype=float),
        data["temp_air"].to_numpy(dtype=float),
        data["wind_speed"].to_numpy(dtype=float),
        system,
        interval_minutes=float(weather.interval_minutes),
        solar_offset_minutes=weather.solar_position_offset_minutes,
    )
    return np.asarray(poa[:, 0], dtype=float)
