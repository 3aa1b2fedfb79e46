"""From what a user says about a site's location to a weather station and its weather.

A site is located in one of three ways: a bundled station by name or WMO id, a latitude and
longitude (the nearest bundled station is used), or the user's own weather file (with a latitude
and longitude when the file has none). :func:`resolve_station` and :func:`resolve_weather` are the
one place where that choice is made; the CLI, the site planner and the plan call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peakzero.errors import PeakzeroError, check_range
from peakzero.weather.model import Station, StationMatch, Weather
from peakzero.weather.stations import find_station, nearest_station, station_weather

#: Calendar year a bundled typical year is labelled with when the caller gives none.
DEFAULT_YEAR = 2023


@dataclass(frozen=True)
class SiteWeather:
    """The weather of a site and how far its station is from the site.

    Parameters
    ----------
    weather
        Hourly (or sub-hourly) weather in UTC+8.
    distance_km
        Great-circle distance from the site to the station [km]; 0 for a station named by the
        user or the user's own weather file.
    warning
        A sentence for the user when the nearest station is far from the site, else ``None``.
    """

    weather: Weather
    distance_km: float
    warning: str | None


def station_dict(station: Station) -> dict[str, Any]:
    """The station as stable JSON keys (the form every JSON output of peakzero uses).

    >>> station_dict(find_station("Nanjing"))["wmo_id"]
    '582380'
    """
    return {
        "name": station.name,
        "province": station.province,
        "wmo_id": station.wmo_id,
        "latitude_deg": station.latitude_deg,
        "longitude_deg": station.longitude_deg,
        "elevation_m": station.elevation_m,
    }


def _check_location(latitude_deg: float | None, longitude_deg: float | None) -> None:
    if latitude_deg is not None and longitude_deg is None:
        raise PeakzeroError(
            f"latitude = {latitude_deg:g} deg is given without a longitude: give both, in "
            "decimal degrees north and east.",
            field="longitude",
        )
    if longitude_deg is not None and latitude_deg is None:
        raise PeakzeroError(
            f"longitude = {longitude_deg:g} deg is given without a latitude: give both, in "
            "decimal degrees north and east.",
            field="latitude",
        )
    if latitude_deg is not None and longitude_deg is not None:
        check_range(
            "latitude", latitude_deg, -90.0, 90.0, unit="deg", fix="Use decimal degrees north."
        )
        check_range(
            "longitude", longitude_deg, -180.0, 180.0, unit="deg", fix="Use decimal degrees east."
        )


def resolve_station(
    station: str | None = None,
    latitude_deg: float | None = None,
    longitude_deg: float | None = None,
) -> StationMatch:
    """The bundled station of a site given by station name / WMO id, or by its location.

    Parameters
    ----------
    station
        A bundled station's name or WMO id (see :func:`~peakzero.weather.find_station`).
    latitude_deg, longitude_deg
        The site's location [deg], north and east positive; the nearest station is used.

    Returns
    -------
    StationMatch
        The station, the distance from the site [km] (0 for a named station) and a warning when
        the nearest station is more than 150 km away.

    Raises
    ------
    PeakzeroError
        Unless exactly one of ``station`` or (``latitude_deg``, ``longitude_deg``) is given,
        or for an unknown station or an out-of-range location.

    >>> resolve_station("Nanjing").distance_km
    0.0
    >>> match = resolve_station(latitude_deg=32.0, longitude_deg=118.8)  # Nanjing is at 32.83 N
    >>> match.station.name, round(match.distance_km, 1)  # 0.83 deg x 111.2 km/deg
    ('Nanjing', 92.3)
    """
    _check_location(latitude_deg, longitude_deg)
    located = latitude_deg is not None and longitude_deg is not None
    if (station is not None) == located:
        raise PeakzeroError(
            "give exactly one location: a bundled station (name or WMO id) or a latitude and "
            "longitude (the nearest station is used).",
            field="location",
        )
    if station is not None:
        return StationMatch(station=find_station(station), distance_km=0.0, warning=None)
    assert latitude_deg is not None and longitude_deg is not None
    return nearest_station(latitude_deg, longitude_deg)


def resolve_weather(
    station: str | None = None,
    latitude_deg: float | None = None,
    longitude_deg: float | None = None,
    weather_file: Path | None = None,
    year: int | None = None,
) -> SiteWeather:
    """The weather of a site: a bundled station's typical year, or the user's weather file.

    Parameters
    ----------
    station
        A bundled station's name or WMO id.
    latitude_deg, longitude_deg
        The site's location [deg]; without ``weather_file`` the nearest bundled station is used,
        with it they locate the file's data (required for a plain CSV, optional for EPW/TMY3).
    weather_file
        An EPW, TMY3 or CSV weather file (:func:`~peakzero.weather.read_weather_file`).
    year
        Calendar year to label a typical year with (default 2023); for a CSV, which holds real
        dates, leave it out.

    Returns
    -------
    SiteWeather
        The weather, the site-to-station distance [km] and a warning for a far station.

    Raises
    ------
    PeakzeroError
        Unless exactly one source is given (a station, a location, or a weather file), for a
        missing file, an unknown station, or values out of range.
    """
    _check_location(latitude_deg, longitude_deg)
    located = latitude_deg is not None and longitude_deg is not None
    sources = [station is not None, weather_file is not None, located and weather_file is None]
    if sum(sources) != 1:
        raise PeakzeroError(
            "give exactly one weather source: a bundled station (name or WMO id), a latitude "
            "and longitude (the nearest station is used), or a weather file (with a latitude "
            "and longitude if the file has no location).",
            field="weather_source",
        )
    if year is not None:
        check_range("year", year, 1900, 2100)
    if weather_file is not None:
        if not weather_file.is_file():
            raise PeakzeroError(f"weather = {str(weather_file)!r}: no such file.", field="weather")
        from peakzero.weather.readers import read_weather_file  # pvlib: only for a user file

        weather = read_weather_file(
            weather_file, latitude_deg=latitude_deg, longitude_deg=longitude_deg, year=year
        )
        return SiteWeather(weather, 0.0, None)
    match = resolve_station(station, latitude_deg, longitude_deg)
    weather = station_weather(match.station, DEFAULT_YEAR if year is None else year)
    return SiteWeather(weather, match.distance_km, match.warning)


__all__ = ["DEFAULT_YEAR", "SiteWeather", "resolve_station", "resolve_weather", "station_dict"]
