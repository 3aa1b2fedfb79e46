"""China weather library: bundled CSWD stations and user weather files.

Every :class:`Weather` series is in UTC+8 (``"Etc/GMT-8"``) with interval-beginning labels and
columns ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [deg C], ``wind_speed`` [m/s] and
``pressure`` [Pa].

The file readers (and pvlib, which they use) are imported on first use, so that the bundled
stations can be listed without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from peakzero.weather.model import TZ, Station, StationMatch, Weather
from peakzero.weather.resolve import SiteWeather, resolve_station, resolve_weather
from peakzero.weather.stations import (
    find_station,
    list_stations,
    nearest_station,
    station_weather,
)

if TYPE_CHECKING:
    from peakzero.weather.readers import read_weather_file

_LAZY = {"read_weather_file": "peakzero.weather.readers"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "TZ",
    "SiteWeather",
    "Station",
    "StationMatch",
    "Weather",
    "find_station",
    "list_stations",
    "nearest_station",
    "read_weather_file",
    "resolve_station",
    "resolve_weather",
    "station_weather",
]
