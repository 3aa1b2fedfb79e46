"""Solar position for many sites with NREL SPA, shared between columns at the same site.

NREL SPA (Reda & Andreas 2008, NREL/TP-560-34302) splits into a part that depends on time only
(Julian day, heliocentric series, nutation, obliquity, aberration, apparent sidereal time, the
sun's geocentric right ascension and declination, equatorial parallax) and a part that depends
on the site (hour angle, parallax, topocentric angles, refraction, azimuth). pvlib exposes every
step (``pvlib.spa``); here the time part is evaluated once for all sites on one time index as
(T, 1) arrays and the site part broadcasts over (T, N). Composition and results are those of
``pvlib.spa.solar_position_numpy`` (what ``pvlib.solarposition.get_solarposition`` with
``method="nrel_numpy"`` runs).

Columns of a PV run that share a site (the same latitude, longitude, elevation and air
temperature, e.g. several orientations or arrays at one place) share one solar position:
:func:`site_labels` finds them and :func:`block_sun` evaluates SPA once per site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def interval_midpoints(index: pd.DatetimeIndex, interval_minutes: float) -> pd.DatetimeIndex:
    """Shift interval-beginning labels to the interval midpoints (where the sun is evaluated).

    >>> idx = pd.date_range("2023-06-01", periods=2, freq="h", tz="Etc/GMT-8")
    >>> interval_midpoints(idx, 60)[0].strftime("%H:%M")
    '00:30'
    """
    return index + pd.Timedelta(minutes=interval_minutes / 2.0)


@dataclass(frozen=True)
class SpaTimeTerms:
    """The time-only part of NREL SPA, shape (T, 1) each.

    ``v`` apparent sidereal time, ``alpha`` and ``delta`` the sun's geocentric right ascension
    and declination, ``xi`` the equatorial horizontal parallax, all [deg].
    """

    v: FloatArray
    alpha: FloatArray
    delta: FloatArray
    xi: FloatArray

    def rows(self, rows: IntArray) -> SpaTimeTerms:
        """The time steps ``rows`` only."""
        return SpaTimeTerms(self.v[rows], self.alpha[rows], self.delta[rows], self.xi[rows])


def spa_time_terms(times: pd.DatetimeIndex, delta_t: float) -> SpaTimeTerms:
    """Compute the location-independent SPA quantities, as ``pvlib.spa.solar_position_numpy``."""
    spa = pvlib.spa
    unixtime = np.asarray(times.as_unit("ns").asi8, dtype=np.float64) / 1e9
    jd = spa.julian_day(unixtime)
    jde = spa.julian_ephemeris_day(jd, delta_t)
    jc = spa.julian_century(jd)
    jce = spa.julian_ephemeris_century(jde)
    jme = spa.julian_ephemeris_millennium(jce)
    r = spa.heliocentric_radius_vector(jme)
    lon_h = spa.heliocentric_longitude(jme)
    lat_h = spa.heliocentric_latitude(jme)
    theta = spa.geocentric_longitude(lon_h)
    beta = spa.geocentric_latitude(lat_h)
    x0 = spa.mean_elongation(jce)
    x1 = spa.mean_anomaly_sun(jce)
    x2 = spa.mean_anomaly_moon(jce)
    x3 = spa.moon_argument_latitude(jce)
    x4 = spa.moon_ascending_longitude(jce)
    nutation = np.empty((2, len(x0)))
    spa.longitude_obliquity_nutation(jce, x0, x1, x2, x3, x4, nutation)
    delta_psi, delta_epsilon = nutation[0], nutation[1]
    epsilon = spa.true_ecliptic_obliquity(spa.mean_ecliptic_obliquity(jme), delta_epsilon)
    lamd = spa.apparent_sun_longitude(theta, delta_psi, spa.aberration_correction(r))
    v = spa.apparent_sidereal_time(spa.mean_sidereal_time(jd, jc), delta_psi, epsilon)
    alpha = spa.geocentric_sun_right_ascension(lamd, epsilon, beta)
    delta = spa.geocentric_sun_declination(lamd, epsilon, beta)
    xi = spa.equatorial_horizontal_parallax(r)
    return SpaTimeTerms(v[:, None], alpha[:, None], delta[:, None], xi[:, None])


def _spa_xy(latitude_deg: FloatArray, elevation_m: FloatArray) -> tuple[FloatArray, FloatArray]:
    """SPA's x and y terms (observer geocentric position), per location."""
    u = pvlib.spa.uterm(latitude_deg)
    return (
        pvlib.spa.xterm(u, latitude_deg, elevation_m),
        pvlib.spa.yterm(u, latitude_deg, elevation_m),
    )


@dataclass(frozen=True)
class SiteGeometry:
    """Per-column site constants for SPA, each (1, N)."""

    latitude_deg: FloatArray
    longitude_deg: FloatArray
    x: FloatArray
    y: FloatArray
    pressure_mbar: FloatArray

    @classmethod
    def of(
        cls, latitude_deg: FloatArray, longitude_deg: FloatArray, elevation_m: FloatArray
    ) -> SiteGeometry:
        """From (1, N) latitude [deg], longitude [deg] and elevation [m]."""
        x, y = _spa_xy(latitude_deg, elevation_m)
        pressure = pvlib.atmosphere.alt2pres(elevation_m) / 100.0
        return cls(latitude_deg, longitude_deg, x, y, np.asarray(pressure, dtype=float))

    def take(self, columns: IntArray) -> SiteGeometry:
        """The columns ``columns`` only."""
        return SiteGeometry(
            self.latitude_deg[:, columns],
            self.longitude_deg[:, columns],
            self.x[:, columns],
            self.y[:, columns],
            self.pressure_mbar[:, columns],
        )


def _spa_location(
    terms: SpaTimeTerms, site: SiteGeometry, temp_air: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Site part of SPA (broadcasting): apparent zenith, true zenith and azimuth [deg]."""
    spa = pvlib.spa
    h = spa.local_hour_angle(terms.v, site.longitude_deg, terms.alpha)
    x, y, latitude_deg = site.x, site.y, site.latitude_deg
    delta_alpha = spa.parallax_sun_right_ascension(x, terms.xi, h, terms.delta)
    delta_prime = spa.topocentric_sun_declination(terms.delta, x, y, terms.xi, delta_alpha, h)
    h_prime = spa.topocentric_local_hour_angle(h, delta_alpha)
    e0 = spa.topocentric_elevation_angle_without_atmosphere(latitude_deg, delta_prime, h_prime)
    # 0.5667 deg: pvlib's default atmospheric refraction at sunrise/sunset
    delta_e = spa.atmospheric_refraction_correction(site.pressure_mbar, temp_air, e0, 0.5667)
    e = spa.topocentric_elevation_angle(e0, delta_e)
    gamma = spa.topocentric_astronomers_azimuth(h_prime, delta_prime, latitude_deg)
    return 90.0 - e, 90.0 - e0, spa.topocentric_azimuth_angle(gamma)


def solar_position(
    times: pd.DatetimeIndex,
    latitude_deg: ArrayLike,
    longitude_deg: ArrayLike,
    elevation_m: ArrayLike = 0.0,
    temp_air: ArrayLike = 12.0,
    *,
    delta_t: float = 67.0,
) -> dict[str, FloatArray]:
    """Solar position for T times x N locations with NREL SPA (Reda & Andreas 2008).

    Same numbers as ``pvlib.solarposition.get_solarposition`` (method ``nrel_numpy``) with the
    pressure from the elevation; the time-only terms are evaluated once for all locations.

    Parameters
    ----------
    times
        Instants to evaluate (tz-aware), length T.
    latitude_deg, longitude_deg, elevation_m
        Scalars or length-N arrays [deg], [deg], [m].
    temp_air
        Air temperature for refraction [deg C], scalar or (T, N).
    delta_t
        TT - UT1 [s] (pvlib default 67).

    Returns
    -------
    dict
        ``apparent_zenith``, ``zenith``, ``azimuth`` [deg], each (T, N).
    """
    lat = np.atleast_1d(np.asarray(latitude_deg, dtype=float))[None, :]
    lon = np.atleast_1d(np.asarray(longitude_deg, dtype=float))[None, :]
    elev = np.atleast_1d(np.asarray(elevation_m, dtype=float))[None, :]
    terms = spa_time_terms(times, delta_t)
    site = SiteGeometry.of(lat, lon, elev)
    app_zen, zen, azi = _spa_location(terms, site, np.asarray(temp_air, dtype=float))
    shape = np.broadcast_shapes(app_zen.shape, (len(times), lat.shape[1]))
    return {
        "apparent_zenith": np.broadcast_to(app_zen, shape).copy(),
        "zenith": np.broadcast_to(zen, shape).copy(),
        "azimuth": np.broadcast_to(azi, shape).copy(),
    }


def location_labels(
    latitude_deg: FloatArray, longitude_deg: FloatArray, elevation_m: FloatArray
) -> IntArray:
    """Label N columns by location: equal labels = equal latitude, longitude and elevation.

    >>> location_labels(np.array([30.0, 30.0, 31.0]), np.array([120.0] * 3), np.zeros(3)).tolist()
    [0, 0, 1]
    """
    location = np.column_stack([latitude_deg, longitude_deg, elevation_m])
    _, label = np.unique(location, axis=0, return_inverse=True)
    return np.asarray(label, dtype=np.intp).reshape(latitude_deg.size)


def site_labels(location: IntArray, temp_air: FloatArray) -> IntArray:
    """Label columns by site: equal labels = the same solar position in every row.

    Parameters
    ----------
    location
        Location label of each of C columns (:func:`location_labels`), shape (C,).
    temp_air
        Air temperature [deg C], (R, 1) or (R, C); SPA's refraction uses it, so columns at one
        location share a label only if their temperature series are identical.

    >>> t = np.array([[10.0, 10.0, 11.0], [12.0, 12.0, 12.0]])
    >>> site_labels(np.array([4, 4, 4]), t).tolist()
    [0, 0, 1]
    """
    _, first, label = np.unique(location, return_index=True, return_inverse=True)
    label = np.asarray(label, dtype=np.intp).reshape(location.size)
    if temp_air.shape[1] > 1:
        rep = first[label]
        shared = np.flatnonzero(rep != np.arange(location.size))
        same = (temp_air[:, shared] == temp_air[:, rep[shared]]).all(axis=0)
        own = shared[~same]
        label[own] = first.size + np.arange(own.size)
    return label


def block_sun(
    terms: SpaTimeTerms,
    rows: IntArray,
    geometry: SiteGeometry,
    location: IntArray,
    temp_air: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Apparent zenith [deg], azimuth [deg] and relative air mass [-] of a (R, C) block.

    SPA and the Kasten-Young (1989) air mass run once per distinct site of the block and are
    spread over the columns of that site.

    Parameters
    ----------
    terms
        Time-only SPA terms of all T time steps (:func:`spa_time_terms`).
    rows
        The R time steps of the block.
    geometry
        Site constants of the C columns.
    location
        Location label of each column (:func:`location_labels`), shape (C,).
    temp_air
        Air temperature of the block [deg C], (R, 1) or (R, C).
    """
    labels = site_labels(location, temp_air)
    sites, first, spread = np.unique(labels, return_index=True, return_inverse=True)
    temp_u = temp_air if temp_air.shape[1] == 1 else temp_air[:, first]
    app_zen, _, azi = _spa_location(terms.rows(rows), geometry.take(first), temp_u)
    airmass = pvlib.atmosphere.get_relative_airmass(app_zen, model="kastenyoung1989")
    spread = spread.reshape(location.size)
    if sites.size == location.size and (spread == np.arange(location.size)).all():
        return app_zen, azi, np.asarray(airmass, dtype=float)  # already in column order
    return app_zen[:, spread], azi[:, spread], np.asarray(airmass, dtype=float)[:, spread]
