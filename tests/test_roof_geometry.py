"""Row pitch (GB 50797-2012 §7.2.2) against hand-derived values and pvlib's solar position."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pvlib
import pytest

from peakzero.errors import PeakzeroError
from peakzero.roof.geometry import row_spacing, shadow_ratio, sun_altitude_azimuth

# china-facts.md gives D/H to 2 decimals; rounding allows +-0.005.
ROUNDING_TOL = 0.005


@pytest.mark.parametrize(
    ("latitude", "expected"),
    [(23.13, 1.41), (31.23, 1.94), (39.90, 2.97), (45.75, 4.42)],
    ids=["Guangzhou", "Shanghai", "Beijing", "Harbin"],
)
def test_dh_matches_reference_values(latitude: float, expected: float) -> None:
    assert shadow_ratio(latitude) == pytest.approx(expected, abs=ROUNDING_TOL)


@pytest.mark.parametrize("latitude", [18.0, 23.13, 31.23, 39.9, 45.75, 53.0])
def test_dh_equals_gb_closed_form(latitude: float) -> None:
    # GB 50797: D/H = (0.707 tan(phi) + 0.4338) / (0.707 - 0.4338 tan(phi)), with
    # 0.707 = cos 45 deg and 0.4338 = tan 23.45 deg; evaluated with exact cos 45 and tan 23.45
    # the closed form and the spherical-trig maximum over 9:00-15:00 must agree to 1e-9.
    t = math.tan(math.radians(latitude))
    c, d = math.cos(math.radians(45.0)), math.tan(math.radians(23.45))
    closed = (c * t + d) / (c - d * t)
    assert shadow_ratio(latitude, solstice_declination_deg=23.45) == pytest.approx(closed, rel=1e-9)
    # the 4-digit constants of the standard differ from the exact ones by < 0.1 %
    rounded = (0.707 * t + 0.4338) / (0.707 - 0.4338 * t)
    assert closed == pytest.approx(rounded, rel=1e-3)


def test_hand_sun_position_at_equinox_and_tropic() -> None:
    # Equator at equinox, solar noon: sun at zenith. 9:00 solar time: altitude 45 deg, due east.
    alt, az = sun_altitude_azimuth(0.0, 0.0, 9.0)
    assert alt == pytest.approx(45.0, abs=1e-9)
    assert az == pytest.approx(90.0, abs=1e-9)
    # Noon on the winter solstice at 40 N: altitude = 90 - 40 - 23.44 = 26.56 deg, due south.
    alt, az = sun_altitude_azimuth(40.0, -23.44, 12.0)
    assert alt == pytest.approx(26.56, abs=1e-9)
    assert az == pytest.approx(180.0, abs=1e-9)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(23.13, 113.32), (31.23, 121.47), (39.90, 116.40), (45.75, 126.77)],
)
def test_hand_sun_position_matches_pvlib_spa(latitude: float, longitude: float) -> None:
    # About 9:00 apparent solar time on 22 Dec 2023 (UTC from SPA's equation of time). Feed
    # the hand formula SPA's own geocentric declination and hour angle at that instant, and
    # compare with SPA's topocentric, unrefracted position: they differ only by parallax
    # (< 8.8 arcsec = 0.0025 deg), so the tolerance is 0.005 deg.
    when = pd.DatetimeIndex([pd.Timestamp("2023-12-22 12:00", tz="UTC")])
    for _ in range(2):  # the equation of time moves ~30 s/day near the solstice: iterate
        eot_min = float(
            pvlib.solarposition.get_solarposition(when, latitude, longitude)[
                "equation_of_time"
            ].iloc[0]
        )
        utc_hours = 9.0 - longitude / 15.0 - eot_min / 60.0
        when = pd.DatetimeIndex(
            [pd.Timestamp("2023-12-22", tz="UTC") + pd.Timedelta(hours=utc_hours)]
        )
    spa = pvlib.solarposition.get_solarposition(when, latitude, longitude)
    unixtime = np.asarray(when.as_unit("ns").asi8, dtype=float) / 1e9
    v, alpha, delta = pvlib.spa.solar_position_numpy(
        unixtime, latitude, longitude, 0.0, 1013.25, 12.0, 67.0, 0.5667, 1, sst=True
    )
    hour_angle = float((v[0] + longitude - alpha[0]) % 360.0)
    hour_angle = hour_angle - 360.0 if hour_angle > 180.0 else hour_angle
    assert hour_angle == pytest.approx(-45.0, abs=0.01)  # it is 9:00 solar time
    alt, az = sun_altitude_azimuth(latitude, float(delta[0]), 12.0 + hour_angle / 15.0)
    assert alt == pytest.approx(float(spa["elevation"].iloc[0]), abs=0.005)
    assert az == pytest.approx(float(spa["azimuth"].iloc[0]), abs=0.005)
    # the GB row ratio from SPA's position agrees with ours within 0.3 % (declination 23.44
    # vs SPA's 23.43 on that day, hour angle within 0.01 deg of -45)
    a = math.radians(float(spa["elevation"].iloc[0]))
    from_south = math.radians(float(spa["azimuth"].iloc[0]) - 180.0)
    assert shadow_ratio(latitude) == pytest.approx(math.cos(from_south) / math.tan(a), rel=3e-3)


def test_row_spacing_hand_values() -> None:
    # 2.278 m at 25 deg, Shanghai: H = 2.278 sin 25 = 0.9627 m, depth = 2.278 cos 25 = 2.0646 m,
    # D = 1.941 H = 1.8687 m, pitch = 3.9333 m, GCR = 2.278 / 3.9333 = 0.5792
    s = row_spacing(2.278, 25.0, 31.23)
    assert s.height_m == pytest.approx(0.96272, abs=1e-4)
    assert s.depth_m == pytest.approx(2.06456, abs=1e-4)
    assert s.gap_m == pytest.approx(s.height_m * shadow_ratio(31.23), rel=1e-12)
    assert s.pitch_m == pytest.approx(s.depth_m + s.gap_m, rel=1e-12)
    assert s.gcr == pytest.approx(2.278 / s.pitch_m, rel=1e-12)
    assert 3.92 < s.pitch_m < 3.95


def test_flat_modules_need_no_gap() -> None:
    s = row_spacing(2.278, 0.0, 40.0)
    assert s.gap_m == 0.0
    assert s.gcr == pytest.approx(1.0)


def test_non_south_rows_need_wider_gaps() -> None:
    # Rows facing south-east see the 15:00 sun more across the rows than the 9:00 sun.
    assert shadow_ratio(31.23, 135.0) > shadow_ratio(31.23, 180.0)
    # symmetric: SE and SW need the same gap
    assert shadow_ratio(31.23, 135.0) == pytest.approx(shadow_ratio(31.23, 225.0), rel=1e-9)


def test_southern_hemisphere_mirrors() -> None:
    assert shadow_ratio(-31.23, 0.0) == pytest.approx(shadow_ratio(31.23, 180.0), rel=1e-9)


@pytest.mark.parametrize("latitude", [60.0, -70.0, 95.0])
def test_latitude_out_of_range(latitude: float) -> None:
    with pytest.raises(PeakzeroError) as err:
        shadow_ratio(latitude)
    assert err.value.field == "latitude_deg"


def test_bad_tilt() -> None:
    with pytest.raises(PeakzeroError, match="tilt_deg"):
        row_spacing(2.278, 75.0, 30.0)
