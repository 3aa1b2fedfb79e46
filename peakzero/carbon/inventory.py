"""Annual greenhouse-gas inventory of an entity (GB/T 32150-2015).

``E = E_combustion + E_process + E_purchased electricity, heat - E_exported electricity, heat``
with ``E_combustion = sum_i AD_i x NCV_i x CC_i x OF_i x 44/12``, purchased electricity
``AD [MWh] x EF_grid [tCO2/MWh]`` and purchased heat ``AD [GJ] x EF_heat [tCO2/GJ]``.

Scope 1 = combustion + process; scope 2 = purchased electricity and heat, location-based (grid
average factor) and market-based (green certificates / green power subtracted first). Exported
electricity and heat are subtracted at the same factors. Sinks (forest area x sink factor) and
offsets (CCER) are reported separately and give net emissions; they never reduce gross.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peakzero.carbon.factors import (
    check_fuel_unit,
    combustion_emissions_t,
    forest_sink_factor,
    fuel_factor,
    grid_emission_factor,
    grid_factor_lookup,
    heat_emission_factor,
)
from peakzero.carbon.models import EntityFile, YearActivity


@dataclass(frozen=True)
class YearInventory:
    """Inventory of one year [tCO2].

    Attributes
    ----------
    year
        Accounting year.
    by_source_t
        Emissions per source [tCO2]: ``fuel:<name>``, ``process``, ``electricity`` (location),
        ``heat``, ``exported_electricity`` and ``exported_heat`` (negative).
    scope1_t
        Combustion + process [tCO2].
    scope2_location_t, scope2_market_t
        Purchased electricity + heat [tCO2], location- and market-based.
    exported_t
        Exported electricity + heat [tCO2] (a positive number, subtracted from gross).
    gross_location_t, gross_market_t
        Scope 1 + scope 2 - exported [tCO2].
    sinks_t, offsets_t
        Forest sink and CCER offsets [tCO2].
    net_location_t, net_market_t
        Gross - sinks - offsets [tCO2].
    grid_ef_t_per_mwh, grid_ef_source
        Grid factor used [tCO2/MWh] and where it came from.
    """

    year: int
    by_source_t: dict[str, float]
    scope1_t: float
    scope2_location_t: float
    scope2_market_t: float
    exported_t: float
    gross_location_t: float
    gross_market_t: float
    sinks_t: float
    offsets_t: float
    net_location_t: float
    net_market_t: float
    grid_ef_t_per_mwh: float
    grid_ef_source: str
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """Plain mapping for JSON output."""
        return {
            "year": self.year,
            "scope1_t": self.scope1_t,
            "scope2_location_t": self.scope2_location_t,
            "scope2_market_t": self.scope2_market_t,
            "exported_t": self.exported_t,
            "gross_location_t": self.gross_location_t,
            "gross_market_t": self.gross_market_t,
            "sinks_t": self.sinks_t,
            "offsets_t": self.offsets_t,
            "net_location_t": self.net_location_t,
            "net_market_t": self.net_market_t,
            "grid_ef_t_per_mwh": self.grid_ef_t_per_mwh,
            "grid_ef_source": self.grid_ef_source,
            "by_source_t": dict(self.by_source_t),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Inventory:
    """Inventory of an entity over its years (sorted by year)."""

    entity: str
    region: str
    years: tuple[YearInventory, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain mapping for JSON output."""
        return {
            "entity": self.entity,
            "region": self.region,
            "years": [y.to_dict() for y in self.years],
        }


def year_inventory(
    activity: YearActivity,
    *,
    region: str = "national",
    fuel_dataset: str = "cn",
    market_residual_basis: str = "same",
    heat_ef_t_per_gj: float | None = None,
    sink_factor_t_per_ha: float | None = None,
) -> YearInventory:
    """Inventory of one year from validated activity data.

    Parameters
    ----------
    activity
        Validated activity data of the year.
    region
        Province or grid region of the purchased electricity (see
        :func:`peakzero.carbon.factors.grid_factor_lookup`).
    fuel_dataset
        ``"cn"`` (Chinese defaults) or ``"ipcc"`` (IPCC 2006 defaults).
    market_residual_basis
        ``"same"``: non-green electricity at the location factor; ``"excl_market_nonfossil"``:
        at the national factor excluding market-traded non-fossil power.
    heat_ef_t_per_gj
        Purchased/exported heat factor [tCO2/GJ]; default the library value.
    sink_factor_t_per_ha
        Forest sink [tCO2/(ha yr)]; default the library value.

    Raises
    ------
    PeakzeroError
        Unknown fuel, unit mismatch, grid factor year before the data.
    """
    notes: list[str] = []
    by_source: dict[str, float] = {}
    for use in activity.fuels:
        ff = fuel_factor(use.fuel, fuel_dataset)
        check_fuel_unit(ff, use.unit)
        ncv = use.ncv_gj_per_unit or ff.ncv_gj_per_unit
        cc = use.cc_tc_per_gj or ff.cc_tc_per_gj
        of = use.oxidation_fraction or ff.oxidation_fraction
        e = float(combustion_emissions_t(use.amount, ncv, cc, of))
        key = f"fuel:{ff.fuel}"
        by_source[key] = by_source.get(key, 0.0) + e
    combustion = sum(by_source.values())
    by_source["process"] = activity.process_t

    if activity.grid_factor_t_per_mwh is not None:
        ef = activity.grid_factor_t_per_mwh
        ef_source = "entity file override"
    else:
        gf = grid_factor_lookup(region, activity.year)
        ef, ef_source = gf.value_t_per_mwh, gf.source
        if gf.year_used != activity.year:
            notes.append(f"grid factor of {gf.year_used} used for {activity.year} (latest earlier)")
    if market_residual_basis == "same":
        ef_market = ef
    else:
        ef_market = grid_emission_factor("national", activity.year, basis="excl_market_nonfossil")
    ef_heat = heat_emission_factor() if heat_ef_t_per_gj is None else heat_ef_t_per_gj
    sink_f = forest_sink_factor() if sink_factor_t_per_ha is None else sink_factor_t_per_ha

    elec_location = activity.electricity_mwh * ef
    elec_market = (activity.electricity_mwh - activity.green_electricity_mwh) * ef_market
    heat = activity.heat_gj * ef_heat
    exp_elec = activity.exported_electricity_mwh * ef
    exp_heat = activity.exported_heat_gj * ef_heat
    by_source["electricity"] = elec_location
    by_source["heat"] = heat
    by_source["exported_electricity"] = -exp_elec
    by_source["exported_heat"] = -exp_heat

    scope1 = combustion + activity.process_t
    exported = exp_elec + exp_heat
    gross_loc = scope1 + elec_location + heat - exported
    gross_mkt = scope1 + elec_market + heat - exported
    sinks = activity.forest_area_ha * sink_f
    offsets = activity.ccer_t
    return YearInventory(
        year=activity.year,
        by_source_t=by_source,
        scope1_t=scope1,
        scope2_location_t=elec_location + heat,
        scope2_market_t=elec_market + heat,
        exported_t=exported,
        gross_location_t=gross_loc,
        gross_market_t=gross_mkt,
        sinks_t=sinks,
        offsets_t=offsets,
        net_location_t=gross_loc - sinks - offsets,
        net_market_t=gross_mkt - sinks - offsets,
        grid_ef_t_per_mwh=ef,
        grid_ef_source=ef_source,
        notes=tuple(notes),
    )


def entity_inventory(entity: EntityFile) -> Inventory:
    """Inventory of every year of a validated entity file (years sorted)."""
    info = entity.entity
    years = tuple(
        year_inventory(
            act,
            region=info.region,
            fuel_dataset=info.fuel_dataset,
            market_residual_basis=info.market_residual_basis,
            heat_ef_t_per_gj=info.heat_ef_t_per_gj,
            sink_factor_t_per_ha=info.sink_factor_t_per_ha,
        )
        for act in sorted(entity.years, key=lambda a: a.year)
    )
    return Inventory(entity=info.name, region=info.region, years=years)
