"""The PV yield of one system at one site: annual, monthly and hourly, as ``peakzero pv yield``.

:func:`pv_yield_summary` composes the site's weather, the arrays (or one array at the default
tilt), the PV chain and the scaling to the DC rating; :class:`PVYieldSummary` holds the result
with its JSON form and hourly table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from peakzero.errors import PeakzeroError, check_range
from peakzero.solar.model import (
    MOUNTING_KINDS,
    PVWATTS_DEFAULT_LOSSES_FRACTION,
    FloatArray,
    MountingKind,
    PVArray,
    PVSystem,
)
from peakzero.solar.profile import PVProfile, default_tilt_deg, pv_profile
from peakzero.weather.model import Weather
from peakzero.weather.resolve import SiteWeather, station_dict

#: A face of the system: (tilt [deg], azimuth [deg, 180 = south], share of the kWp [-]).
Face = tuple[float, float, float]


@dataclass(frozen=True, eq=False)
class PVYieldSummary:
    """Annual, monthly and hourly AC yield of ``kwp`` DC at a site.

    Parameters
    ----------
    kwp
        DC rating [kWp].
    profile
        The hourly AC output per kWp with its station, system and insolation.
    site
        The weather and the site-to-station distance it came from.
    """

    kwp: float
    profile: PVProfile
    site: SiteWeather

    @property
    def annual_ac_kwh(self) -> float:
        """AC energy over the year [kWh]."""
        return self.profile.specific_yield_kwh_per_kwp * self.kwp

    @property
    def monthly_ac_kwh(self) -> FloatArray:
        """AC energy per calendar month, January first [kWh], shape (12,)."""
        return self.profile.monthly_ac_kwh_per_kwp * self.kwp

    @property
    def peak_ac_kw(self) -> float:
        """Highest interval-mean AC power [kW]."""
        return self.profile.peak_ac_kw_per_kwp * self.kwp

    def hourly(self) -> pd.DataFrame:
        """Columns ``timestamp`` (ISO 8601, UTC+8), ``ac_kw`` [kW], ``ac_kw_per_kwp`` [kW/kWp]."""
        p = self.profile
        return pd.DataFrame(
            {
                "timestamp": p.index.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "ac_kw": p.ac_kw_per_kwp * self.kwp,
                "ac_kw_per_kwp": p.ac_kw_per_kwp,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary as stable JSON keys (units in the names)."""
        p, system = self.profile, self.profile.system
        return {
            "annual_ac_kwh": self.annual_ac_kwh,
            "specific_yield_kwh_per_kwp": p.specific_yield_kwh_per_kwp,
            "monthly_ac_kwh": self.monthly_ac_kwh.tolist(),
            "performance_ratio": p.performance_ratio,
            "poa_insolation_kwh_per_m2": p.poa_insolation_kwh_per_m2,
            "peak_ac_kw": self.peak_ac_kw,
            "kwp": self.kwp,
            "station": station_dict(self.site.weather.station),
            "distance_km": self.site.distance_km,
            "weather_source": self.site.weather.source,
            "arrays": [
                {
                    "tilt_deg": a.tilt_deg,
                    "azimuth_deg": a.azimuth_deg,
                    "mounting": a.mounting,
                    "share": a.share,
                }
                for a in system.arrays
            ],
            "dc_ac_ratio": system.dc_ac_ratio,
            "losses_fraction": system.losses_fraction,
            "gamma_pdc_per_c": system.gamma_pdc_per_c,
            "weather_notes": list(self.site.weather.notes),
        }


def pv_yield_summary(
    kwp: float,
    site: SiteWeather | Weather,
    *,
    faces: Sequence[Face] | None = None,
    tilt_deg: float | None = None,
    azimuth_deg: float = 180.0,
    mounting: str = "rows",
    dc_ac_ratio: float = 1.2,
    losses_fraction: float = PVWATTS_DEFAULT_LOSSES_FRACTION,
    gamma_pdc_per_c: float = -0.0029,
) -> PVYieldSummary:
    """Annual, monthly and hourly AC yield of a PV system of ``kwp`` at a site.

    Parameters
    ----------
    kwp
        DC rating [kWp], 0.001 to 1e7.
    site
        The site's weather (:func:`~peakzero.weather.resolve_weather`), or a bare
        :class:`~peakzero.weather.Weather` (distance 0).
    faces
        Several faces as (tilt [deg], azimuth [deg], share [-]); shares add up to 1. Replaces
        ``tilt_deg`` and ``azimuth_deg``.
    tilt_deg
        Tilt of a single face [deg]; default :func:`~peakzero.solar.default_tilt_deg` of the
        station's latitude.
    azimuth_deg
        Azimuth of a single face [deg], clockwise from north, 180 = south.
    mounting
        ``"rows"`` (flat roof), ``"flush"`` (pitched roof) or ``"ground"``; all faces.
    dc_ac_ratio, losses_fraction, gamma_pdc_per_c
        As in :class:`~peakzero.solar.PVSystem` ([-], [-], [1/deg C]).

    Returns
    -------
    PVYieldSummary

    Raises
    ------
    PeakzeroError
        For a value out of range, naming the field.
    """
    check_range("kwp", kwp, 0.001, 1e7, unit="kWp", fix="Give the DC rating in kWp.")
    if mounting not in MOUNTING_KINDS:
        raise PeakzeroError(
            f"mounting = {mounting!r}: allowed {', '.join(MOUNTING_KINDS)}.", field="mounting"
        )
    kind = cast(MountingKind, mounting)
    if isinstance(site, Weather):
        site = SiteWeather(site, 0.0, None)
    if faces:
        arrays = tuple(PVArray(tilt, azimuth, kind, share) for tilt, azimuth, share in faces)
    else:
        latitude = site.weather.station.latitude_deg
        tilt = default_tilt_deg(latitude) if tilt_deg is None else tilt_deg
        arrays = (PVArray(tilt, azimuth_deg, kind),)
    system = PVSystem(
        arrays,
        gamma_pdc_per_c=gamma_pdc_per_c,
        dc_ac_ratio=dc_ac_ratio,
        losses_fraction=losses_fraction,
    )
    profile = pv_profile(site.weather, system, distance_km=site.distance_km)
    return PVYieldSummary(kwp=kwp, profile=profile, site=site)


__all__ = ["Face", "PVYieldSummary", "pv_yield_summary"]
