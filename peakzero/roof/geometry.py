"""Row pitch of tilted module rows on a flat roof (GB 50797-2012 §7.2.2).

Rows must not shade each other between 9:00 and 15:00 solar time on the winter solstice.
For south-facing rows GB 50797-2012 §7.2.2 gives

    D = H cos(A) / tan(alpha)
      = H (0.707 tan(phi) + 0.4338) / (0.707 - 0.4338 tan(phi))

with alpha, A the sun's altitude and azimuth (from south) at 9:00 solar time, H the height of
a row's top edge above the next row's bottom edge and phi the latitude (0.707 = cos 45 deg for
the 9:00 hour angle, 0.4338 = tan 23.45 deg for the solstice declination; this module uses
the current value 23.44 deg). The sun position is
derived here by hand from spherical trigonometry (Duffie & Beckman, *Solar Engineering of Thermal
Processes*, 4th ed., eqs. 1.6.5 and 1.6.6) so that the tests can check it against pvlib.
For rows facing another azimuth, the shadow component across the rows,
``H cos(A_sun - A_rows) / tan(alpha)``, is maximised over the 9:00-15:00 window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peakzero.errors import PeakzeroError, check_range

#: Solar declination at the winter solstice: the obliquity of the ecliptic in the 2020s [deg]
#: (Astronomical Almanac: 23.44 deg). GB 50797-2012's closed form uses 23.45 deg
#: (tan = 0.4338); the difference changes D/H by < 0.2 %.
SOLSTICE_DECLINATION_DEG: float = 23.44

#: Window without inter-row shading on the winter solstice, solar time [h] (GB 50797-2012 §7.2.2).
NO_SHADE_WINDOW_H: tuple[float, float] = (9.0, 15.0)


def sun_altitude_azimuth(
    latitude_deg: float, declination_deg: float, solar_hour: float
) -> tuple[float, float]:
    """Sun altitude and azimuth for a solar time, from spherical trigonometry.

    Parameters
    ----------
    latitude_deg
        Latitude [deg], north positive.
    declination_deg
        Solar declination [deg].
    solar_hour
        Apparent solar time [h] (12 = solar noon).

    Returns
    -------
    altitude_deg, azimuth_deg
        Altitude above the horizon [deg]; azimuth [deg], pvlib convention (clockwise from north,
        180 = south).

    >>> alt, az = sun_altitude_azimuth(0.0, 0.0, 12.0)
    >>> round(alt, 6)
    90.0
    """
    phi = np.radians(latitude_deg)
    delta = np.radians(declination_deg)
    omega = np.radians(15.0 * (solar_hour - 12.0))
    sin_alt = np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(omega)
    alt = np.arcsin(np.clip(sin_alt, -1.0, 1.0))
    # Horizontal components of the unit vector to the sun: east and north.
    east = -np.cos(delta) * np.sin(omega)
    north = np.cos(phi) * np.sin(delta) - np.sin(phi) * np.cos(delta) * np.cos(omega)
    azimuth = np.degrees(np.arctan2(east, north)) % 360.0
    return float(np.degrees(alt)), float(azimuth)


def shadow_ratio(
    latitude_deg: float,
    rows_azimuth_deg: float = 180.0,
    *,
    solstice_declination_deg: float = SOLSTICE_DECLINATION_DEG,
) -> float:
    """Gap-to-height ratio D/H that keeps rows unshaded 9:00-15:00 on the winter solstice [-].

    For ``rows_azimuth_deg = 180`` in the northern hemisphere this is GB 50797-2012 §7.2.2,
    ``(0.707 tan(phi) + 0.4338) / (0.707 - 0.4338 tan(phi))``. South of the equator the winter
    solstice is in June and rows face north (0 deg).

    Parameters
    ----------
    latitude_deg
        Site latitude [deg], |latitude| <= 55 (beyond, the sun is too low at 9:00).
    rows_azimuth_deg
        Azimuth the modules face [deg], 180 = south.
    solstice_declination_deg
        Magnitude of the solar declination at the winter solstice [deg].

    >>> round(shadow_ratio(31.2), 2)
    1.94
    """
    check_range(
        "latitude_deg",
        latitude_deg,
        -55.0,
        55.0,
        unit="deg",
        fix="GB 50797 row spacing needs the sun above ~8 deg at 9:00 on the winter solstice.",
    )
    declination = -solstice_declination_deg if latitude_deg >= 0 else solstice_declination_deg
    worst = 0.0
    start, end = NO_SHADE_WINDOW_H
    for hour in np.linspace(start, end, 73):  # every 5 minutes
        alt, az = sun_altitude_azimuth(latitude_deg, declination, float(hour))
        if alt <= 1.0:
            raise PeakzeroError(
                f"latitude_deg = {latitude_deg}: the sun is below 1 deg at {hour:.2f} h solar "
                "time on the winter solstice, so no row pitch avoids shading.",
                field="latitude_deg",
            )
        across = np.cos(np.radians(az - rows_azimuth_deg))
        worst = max(worst, float(across / np.tan(np.radians(alt))))
    return worst


@dataclass(frozen=True)
class RowSpacing:
    """Spacing of tilted rows (one module deep, long side up the slope).

    Parameters
    ----------
    height_m
        Height of the top edge above the bottom edge, ``L sin(tilt)`` [m].
    gap_m
        Clear horizontal gap between rows, D [m].
    depth_m
        Plan depth of one row, ``L cos(tilt)`` [m].
    pitch_m
        Row pitch (front edge to front edge) in plan, ``depth_m + gap_m`` [m].
    gcr
        Ground coverage ratio, sloped module length over row pitch [-].
    """

    height_m: float
    gap_m: float
    depth_m: float
    pitch_m: float
    gcr: float


def row_spacing(
    module_length_m: float,
    tilt_deg: float,
    latitude_deg: float,
    rows_azimuth_deg: float = 180.0,
) -> RowSpacing:
    """Row pitch for tilted rows on a flat roof per GB 50797-2012 §7.2.2.

    Parameters
    ----------
    module_length_m
        Module dimension up the slope [m] (2.278 for a portrait 2278 x 1134 mm module).
    tilt_deg
        Module tilt [deg], 0 to 60.
    latitude_deg
        Site latitude [deg].
    rows_azimuth_deg
        Azimuth the modules face [deg], 180 = south.

    >>> s = row_spacing(2.278, 25.0, 31.2)
    >>> round(s.gap_m / s.height_m, 2), round(s.pitch_m, 2)
    (1.94, 3.93)
    """
    check_range("module_length_m", module_length_m, 0.1, 10.0, unit="m")
    check_range("tilt_deg", tilt_deg, 0.0, 60.0, unit="deg")
    tilt = np.radians(tilt_deg)
    height = module_length_m * float(np.sin(tilt))
    depth = module_length_m * float(np.cos(tilt))
    gap = height * shadow_ratio(latitude_deg, rows_azimuth_deg) if height > 0 else 0.0
    pitch = depth + gap
    return RowSpacing(height, gap, depth, pitch, module_length_m / pitch)
