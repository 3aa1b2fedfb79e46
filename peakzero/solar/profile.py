"""The per-kWp AC profile of a site: the unit later engines consume.

:func:`pv_profile` runs the vectorised chain of :mod:`peakzero.solar.model` on one
:class:`~peakzero.weather.Weather` series; :func:`pv_profiles` runs many sites sharing one time
index in a single call; :func:`orientation_yields` gives the annual yield of many candidate
systems at one site (tilt optimisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError, check_range
from peakzero.solar.model import (
    DEFAULT_CHUNK_ELEMENTS,
    FloatArray,
    PVSystem,
    simulate_ac_kw_per_kwp,
)
from peakzero.weather import Station, Weather


def default_tilt_deg(latitude_deg: float) -> float:
    """Default tilt of a fixed equator-facing array: ``0.9 x |latitude|``, within 5-45 [deg].

    A rule of thumb fitted to this engine's annual optimum on bundled CSWD typical years
    (optimum / rule: Guangzhou 19 / 20.9, Kunming 27 / 22.5, Shanghai 26 / 28.3, Nanjing
    30 / 29.5, Beijing 37 / 35.8, Urumqi 34 / 39.4, Harbin 40 / 41.2 deg); the yield near the
    optimum is flat, so the rule costs < 0.3 % of the best annual yield at those stations.

    >>> default_tilt_deg(32.0)
    28.8
    """
    check_range("latitude_deg", latitude_deg, -90.0, 90.0, unit="deg")
    return float(round(min(45.0, max(5.0, 0.9 * abs(latitude_deg))), 1))


def performance_ratio(ac_kwh: float, poa_insolation_kwh_per_m2: float, kwp: float) -> float:
    """Performance ratio: AC energy over (POA insolation x kWp / 1 kW/m2) [-] (IEC 61724-1).

    >>> performance_ratio(1000.0, 1250.0, 1.0)
    0.8
    """
    reference_kwh = poa_insolation_kwh_per_m2 * kwp  # / (1 kW/m2 reference irradiance)
    return float(ac_kwh / reference_kwh) if reference_kwh > 0 else float("nan")


@dataclass(frozen=True, eq=False)
class PVProfile:
    """Hourly (or sub-hourly) AC output per kWp DC of one site, with its metadata.

    Parameters
    ----------
    index
        Interval-beginning labels, tz-aware UTC+8.
    ac_kw_per_kwp
        Mean AC power over each interval per kWp DC [kW/kWp], shape (T,).
    station
        The weather station used.
    distance_km
        Distance from the site to the station [km] (0 when the site is the station).
    system
        The PV system specification.
    poa_insolation_kwh_per_m2
        Share-weighted plane-of-array insolation over the period [kWh/m2].
    weather_source
        Where the weather came from.
    """

    index: pd.DatetimeIndex
    ac_kw_per_kwp: FloatArray
    station: Station
    distance_km: float
    system: PVSystem
    poa_insolation_kwh_per_m2: float
    weather_source: str = ""

    @property
    def interval_hours(self) -> float:
        """Length of one time step [h]."""
        if len(self.index) < 2:
            return 1.0
        return float((self.index[1] - self.index[0]) / pd.Timedelta(hours=1))

    @property
    def specific_yield_kwh_per_kwp(self) -> float:
        """AC energy over the period per kWp DC [kWh/kWp]."""
        return float(self.ac_kw_per_kwp.sum() * self.interval_hours)

    @property
    def monthly_ac_kwh_per_kwp(self) -> FloatArray:
        """AC energy per calendar month (January first) per kWp [kWh/kWp], shape (12,)."""
        months = np.asarray(self.index.month) - 1
        energy = self.ac_kw_per_kwp * self.interval_hours
        return np.bincount(months, weights=energy, minlength=12).astype(float)

    @property
    def performance_ratio(self) -> float:
        """AC yield / (POA insolation x 1 kWp / 1 kW/m2) [-]."""
        return performance_ratio(
            self.specific_yield_kwh_per_kwp, self.poa_insolation_kwh_per_m2, 1.0
        )

    @property
    def peak_ac_kw_per_kwp(self) -> float:
        """Highest interval-mean AC power per kWp [kW/kWp] (clipping shows here)."""
        return float(self.ac_kw_per_kwp.max(initial=0.0))

    def ac_kw(self, kwp: float) -> pd.Series:
        """AC power of a system of ``kwp`` [kW] as a series on :attr:`index`."""
        check_range("kwp", kwp, 0.0, 1e7, unit="kWp")
        return pd.Series(self.ac_kw_per_kwp * kwp, index=self.index, name="ac_kw")


def _weather_arrays(weathers: Sequence[Weather]) -> dict[str, FloatArray]:
    first = weathers[0].data.index
    for w in weathers[1:]:
        if not w.data.index.equals(first):
            raise PeakzeroError(
                f"weather of {w.station.name!r} has a different time index from "
                f"{weathers[0].station.name!r}; profiles in one call must share the index.",
                field="weather",
            )
    return {
        name: np.column_stack([w.data[name].to_numpy(dtype=float) for w in weathers])
        for name in ("ghi", "dni", "dhi", "temp_air", "wind_speed")
    }


def pv_profiles(
    weathers: Sequence[Weather],
    systems: PVSystem | Sequence[PVSystem],
    *,
    distances_km: Sequence[float] | None = None,
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS,
) -> list[PVProfile]:
    """Per-kWp profiles of many sites in one vectorised call.

    Parameters
    ----------
    weathers
        Weather of each site, all on the same time index.
    systems
        One system for all sites or one per site.
    distances_km
        Site-to-station distance of each site [km]; default 0.
    chunk_elements
        Memory bound passed to :func:`~peakzero.solar.model.simulate_ac_kw_per_kwp`.
    """
    if not weathers:
        return []
    systems_seq = [systems] if isinstance(systems, PVSystem) else list(systems)
    if len(systems_seq) not in (1, len(weathers)):
        raise PeakzeroError(f"{len(systems_seq)} systems for {len(weathers)} sites.")
    distances = [0.0] * len(weathers) if distances_km is None else list(distances_km)
    arrays = _weather_arrays(weathers)
    index = pd.DatetimeIndex(weathers[0].data.index)
    minutes = float(weathers[0].interval_minutes)
    offsets = {w.solar_position_offset_minutes for w in weathers}
    if len(offsets) > 1:
        raise PeakzeroError(
            "weathers place their irradiance at different times within the interval "
            f"({sorted(offsets)} min); simulate them in separate calls"
        )
    stations = [w.station for w in weathers]
    ac, poa = simulate_ac_kw_per_kwp(
        index,
        [s.latitude_deg for s in stations],
        [s.longitude_deg for s in stations],
        [s.elevation_m for s in stations],
        arrays["ghi"],
        arrays["dni"],
        arrays["dhi"],
        arrays["temp_air"],
        arrays["wind_speed"],
        systems_seq,
        interval_minutes=minutes,
        solar_offset_minutes=offsets.pop(),
        chunk_elements=chunk_elements,
    )
    insolation = poa.sum(axis=0) * minutes / 60.0 / 1000.0
    return [
        PVProfile(
            index=index,
            ac_kw_per_kwp=np.ascontiguousarray(ac[:, j]),
            station=w.station,
            distance_km=float(distances[j]),
            system=systems_seq[j if len(systems_seq) > 1 else 0],
            poa_insolation_kwh_per_m2=float(insolation[j]),
            weather_source=w.source,
        )
        for j, w in enumerate(weathers)
    ]


def pv_profile(weather: Weather, spec: PVSystem, *, distance_km: float = 0.0) -> PVProfile:
    """Per-kWp AC profile of one site.

    Parameters
    ----------
    weather
        Weather series (UTC+8, interval-beginning labels).
    spec
        The PV system.
    distance_km
        Distance from the site to the weather station [km], kept as metadata.
    """
    return pv_profiles([weather], spec, distances_km=[distance_km])[0]


def orientation_yields(weather: Weather, systems: Sequence[PVSystem]) -> FloatArray:
    """Specific yield of each candidate system at one site [kWh/kWp], shape (N,).

    All candidates run in one vectorised call (weather broadcast over N columns).
    """
    if not systems:
        return np.zeros(0)
    station = weather.station
    data = weather.data
    ac, _ = simulate_ac_kw_per_kwp(
        pd.DatetimeIndex(data.index),
        station.latitude_deg,
        station.longitude_deg,
        station.elevation_m,
        data["ghi"].to_numpy(dtype=float),
        data["dni"].to_numpy(dtype=float),
        data["dhi"].to_numpy(dtype=float),
        data["temp_air"].to_numpy(dtype=float),
        data["wind_speed"].to_numpy(dtype=float),
        list(systems),
        interval_minutes=float(weather.interval_minutes),
        solar_offset_minutes=weather.solar_position_offset_minutes,
    )
    return np.asarray(ac.sum(axis=0) * weather.interval_minutes / 60.0, dtype=float)
