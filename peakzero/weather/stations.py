"""The bundled CSWD stations: list, look up by name or WMO id, nearest to a location, load.

The data are built by ``scripts/build_weather.py`` into ``peakzero/data/weather/``.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Hashable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from peakzero.data import data_path, read_table
from peakzero.errors import PeakzeroError, check_range
from peakzero.weather.model import TZ, Station, StationMatch, Weather

#: Mean Earth radius [km] (IUGG), used for great-circle distances.
EARTH_RADIUS_KM = 6371.0088
#: Beyond this distance [km] the nearest station may not represent the site's climate.
WARN_DISTANCE_KM = 150.0
#: Label of the bundled typical-year data.
CSWD_SOURCE = "CSWD typical year (CMA / Tsinghua 2010)"
#: The CSWD irradiance of EPW hour k (label k-1:00) is centred on k-1:00, not k-0.5 [min after
#: the label]; measured in ``scripts/build_weather.py --check-timing``.
CSWD_IRRADIANCE_CENTRE_MINUTES = 0.0

_STATIONS_FILE = "weather/stations.csv"
_HOURLY_FILE = "weather/cswd_hourly.npz"


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    frame = read_table(_STATIONS_FILE)
    frame["wmo_id"] = frame["wmo_id"].astype(str)
    return frame


_NAMES_ZH_FILE = "weather/station_names_zh.csv"
_ZH_SUFFIXES = ("气象站", "站", "市", "县")


@lru_cache(maxsize=1)
def _names_zh() -> dict[str, str]:
    frame = read_table(_NAMES_ZH_FILE)
    return dict(zip(frame["wmo_id"].astype(str), frame["name_zh"].astype(str), strict=True))


def station_name_zh(station: Station) -> str:
    """The Chinese name of a bundled station (``""`` for a user's station).

    >>> station_name_zh(find_station("Nanjing"))
    '南京'
    """
    return _names_zh().get(station.wmo_id, "")


def _plain(text: str) -> str:
    """Pinyin compared without case, tone marks, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _has_hanzi(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


@lru_cache(maxsize=1)
def _stations() -> tuple[Station, ...]:
    records: list[dict[Hashable, Any]] = _table().to_dict(orient="records")
    return tuple(
        Station(
            wmo_id=str(row["wmo_id"]),
            name=str(row["name"]),
            province=str(row["province"]),
            latitude_deg=float(row["latitude_deg"]),
            longitude_deg=float(row["longitude_deg"]),
            elevation_m=float(row["elevation_m"]),
            utc_offset_h=float(row["utc_offset_h"]),
            source=str(row["source"]),
        )
        for row in records
    )


def annual_ghi_kwh_per_m2(station: Station) -> float:
    """Annual global horizontal irradiation of a bundled station's typical year [kWh/m2]."""
    frame = _table()
    return float(frame.loc[frame["wmo_id"] == station.wmo_id, "annual_ghi_kwh_per_m2"].iloc[0])


def list_stations(province: str | None = None) -> list[Station]:
    """All bundled stations, optionally of one province, in file order.

    The province is named in English as in the CSWD files (any case), in Chinese (``江苏`` or
    ``江苏省``) or in pinyin (:func:`peakzero.provinces.resolve_province`).

    >>> len(list_stations("Tibet")), len(list_stations("西藏"))
    (3, 3)
    """
    stations = list(_stations())
    if province is None:
        return stations
    key = province.strip().casefold()
    chosen = [s for s in stations if s.province.casefold() == key]
    if not chosen:
        from peakzero.provinces import resolve_province

        try:
            name = resolve_province(province).name
        except PeakzeroError:
            name = ""
        chosen = [s for s in stations if s.province == name]
    if not chosen:
        provinces = sorted({s.province for s in stations})
        close = difflib.get_close_matches(province.strip(), provinces, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise PeakzeroError(
            f"province = {province!r} is not known.{hint} Name it in English as in the CSWD "
            f"files ({', '.join(provinces)}) or in Chinese (江苏, 江苏省).",
            field="province",
        )
    return chosen


def _describe(station: Station) -> str:
    return f"{station.name} ({station.province}, WMO {station.wmo_id})"


def find_station(query: str) -> Station:
    """Find a bundled station by name (case-insensitive) or WMO id.

    Accepted: ``"Nanjing"``, ``"nanjing"``, ``"Nán jīng"``, ``"南京"`` (also ``"南京市"``), the
    six-digit id of the file (``"582380"``), the five-digit WMO index (``"58238"``), and
    ``"Name, Province"`` for names used twice
    (``"Chaoyang, Liaoning"``).

    Raises
    ------
    PeakzeroError
        For an unknown or ambiguous name, suggesting close names.

    >>> find_station("beijing").wmo_id
    '545110'
    """
    text = query.strip()
    stations = _stations()
    if text.isdigit():
        for station in stations:
            if text in (station.wmo_id, station.wmo_id[:5]):
                return station
        raise PeakzeroError(
            f"station = {query!r}: no bundled station has this WMO id. Run `peakzero weather "
            "stations` to list the stations and their ids.",
            field="station",
        )
    text = text.replace("，", ",")
    name, _, province = (part.strip().casefold() for part in text.partition(","))
    if _has_hanzi(province):
        province = ""  # a Chinese province name only narrows; the station name decides
    if _has_hanzi(name):
        zh = _names_zh()
        for suffix in ("", *_ZH_SUFFIXES):
            if suffix and not name.endswith(suffix):
                continue
            key = name.removesuffix(suffix) if suffix else name
            matches = [s for s in stations if zh.get(s.wmo_id) in (key, name)]
            if matches:
                break
    else:
        key = _plain(name)
        matches = [
            s
            for s in stations
            if _plain(s.name) == key and (not province or s.province.casefold() == province)
        ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        options = "; ".join(f"'{s.name}, {s.province}' or '{s.wmo_id}'" for s in matches)
        raise PeakzeroError(
            f"station = {query!r} is ambiguous: {len(matches)} stations have this name. "
            f"Use {options}.",
            field="station",
        )
    lower = {s.name.casefold(): s.name for s in stations}
    lower.update({zh: zh for zh in _names_zh().values()})
    close = [lower[c] for c in difflib.get_close_matches(name, sorted(lower), n=5, cutoff=0.6)]
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise PeakzeroError(
        f"station = {query!r} is not a bundled station.{hint} Give a station name or WMO id "
        "(`peakzero weather stations` lists them), or a latitude/longitude for the nearest.",
        field="station",
    )


def haversine_km(
    lat1_deg: float | np.ndarray,
    lon1_deg: float | np.ndarray,
    lat2_deg: float | np.ndarray,
    lon2_deg: float | np.ndarray,
) -> np.ndarray:
    """Great-circle distance on a sphere of radius :data:`EARTH_RADIUS_KM` [km].

    References
    ----------
    R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68(2), 159 (1984).

    >>> round(float(haversine_km(0.0, 0.0, 0.0, 1.0)), 3)
    111.195
    """
    p1, p2 = np.radians(lat1_deg), np.radians(lat2_deg)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2_deg) - np.asarray(lon1_deg))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def nearest_station(
    latitude_deg: float, longitude_deg: float, *, max_distance_km: float | None = WARN_DISTANCE_KM
) -> StationMatch:
    """The bundled station nearest (great circle) to a location.

    Parameters
    ----------
    latitude_deg, longitude_deg
        Site location [deg], north and east positive.

    max_distance_km
        Refuse a site farther than this from every station [km] (a site outside China, or a
        typo in the coordinates): its weather would not be the site's. ``None`` accepts any
        distance with a warning beyond :data:`WARN_DISTANCE_KM` (for a caller that has the
        user's own weather file).

    Returns
    -------
    StationMatch
        Station, distance [km], and a warning when farther than 150 km.

    Raises
    ------
    PeakzeroError
        Farther than ``max_distance_km`` from every bundled station.
    """
    check_range("latitude", latitude_deg, -90, 90, unit="deg", fix="Use decimal degrees north.")
    check_range("longitude", longitude_deg, -180, 180, unit="deg", fix="Use decimal degrees east.")
    stations = _stations()
    frame = _table()
    distances = haversine_km(
        latitude_deg,
        longitude_deg,
        frame["latitude_deg"].to_numpy(),
        frame["longitude_deg"].to_numpy(),
    )
    best = int(np.argmin(distances))
    distance = float(distances[best])
    warning = None
    if max_distance_km is not None and distance > max_distance_km:
        raise PeakzeroError(
            f"location {latitude_deg:g} N, {longitude_deg:g} E is {distance:.0f} km from the "
            f"nearest bundled station, {_describe(stations[best])} (more than "
            f"{max_distance_km:.0f} km; outside China or a coordinate typo?). Check the "
            "latitude/longitude (decimal degrees, north and east positive) or give the site's "
            'own weather file (weather = "file.epw").',
            field="location",
        )
    if distance > WARN_DISTANCE_KM:
        warning = (
            f"the nearest station, {_describe(stations[best])}, is {distance:.0f} km away "
            f"(more than {WARN_DISTANCE_KM:.0f} km); its weather may not represent the site. "
            "Use local weather data if you have it."
        )
    return StationMatch(station=stations[best], distance_km=distance, warning=warning)


@lru_cache(maxsize=32)
def _hourly(wmo_id: str) -> np.ndarray:
    """Decoded (6, 8760) float array of one station, EPW order; read-only."""
    with np.load(data_path(_HOURLY_FILE), allow_pickle=False) as npz:
        columns = [str(c) for c in npz["_columns"]]
        scales: np.ndarray = npz["_scales"]
        raw: np.ndarray = npz[wmo_id]
    if columns != ["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]:
        raise PeakzeroError(f"bundled weather data has unexpected columns {columns}")
    values: np.ndarray = np.round(raw.astype(np.float64) * scales[:, None], 6)  # 0.1*22 = 2.2
    values.flags.writeable = False
    return values


def typical_year_index(year: int, periods: int = 8760) -> pd.DatetimeIndex:
    """Hourly UTC+8 index of calendar ``year``, interval-beginning labels."""
    return pd.date_range(f"{year}-01-01", periods=periods, freq="h", tz=TZ)


def relabel_typical_year(values: np.ndarray, year: int) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Put an 8760-hour typical year (rows = hours) onto calendar ``year``.

    In a leap year, 29 February is a copy of 28 February (8784 hours).
    """
    check_range("year", year, 1900, 2200, fix="Give a four-digit calendar year.")
    if pd.Timestamp(year=year, month=1, day=1).is_leap_year:
        feb28 = 58 * 24  # first hour of 28 Feb in a non-leap year
        values = np.concatenate(
            [values[: feb28 + 24], values[feb28 : feb28 + 24], values[feb28 + 24 :]]
        )
    return values, typical_year_index(year, len(values))


def station_weather(station: Station | str, year: int = 2023) -> Weather:
    """The CSWD typical year of a bundled station on calendar ``year``.

    Parameters
    ----------
    station
        A :class:`Station` or a name/WMO id for :func:`find_station`.
    year
        Calendar year of the labels; EPW hour-ending hour 1 becomes 00:00 on 1 January.
        For a leap year, 29 February is a copy of 28 February so the series has 8784 rows.

    Returns
    -------
    Weather
        Hourly data in UTC+8 with interval-beginning labels.
    """
    if isinstance(station, str):
        station = find_station(station)
    elif station not in _stations():
        raise PeakzeroError(
            f"station {_describe(station)} is not a bundled station; use read_weather_file "
            "for your own weather data.",
            field="station",
        )
    values, index = relabel_typical_year(_hourly(station.wmo_id).T, year)
    data = pd.DataFrame(
        values, index=index, columns=["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]
    )
    return Weather(
        station=station,
        data=data,
        source=CSWD_SOURCE,
        irradiance_centre_minutes=CSWD_IRRADIANCE_CENTRE_MINUTES,
    )


__all__ = [
    "EARTH_RADIUS_KM",
    "WARN_DISTANCE_KM",
    "annual_ghi_kwh_per_m2",
    "find_station",
    "haversine_km",
    "list_stations",
    "nearest_station",
    "station_name_zh",
    "station_weather",
]
