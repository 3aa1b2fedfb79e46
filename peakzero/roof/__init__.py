"""Rooftop layout: row pitch (GB 50797-2012), module count, tilt choice, dead load, SVG.

Coordinates in plan metres (x east, y north); azimuth clockwise from north, 180 = south.
"""

from peakzero.roof.geometry import RowSpacing, row_spacing, shadow_ratio, sun_altitude_azimuth
from peakzero.roof.layout import Roof, RoofLayout, layout_roof, polygon_area_m2, roof_max_kwp
from peakzero.roof.mounting import DEFAULT_RACKING, Module, Racking, check_dead_load
from peakzero.roof.svg import layout_svg
from peakzero.roof.tilt import TiltChoice, choose_tilt

__all__ = [
    "DEFAULT_RACKING",
    "Module",
    "Racking",
    "Roof",
    "RoofLayout",
    "RowSpacing",
    "TiltChoice",
    "check_dead_load",
    "choose_tilt",
    "layout_roof",
    "layout_svg",
    "polygon_area_m2",
    "roof_max_kwp",
    "row_spacing",
    "shadow_ratio",
    "sun_altitude_azimuth",
]
