"""tCO2 avoided by a site's PV + battery, location-based and market-based.

Location-based (grid displacement): every kWh the site no longer imports, plus every kWh it
exports, displaces grid electricity at the grid emission factor of that year
(``avoided_t = kWh x ef [tCO2/MWh] / 1000``). Year y scales the representative year by the PV
output factor ``(1 - d)**(y-1)`` divided by the levelisation factor used in the LP.
Market-based: if the green electricity certificates (GEC, 绿证) of the PV output are sold, the
site may not claim the zero-emission attribute, so its market-based reduction is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from peakzero.optimize import Dispatch
from peakzero.optimize.problem import FloatArray


@dataclass(frozen=True)
class CarbonAvoided:
    """Avoided emissions by year [tCO2] and their accounting notes.

    Attributes
    ----------
    avoided_t_by_year
        Location-based tCO2 avoided in years 1..N [tCO2].
    scope2_reduction_fraction
        Cut in grid imports relative to business as usual, representative year [-].
    market_avoided_t_by_year
        Market-based tCO2 avoided in years 1..N [tCO2].
    revenue_yuan_by_year
        Carbon revenue at the given price, years 1..N [yuan]; ``None`` when no price.
    pv_useful_kwh_by_year
        PV energy used on site or exported (not curtailed), years 1..N [kWh].
    ef_t_per_mwh
        Grid factors used, years 1..N [tCO2/MWh].
    market_note
        Plain-words note on the market-based figure.
    """

    avoided_t_by_year: FloatArray
    scope2_reduction_fraction: float
    market_avoided_t_by_year: FloatArray
    revenue_yuan_by_year: FloatArray | None
    pv_useful_kwh_by_year: FloatArray
    ef_t_per_mwh: FloatArray
    market_note: str

    def to_dict(self) -> dict[str, Any]:
        """JSON keys of the carbon part."""
        revenue = self.revenue_yuan_by_year
        return {
            "co2_avoided_t_per_year": round(float(self.avoided_t_by_year[0]), 3),
            "co2_avoided_t_lifetime": round(float(self.avoided_t_by_year.sum()), 3),
            "co2_avoided_market_t_per_year": round(float(self.market_avoided_t_by_year[0]), 3),
            "scope2_reduction_fraction": round(self.scope2_reduction_fraction, 6),
            "grid_factor_t_per_mwh_year1": float(self.ef_t_per_mwh[0]),
            "carbon_revenue_yuan_lifetime": None
            if revenue is None
            else round(float(revenue.sum()), 2),
        }

    @property
    def pv_used_kwh_by_year(self) -> FloatArray:
        """Alias of :attr:`pv_useful_kwh_by_year` for LCOE [kWh]."""
        return self.pv_useful_kwh_by_year


def carbon_avoided(
    *,
    load_kw: FloatArray,
    dispatch: Dispatch,
    dt_hours: float,
    levelisation: float,
    degradation_per_year: float,
    ef_t_per_mwh: FloatArray,
    carbon_price_yuan_per_t: float = 0.0,
    green_certificates_sold: bool = False,
) -> CarbonAvoided:
    """Location- and market-based tCO2 avoided over years 1..N (N = ``ef_t_per_mwh.size``).

    Parameters
    ----------
    load_kw
        Site load [kW].
    dispatch
        The optimal dispatch of the representative year.
    dt_hours
        Interval length [h].
    levelisation
        PV levelisation factor of the representative year [-].
    degradation_per_year
        PV output loss per year [-].
    ef_t_per_mwh
        Grid emission factor of each year [tCO2/MWh].
    carbon_price_yuan_per_t
        CEA / CCER price for optional revenue [yuan/tCO2]; 0 for none.
    green_certificates_sold
        Whether the PV's green certificates are sold (market-based claim lost).
    """
    years = ef_t_per_mwh.size
    load_kwh = float(load_kw.sum() * dt_hours)
    import_kwh = float(dispatch.grid_import_kw.sum() * dt_hours)
    export_kwh = float(dispatch.grid_export_kw.sum() * dt_hours)
    useful_kwh = float((dispatch.pv_kw - dispatch.flows["pv_curtailed"]).sum() * dt_hours)
    year_factor = (1.0 - degradation_per_year) ** np.arange(years, dtype=float) / levelisation
    displaced = (load_kwh - import_kwh + export_kwh) * year_factor
    avoided = displaced * ef_t_per_mwh / 1000.0
    scope2 = (load_kwh - import_kwh) * year_factor * ef_t_per_mwh / 1000.0
    if green_certificates_sold:
        market = np.zeros(years)
        note = (
            "Market-based: the green certificates are sold, so the site cannot claim the PV's "
            "zero-emission attribute; its market-based reduction is 0."
        )
    else:
        market = scope2
        note = (
            "Market-based: certificates kept (or retired) by the site, so its market-based scope 2 "
            "cut equals the import reduction at the grid factor (exports not counted)."
        )
    revenue = avoided * carbon_price_yuan_per_t if carbon_price_yuan_per_t > 0 else None
    return CarbonAvoided(
        avoided_t_by_year=avoided,
        scope2_reduction_fraction=(load_kwh - import_kwh) / load_kwh if load_kwh > 0 else 0.0,
        market_avoided_t_by_year=market,
        revenue_yuan_by_year=revenue,
        pv_useful_kwh_by_year=useful_kwh * year_factor,
        ef_t_per_mwh=ef_t_per_mwh,
        market_note=note,
    )
