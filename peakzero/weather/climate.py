"""The climate of a bundled station in a few numbers: what ``peakzero weather show`` prints."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from peakzero.weather.stations import find_station, station_weather


def station_climate(query: str) -> dict[str, Any]:
    """Annual and monthly GHI [kWh/m2] and mean air temperature [deg C] of a bundled station.

    Parameters
    ----------
    query
        Station name or WMO id (:func:`~peakzero.weather.find_station`).

    Returns
    -------
    dict
        Stable JSON keys: the station, ``annual_ghi_kwh_per_m2``, ``monthly_ghi_kwh_per_m2``
        (12 values, January first), ``monthly_temp_air_mean_c``, ``annual_temp_air_mean_c``
        and ``source``; rounded to 0.1.

    >>> station_climate("Beijing")["annual_ghi_kwh_per_m2"]
    1400.8
    """
    station = find_station(query)
    data = station_weather(station).data
    monthly = data.groupby(pd.DatetimeIndex(data.index).month)
    ghi_month = monthly["ghi"].sum() / 1000.0
    temp_month = monthly["temp_air"].mean()
    return {
        "station": station.name,
        "wmo_id": station.wmo_id,
        "province": station.province,
        "latitude_deg": station.latitude_deg,
        "longitude_deg": station.longitude_deg,
        "elevation_m": station.elevation_m,
        "annual_ghi_kwh_per_m2": round(float(data["ghi"].sum()) / 1000.0, 1),
        "monthly_ghi_kwh_per_m2": [round(float(v), 1) for v in ghi_month],
        "monthly_temp_air_mean_c": [round(float(v), 1) for v in temp_month],
        "annual_temp_air_mean_c": round(float(np.mean(data["temp_air"])), 1),
        "source": station.source,
    }


__all__ = ["station_climate"]
