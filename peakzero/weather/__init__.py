"""China weather library: bundled CSWD stations and user weather files.

Every :class:`Weather` series is in UTC+8 (``"Etc/GMT-8"``) with interval-beginning labels and
columns ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [deg C], ``wind_speed`` [m/s] and
``pressure`` [Pa].
"""

from peakzero.weather.model import TZ, Station, StationMatch, Weather
from peakzero.weather.readers import read_weather_file
from peakzero.weather.resolve import SiteWeather, resolve_station, resolve_weather
from peakzero.weather.stations import (
    find_station,
    list_stations,
    nearest_station,
    station_weather,
)

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
