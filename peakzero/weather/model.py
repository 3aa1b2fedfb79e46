"""The weather data types: a station, an hourly (or sub-hourly) weather series, a look-up match."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: Fixed China Standard Time (UTC+8, no DST); note the POSIX sign inversion of "Etc/GMT-8".
TZ = "Etc/GMT-8"

#: Columns every :class:`Weather` frame carries, with units.
COLUMNS: dict[str, str] = {
    "ghi": "W/m2",
    "dni": "W/m2",
    "dhi": "W/m2",
    "temp_air": "deg C",
    "wind_speed": "m/s",
    "pressure": "Pa",
}


@dataclass(frozen=True)
class Station:
    """A weather station (bundled CSWD station, or the location of a user weather file).

    Parameters
    ----------
    wmo_id
        WMO station id as written in the source file (CSWD: six digits, e.g. ``"545110"`` for
        Beijing, whose five-digit WMO index is 54511); empty for user files without one.
    name, province
        Station and province names as written in the source file.
    latitude_deg, longitude_deg
        Location [deg], north and east positive.
    elevation_m
        Elevation above sea level [m].
    utc_offset_h
        Time zone of the source file [h]; the :class:`Weather` data are always UTC+8.
    source
        Where the station and its data come from.
    """

    wmo_id: str
    name: str
    province: str
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    utc_offset_h: float
    source: str


@dataclass(frozen=True, eq=False)
class Weather:
    """A weather series at one station.

    Parameters
    ----------
    station
        The station, or for user files a :class:`Station` built from the file's metadata and the
        location the user gave.
    data
        Regular tz-aware index in UTC+8 (``"Etc/GMT-8"``) with interval-beginning labels; columns
        ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [deg C], ``wind_speed`` [m/s] and
        ``pressure`` [Pa]; no NaN.
    source
        Description of the source (the CSWD typical year or the file path).
    notes
        What the reader did to the data that the user should know (time zone assumed, values
        filled, GHI decomposed, ...). Empty when nothing was changed.
    irradiance_centre_minutes
        Minutes after each label at which the irradiance values are centred in time, i.e.
        where to evaluate the solar position [min]; ``None`` means the middle of the interval.
        The CSWD files are centred on the label (0 min): with the sun at the interval middle
        every one of the 270 stations has hours of GHI > 0 with the sun more than 3 deg below
        the horizon (median 83 h), with the sun at the label time 210 stations have none
        (``scripts/build_weather.py --check-timing``).
    """

    station: Station
    data: pd.DataFrame
    source: str
    notes: tuple[str, ...] = ()
    irradiance_centre_minutes: float | None = None

    @property
    def solar_position_offset_minutes(self) -> float:
        """Minutes after each label at which to compute the sun's position [min]."""
        if self.irradiance_centre_minutes is not None:
            return self.irradiance_centre_minutes
        return self.interval_minutes / 2.0

    @property
    def interval_minutes(self) -> int:
        """Length of one time step [min] (60 for hourly data)."""
        index = self.data.index
        if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
            return 60
        return int((index[1] - index[0]) / pd.Timedelta(minutes=1))


@dataclass(frozen=True)
class StationMatch:
    """The station nearest to a location.

    Parameters
    ----------
    station
        The nearest bundled station.
    distance_km
        Great-circle distance from the requested location to the station [km].
    warning
        A sentence for the user when the station is more than 150 km away, else ``None``.
    """

    station: Station
    distance_km: float
    warning: str | None
