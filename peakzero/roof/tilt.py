"""Tilt choice on a flat roof: maximise annual yield per kWp or per roof area.

Steeper rows yield more per kWp (up to the optimum tilt) but need wider row spacing
(GB 50797-2012), so fewer modules fit. ``per-kwp`` picks the tilt with the highest specific
yield; ``per-area`` the tilt with the highest annual energy from the roof
(specific yield x kWp that fits). All candidate tilts run in one vectorised yield call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from peakzero.errors import PeakzeroError
from peakzero.roof.layout import Roof, RoofLayout, layout_roof
from peakzero.roof.mounting import Module
from peakzero.solar.model import FloatArray, PVSystem
from peakzero.solar.profile import orientation_yields
from peakzero.weather import Weather

Objective = Literal["per-kwp", "per-area"]
OBJECTIVES: tuple[str, ...] = ("per-kwp", "per-area")

#: Candidate tilts on flat roofs [deg]: 5 deg minimum so that rain cleans the glass (common
#: practice, [unverified]) up to 45 deg.
DEFAULT_TILTS_DEG: FloatArray = np.arange(5.0, 46.0, 1.0)


@dataclass(frozen=True, eq=False)
class TiltChoice:
    """The chosen tilt and the candidates it was chosen from.

    Parameters
    ----------
    objective
        ``"per-kwp"`` or ``"per-area"``.
    layout
        Layout at the chosen tilt.
    specific_yield_kwh_per_kwp
        Annual AC yield per kWp at the chosen tilt [kWh/kWp].
    tilts_deg, yields_kwh_per_kwp, kwp
        Candidates [deg], their specific yield [kWh/kWp] and the kWp that fits [kWp].
    """

    objective: Objective
    layout: RoofLayout
    specific_yield_kwh_per_kwp: float
    tilts_deg: FloatArray
    yields_kwh_per_kwp: FloatArray
    kwp: FloatArray

    @property
    def annual_ac_kwh(self) -> float:
        """Annual AC energy of the chosen layout [kWh]."""
        return self.specific_yield_kwh_per_kwp * self.layout.kwp


def choose_tilt(
    roof: Roof,
    weather: Weather,
    objective: Objective = "per-kwp",
    *,
    module: Module | None = None,
    system: PVSystem | None = None,
    tilts_deg: FloatArray | None = None,
    allowable_load_kg_per_m2: float | None = None,
) -> TiltChoice:
    """Choose the module tilt for a roof.

    Parameters
    ----------
    roof
        The roof; on a pitched roof the tilt is the pitch and there is nothing to choose.
    weather
        Weather at the site.
    objective
        ``"per-kwp"`` (best yield per kWp) or ``"per-area"`` (most energy from the roof).
    module
        The module (default 2278 x 1134 mm, 590 W).
    system
        Electrical/loss parameters (its arrays are replaced by each candidate).
    tilts_deg
        Candidate tilts [deg] (default 5 to 45 in 1 deg steps).
    allowable_load_kg_per_m2
        Extra load the roof may carry [kg/m2].
    """
    if objective not in OBJECTIVES:
        raise PeakzeroError(
            f"optimize = {objective!r} is not known: allowed per-kwp, per-area.", field="optimize"
        )
    base = system or PVSystem()
    lat = weather.station.latitude_deg
    if roof.kind == "pitched":
        tilts = np.array([roof.pitch_deg])
    else:
        tilts = np.asarray(DEFAULT_TILTS_DEG if tilts_deg is None else tilts_deg, dtype=float)
    layouts = [
        layout_roof(roof, lat, float(t), module=module, allowable_load_kg_per_m2=None)
        for t in tilts
    ]
    systems = [
        PVSystem(
            (lay.pv_array(),),
            base.gamma_pdc_per_c,
            base.dc_ac_ratio,
            base.losses_fraction,
            base.eta_inverter_nom,
            base.iam_model,
            base.albedo,
        )
        for lay in layouts
    ]
    yields = orientation_yields(weather, systems)
    kwp = np.array([lay.kwp for lay in layouts])
    score = yields if objective == "per-kwp" else yields * kwp
    best = int(np.argmax(score))  # first maximum: the lowest tilt among ties
    chosen = layout_roof(
        roof,
        lat,
        float(tilts[best]),
        module=module,
        allowable_load_kg_per_m2=allowable_load_kg_per_m2,
    )
    return TiltChoice(objective, chosen, float(yields[best]), tilts, yields, kwp)
