"""How much PV a roof carries, at a site: the roof workflow of ``peakzero roof layout``.

:func:`roof_outline` turns what a user knows about a roof (plan area or outline file, kind,
pitch) into a :class:`~peakzero.roof.Roof`; :func:`design_roof` lays modules out on it at the
site's weather (choosing the tilt of a flat roof when none is given) and returns the layout with
its annual yield.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from peakzero.errors import PeakzeroError
from peakzero.roof.layout import ROOF_KINDS, Roof, RoofLayout, layout_roof
from peakzero.roof.mounting import Module, RoofKind
from peakzero.roof.polygon import read_polygon
from peakzero.roof.svg import layout_svg
from peakzero.roof.tilt import OBJECTIVES, Objective, choose_tilt
from peakzero.solar.model import PVSystem
from peakzero.solar.profile import orientation_yields
from peakzero.weather.model import Weather
from peakzero.weather.resolve import SiteWeather, station_dict


def roof_outline(
    kind: str,
    *,
    area_m2: float | None = None,
    polygon: Path | Sequence[tuple[float, float]] | None = None,
    pitch_deg: float | None = None,
    azimuth_deg: float = 180.0,
    setback_m: float = 0.5,
) -> Roof:
    """A roof from its plan area (a square) or its outline.

    Parameters
    ----------
    kind
        ``"flat"`` (tilted rows) or ``"pitched"`` (modules flush with the roof).
    area_m2
        Plan area [m2] of a square roof; or give ``polygon``.
    polygon
        Outline vertices in plan metres (x east, y north), or a JSON / CSV file of them
        (:func:`~peakzero.roof.polygon.read_polygon`).
    pitch_deg
        Pitch of a pitched roof [deg], 1 to 60; required for one, ignored for a flat roof.
    azimuth_deg
        Azimuth a pitched roof faces (downslope) [deg], 180 = south.
    setback_m
        Clearance kept from the roof edges [m].

    Raises
    ------
    PeakzeroError
        Unless exactly one of ``area_m2`` and ``polygon`` is given, for an unknown kind, a
        pitched roof without a pitch, or values out of range.

    >>> roof_outline("flat", area_m2=400.0).area_m2
    400.0
    """
    if kind not in ROOF_KINDS:
        raise PeakzeroError(f"roof = {kind!r}: allowed flat, pitched.", field="roof")
    if (area_m2 is None) == (polygon is None):
        raise PeakzeroError(
            "give exactly one roof outline: its plan area (area_m2) or its vertices (polygon).",
            field="area_m2",
        )
    if kind == "pitched" and pitch_deg is None:
        raise PeakzeroError(
            "a pitched roof needs its pitch (pitch_deg, 1 to 60 deg).", field="pitch_deg"
        )
    roof_kind = cast(RoofKind, kind)
    pitch = pitch_deg if kind == "pitched" and pitch_deg is not None else 0.0
    if area_m2 is not None:
        if area_m2 <= 0:
            raise PeakzeroError(
                f"area_m2 = {area_m2:g} m2: must be > 0 (the roof's plan area).", field="area_m2"
            )
        return Roof.from_area(
            area_m2, roof_kind, pitch_deg=pitch, azimuth_deg=azimuth_deg, setback_m=setback_m
        )
    assert polygon is not None
    vertices = read_polygon(polygon) if isinstance(polygon, Path) else tuple(polygon)
    return Roof(roof_kind, vertices, pitch, azimuth_deg, setback_m)


@dataclass(frozen=True, eq=False)
class RoofDesign:
    """Modules laid out on a roof at a site, with the annual yield.

    Parameters
    ----------
    layout
        The modules on the roof.
    specific_yield_kwh_per_kwp
        Annual AC yield per kWp at the layout's tilt and azimuth [kWh/kWp].
    tilt_choice
        How the tilt was set: ``"optimised per-kwp"``, ``"optimised per-area"``, ``"given"``
        or ``"roof pitch"``.
    site
        The weather the yield and tilt come from, and the site-to-station distance.
    allowable_load_kg_per_m2
        Extra load the roof may carry [kg/m2], if given.
    """

    layout: RoofLayout
    specific_yield_kwh_per_kwp: float
    tilt_choice: str
    site: SiteWeather
    allowable_load_kg_per_m2: float | None

    @property
    def annual_ac_kwh(self) -> float:
        """Annual AC energy of the layout [kWh]."""
        return self.specific_yield_kwh_per_kwp * self.layout.kwp

    def svg(self) -> str:
        """The layout drawing (SVG text)."""
        return layout_svg(self.layout)

    def to_dict(self) -> dict[str, Any]:
        """The design as stable JSON keys (units in the names)."""
        lay = self.layout
        return {
            "modules": lay.modules,
            "kwp": lay.kwp,
            "row_pitch_m": lay.row_pitch_m,
            "gcr": lay.gcr,
            "tilt_deg": lay.tilt_deg,
            "azimuth_deg": lay.azimuth_deg,
            "tilt_choice": self.tilt_choice,
            "rows": lay.rows,
            "mounting": lay.mounting,
            "area_m2": lay.area_m2,
            "module_area_m2": lay.module_area_m2,
            "shadow_ratio": lay.shadow_ratio,
            "dead_load_kg_per_m2": lay.dead_load_kg_per_m2,
            "allowable_load_kg_per_m2": self.allowable_load_kg_per_m2,
            "specific_yield_kwh_per_kwp": self.specific_yield_kwh_per_kwp,
            "annual_ac_kwh": self.annual_ac_kwh,
            "module_w": lay.module.power_w,
            "setback_m": lay.roof.setback_m,
            "station": station_dict(self.site.weather.station),
            "distance_km": self.site.distance_km,
        }


def design_roof(
    roof: Roof,
    site: SiteWeather | Weather,
    *,
    tilt_deg: float | None = None,
    optimize: str = "per-kwp",
    module: Module | None = None,
    allowable_load_kg_per_m2: float | None = None,
) -> RoofDesign:
    """Lay modules out on a roof at a site: count, kWp, row pitch, tilt, dead load, yield.

    On a flat roof without ``tilt_deg`` the tilt is chosen by ``optimize``
    (:func:`~peakzero.roof.choose_tilt`); on a pitched roof the modules lie at the pitch.

    Parameters
    ----------
    roof
        The roof (:func:`roof_outline`).
    site
        The site's weather (:func:`~peakzero.weather.resolve_weather`) or a bare
        :class:`~peakzero.weather.Weather`.
    tilt_deg
        Module tilt on a flat roof [deg]; ignored on a pitched roof.
    optimize
        ``"per-kwp"`` (best yield per kWp) or ``"per-area"`` (most energy from the roof).
    module
        The module (default 590 W, 2278 x 1134 mm).
    allowable_load_kg_per_m2
        Extra load the roof may carry [kg/m2]; a heavier layout is refused.

    Raises
    ------
    PeakzeroError
        For an unknown objective, a tilt out of range, a dead load above the allowable load,
        or a roof too small for one module.
    """
    if optimize not in OBJECTIVES:
        raise PeakzeroError(
            f"optimize = {optimize!r}: allowed per-kwp, per-area.", field="optimize"
        )
    if isinstance(site, Weather):
        site = SiteWeather(site, 0.0, None)
    weather = site.weather
    module = module if module is not None else Module()
    if roof.kind == "flat" and tilt_deg is None:
        choice = choose_tilt(
            roof,
            weather,
            cast(Objective, optimize),
            module=module,
            allowable_load_kg_per_m2=allowable_load_kg_per_m2,
        )
        layout, specific = choice.layout, choice.specific_yield_kwh_per_kwp
        how = f"optimised {optimize}"
    else:
        layout = layout_roof(
            roof,
            weather.station.latitude_deg,
            tilt_deg,
            module=module,
            allowable_load_kg_per_m2=allowable_load_kg_per_m2,
        )
        specific = float(orientation_yields(weather, [PVSystem((layout.pv_array(),))])[0])
        how = "given" if roof.kind == "flat" else "roof pitch"
    if layout.modules == 0:
        raise PeakzeroError(
            f"no module fits this roof ({layout.area_m2:,.1f} m2 after a {roof.setback_m:g} m "
            "setback and the row spacing); give a larger roof or a smaller setback.",
            field="area_m2",
        )
    return RoofDesign(layout, specific, how, site, allowable_load_kg_per_m2)


__all__ = ["RoofDesign", "design_roof", "roof_outline"]
