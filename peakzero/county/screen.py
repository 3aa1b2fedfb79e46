"""One building from roof to money: layout, PV (and battery) size, bills, cash flows, tCO2.

Route per building (column ``sizing``):

- ``screened_out``: the roof carries less than the county's minimum (``pv.min_kwp``), or the
  dead load exceeds what the roof may carry;
- ``pv_search``: no battery can pay (the bound of :mod:`peakzero.county.sizing`), so the PV
  size is the exact optimum of the site LP without a battery, found by a convex search on the
  hourly year;
- ``lp_full_year``: the battery may pay; PV and battery are sized together by the site LP on
  the whole hourly year (the optimum of ``optimize_site``), warm-started from the previous
  building of its chain or from the building's own sizes on representative days
  (:class:`peakzero.county.engines.FullYearLP`).

Bills are the tariff's (energy by TOU period, monthly demand, capacity, export credit at the
tariff's export price), cash flows and EMC figures follow :func:`peakzero.site.optimize_site`
exactly, tCO2 avoided in year 1 is the grid energy displaced (imports cut plus exports) at the
grid factor, as :func:`peakzero.site.carbon_avoided`. As in the site optimiser, flows and bills
are those of the representative year (PV output levelised over the life), on the whole hourly
year for every route; ``savings_year1_yuan`` is the year-1 bill reduction including export revenue.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from peakzero.county.buildings import Building
from peakzero.county.engines import (
    CountyContext,
    FullYearLP,
    LPDesign,
    TariffArrays,
    battery_cost_floor,
    cash_flow_figures,
    full_year_problem,
    optimize_weighted,
    orientation_class,
)
from peakzero.county.sizing import (
    FloatArray,
    PVOnlyCase,
    battery_value_bound_per_kwh,
    marginal_values,
    pv_only_flows,
    pv_only_size,
    representative_days,
)
from peakzero.errors import PeakzeroError
from peakzero.roof import Roof, layout_roof

#: Columns of a building's result row, in order.
RESULT_COLUMNS: tuple[str, ...] = (
    "id",
    "township",
    "category",
    "subtype",
    "feeder",
    "load",
    "roof",
    "area_m2",
    "latitude_deg",
    "longitude_deg",
    "station",
    "tilt_deg",
    "azimuth_deg",
    "roof_max_kwp",
    "sizing",
    "pv_kwp",
    "pv_ac_kw",
    "battery_kw",
    "battery_kwh",
    "annual_load_kwh",
    "pv_year1_kwh",
    "self_consumption_fraction",
    "import_kwh",
    "export_kwh",
    "capex_yuan",
    "bill_bau_yuan",
    "bill_yuan",
    "savings_year1_yuan",
    "npv_yuan",
    "irr",
    "payback_years",
    "emc_host_npv_yuan",
    "emc_investor_npv_yuan",
    "emc_investor_irr",
    "emc_investor_payback_years",
    "co2_avoided_t_per_year",
    "note",
)


def roof_layout_kwp(building: Building, tilt_deg: float) -> tuple[float, str]:
    """Largest DC rating the roof carries [kWp] (GB 50797 rows on flat roofs) and a note."""
    if building.outline_m is not None:
        roof = Roof(
            kind=building.roof,  # type: ignore[arg-type]
            polygon_m=building.outline_m,
            pitch_deg=building.pitch_deg,
            azimuth_deg=building.azimuth_deg,
        )
    else:
        roof = Roof.from_area(
            building.area_m2,
            building.roof,  # type: ignore[arg-type]
            pitch_deg=building.pitch_deg,
            azimuth_deg=building.azimuth_deg,
        )
    try:
        layout = layout_roof(
            roof,
            building.latitude_deg,
            tilt_deg if building.roof == "flat" else None,
            allowable_load_kg_per_m2=building.allowable_load_kg_per_m2,
        )
    except PeakzeroError as exc:
        return 0.0, str(exc)
    return layout.kwp, ""


def _bill(
    tariff: TariffArrays,
    price: FloatArray,
    weight: FloatArray,
    month: np.ndarray,
    import_kw: FloatArray,
    export_kw: FloatArray,
) -> tuple[float, float]:
    """Year bill total and export credit [yuan] (hourly intervals), as
    :func:`peakzero.tariff.compute_bill`: energy + demand + capacity - export credit."""
    energy = float(np.sum(weight * price * import_kw))
    demand = 0.0
    if tariff.demand_charge_yuan_per_kw_month > 0:
        months, where = np.unique(month, return_inverse=True)
        peaks = np.zeros(months.size)
        np.maximum.at(peaks, where, import_kw)
        demand = tariff.demand_charge_yuan_per_kw_month * float(peaks.sum())
    credit = tariff.export_price_yuan_per_kwh * float(np.sum(weight * export_kw))
    return energy + demand + tariff.fixed_charges_yuan_per_year - credit, credit


def _empty_row(base: dict[str, Any], note: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS, 0.0)
    for k in ("irr", "payback_years", "emc_investor_irr", "emc_investor_payback_years"):
        row[k] = math.nan
    row.update(base)
    row.update(sizing="screened_out", note=note)
    return row


def representative_day_design(
    load: FloatArray, pv1: FloatArray, tariff: TariffArrays, max_kwp: float, ctx: CountyContext
) -> LPDesign:
    """PV, battery power and energy [kWp, kW, kWh] and replacement year of the site LP on one
    day in
    ``ctx.block_days`` (:func:`peakzero.county.engines.optimize_weighted`): the start of a
    full-year solve that cannot reuse another building's basis."""
    days = representative_days(ctx.month.size // 24, block_days=ctx.block_days)
    design = optimize_weighted(
        load_kw=days.reduce(load),
        pv_kw_per_kwp=days.reduce(pv1),
        price_yuan_per_kwh=days.reduce(tariff.price_yuan_per_kwh),
        weight=days.interval_weight(),
        month=np.rint(days.reduce(ctx.month.astype(float))).astype(np.int64),
        day=np.repeat(np.arange(days.weight.size, dtype=np.int64), days.steps),
        tariff=tariff,
        max_kwp=max_kwp,
        ctx=ctx,
    )
    return design


def size_building(
    building: Building, station: str, ctx: CountyContext, solver: FullYearLP | None = None
) -> dict[str, Any]:
    """The result row of one building (see :data:`RESULT_COLUMNS`).

    ``solver`` carries the full-year LP's basis from one battery building to the next of the
    same chain (:class:`peakzero.county.engines.FullYearLP`); a new one starts cold.
    """
    b = building
    tilt, azimuth = orientation_class(b, ctx.station_latitude_deg[station])
    max_kwp, note = roof_layout_kwp(b, tilt)
    tariff = ctx.tariffs[b.category]
    load = ctx.unit_loads[b.load] * b.annual_kwh
    base: dict[str, Any] = {
        "id": b.id,
        "township": b.township,
        "category": b.category,
        "subtype": b.subtype,
        "feeder": b.feeder,
        "load": b.load,
        "roof": b.roof,
        "area_m2": b.area_m2,
        "latitude_deg": b.latitude_deg,
        "longitude_deg": b.longitude_deg,
        "station": station,
        "tilt_deg": tilt,
        "azimuth_deg": azimuth,
        "roof_max_kwp": max_kwp,
        "annual_load_kwh": float(load.sum()),
    }
    if max_kwp < max(ctx.pv_min_kwp, 1e-9):
        why = note or f"roof carries {max_kwp:.1f} kWp, below the minimum {ctx.pv_min_kwp} kWp"
        return _empty_row(base, why)
    e, lev = ctx.economics, ctx.levelisation
    pv1 = ctx.profiles[(station, tilt, azimuth)]
    price = tariff.price_yuan_per_kwh
    limit = math.inf if tariff.export_limit_kw is None else tariff.export_limit_kw
    credit = (
        np.minimum(tariff.export_price_yuan_per_kwh, price) if limit > 0 else np.zeros_like(price)
    )
    ones = np.ones_like(price)
    case = PVOnlyCase(
        load_kw=load,
        pv_kw_per_kwp=pv1 * lev,
        price_yuan_per_kwh=price,
        export_credit_yuan_per_kwh=credit,
        weight=ones,
        month=ctx.month,
        export_limit_kw=limit,
        demand_charge_yuan_per_kw_month=tariff.demand_charge_yuan_per_kw_month,
        pv_cost_yuan_per_kwp=tariff.capex_yuan_per_kwp + ctx.pv_om_yuan_per_kwp_year * e.pwf_om,
        pwf_bill=e.pwf_bill,
    )
    kwp = pv_only_size(case, 0.0, max_kwp)
    battery = False
    if tariff.battery:
        bat = ctx.battery
        value, cost = marginal_values(case, kwp)
        a = battery_value_bound_per_kwh(
            value,
            cost,
            ctx.day,
            ones,
            round_trip_efficiency=bat.round_trip_efficiency,
            cycles_per_day=bat.max_cycles_per_day if bat.max_cycles_per_day is not None else 24.0,
            soc_window=bat.soc_max - bat.soc_min,
        )
        per_kwh, per_kw = battery_cost_floor(ctx)
        demand_value = 12.0 * tariff.demand_charge_yuan_per_kw_month
        battery = e.pwf_bill * a > per_kwh or e.pwf_bill * demand_value > per_kw
    if battery:
        problem = full_year_problem(
            load_kw=load, pv_kw_per_kwp=pv1, tariff=tariff, max_kwp=max_kwp, ctx=ctx
        )

        def guess() -> LPDesign:
            return representative_day_design(load, pv1, tariff, max_kwp, ctx)

        design = (solver or FullYearLP()).solve(problem, guess)
        kwp, kw, kwh = design.pv_kwp, design.battery_kw, design.battery_kwh
        imp, exp, curt = design.import_kw, design.export_kw, design.curtailed_kw
        weight, month, rep = ones, ctx.month, design.replacement_year
        sizing = "lp_full_year"
    else:
        imp, exp, curt = pv_only_flows(case, kwp)
        weight, month, kw, kwh, rep = ones, ctx.month, 0.0, 0.0, None
        sizing = "pv_search"
    exp = np.minimum(exp, limit)
    bill, credit_yuan = _bill(tariff, price, weight, month, imp, exp)
    bill_bau, _ = _bill(tariff, price, weight, month, load, np.zeros_like(load))
    bat = ctx.battery
    capex = (
        tariff.capex_yuan_per_kwp * kwp + bat.capex_yuan_per_kw * kw + bat.capex_yuan_per_kwh * kwh
    )
    replacement = {rep: bat.replacement_cost_fraction * bat.capex_yuan_per_kwh * kwh} if rep else {}
    money = cash_flow_figures(
        ctx=ctx,
        capex_yuan=capex,
        savings_year1_yuan=(bill_bau - bill - credit_yuan) / lev,
        export_year1_yuan=credit_yuan / lev,
        om_year1_yuan=ctx.pv_om_yuan_per_kwp_year * kwp + bat.om_yuan_per_kw_year * kw,
        replacement_yuan=replacement,
    )
    pv_lev = float(np.sum(weight * pv1)) * lev * kwp
    import_kwh, export_kwh = float(np.sum(weight * imp)), float(np.sum(weight * exp))
    load_kwh = float(np.sum(weight * load))
    used = pv_lev - float(np.sum(weight * curt)) - export_kwh
    row = dict(base)
    row.update(
        sizing=sizing,
        pv_kwp=kwp,
        pv_ac_kw=kwp / ctx.dc_ac_ratio,
        battery_kw=kw,
        battery_kwh=kwh,
        pv_year1_kwh=float(np.sum(weight * pv1)) * kwp,
        self_consumption_fraction=used / pv_lev if pv_lev > 0 else 0.0,
        import_kwh=import_kwh,
        export_kwh=export_kwh,
        capex_yuan=capex,
        bill_bau_yuan=bill_bau,
        bill_yuan=bill,
        savings_year1_yuan=(bill_bau - bill) / lev,
        co2_avoided_t_per_year=(load_kwh - import_kwh + export_kwh)
        / lev
        * float(ctx.ef_t_per_mwh[0])
        / 1000.0,
        note=note,
        **{k: (math.nan if v is None else float(v)) for k, v in money.items()},
    )
    return row
