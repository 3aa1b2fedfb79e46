"""PVProfile: the per-kWp unit later engines consume; many-site and many-orientation calls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peakzero.solar import (
    PVArray,
    PVProfile,
    PVSystem,
    default_tilt_deg,
    orientation_yields,
    performance_ratio,
    pv_profile,
    pv_profiles,
)
from peakzero.weather import Weather, station_weather


@pytest.fixture(scope="module")
def shanghai() -> Weather:
    return station_weather("Shanghai")


@pytest.fixture(scope="module")
def profile(shanghai: Weather) -> PVProfile:
    return pv_profile(shanghai, PVSystem.single(25.0), distance_km=12.5)


def test_profile_shape_and_metadata(profile: PVProfile, shanghai: Weather) -> None:
    assert profile.ac_kw_per_kwp.shape == (8760,)
    assert profile.index.equals(shanghai.data.index)
    assert str(profile.index.tz) == "Etc/GMT-8"
    assert profile.station == shanghai.station
    assert profile.distance_km == 12.5
    assert profile.system.arrays[0].tilt_deg == 25.0


def test_monthly_sums_to_annual(profile: PVProfile) -> None:
    monthly = profile.monthly_ac_kwh_per_kwp
    assert monthly.shape == (12,)
    # exact partition of the same hourly values: only float summation order differs
    assert monthly.sum() == pytest.approx(profile.specific_yield_kwh_per_kwp, rel=1e-12)
    # January by hand from the hourly values
    jan = profile.ac_kw_per_kwp[profile.index.month == 1].sum()
    assert monthly[0] == pytest.approx(jan, rel=1e-12)


def test_plausible_yield_and_pr(profile: PVProfile) -> None:
    # Shanghai, 25 deg south: PVGIS/PVWatts-type tools give ~1000-1200 kWh/kWp for eastern
    # China; the CSWD typical year is on the dull side. PR with 14 % losses + inverter +
    # temperature + IAM lies in 0.70-0.85.
    assert 900.0 < profile.specific_yield_kwh_per_kwp < 1250.0
    assert 0.70 < profile.performance_ratio < 0.85
    # performance_ratio by its definition (IEC 61724-1)
    expected = profile.specific_yield_kwh_per_kwp / profile.poa_insolation_kwh_per_m2
    assert profile.performance_ratio == pytest.approx(expected, rel=1e-12)


def test_performance_ratio_hand_value() -> None:
    # 800 kWh from 10 kWp under 100 kWh/m2: 800 / (100 x 10 / 1) = 0.8
    assert performance_ratio(800.0, 100.0, 10.0) == pytest.approx(0.8)
    assert np.isnan(performance_ratio(1.0, 0.0, 1.0))


def test_ac_kw_scales(profile: PVProfile) -> None:
    series = profile.ac_kw(250.0)
    assert series.index.equals(profile.index)
    np.testing.assert_allclose(series.to_numpy(), profile.ac_kw_per_kwp * 250.0)


def test_many_sites_equal_single_calls(shanghai: Weather) -> None:
    beijing = station_weather("Beijing")
    system = PVSystem.single(30.0)
    many = pv_profiles([shanghai, beijing], system, distances_km=[0.0, 3.0])
    for w, p in zip([shanghai, beijing], many, strict=True):
        one = pv_profile(w, system)
        np.testing.assert_array_equal(p.ac_kw_per_kwp, one.ac_kw_per_kwp)
    assert many[1].distance_km == 3.0
    # Beijing (drier, sunnier) out-yields Shanghai
    assert many[1].specific_yield_kwh_per_kwp > many[0].specific_yield_kwh_per_kwp


def test_east_west_between_faces(shanghai: Weather) -> None:
    # A 50/50 east-west system's DC is the share-weighted mean of the two faces; the PVWatts
    # inverter efficiency is nonlinear in DC, so AC is not exactly the mean. The east-west
    # system's yield must still lie strictly between the two single faces' (it is within 1 %
    # of their mean: the inverter curve is flat above ~20 % load).
    east = PVSystem.single(20.0, 90.0, "flush", dc_ac_ratio=1.0)
    west = PVSystem.single(20.0, 270.0, "flush", dc_ac_ratio=1.0)
    both = PVSystem(
        (PVArray(20.0, 90.0, "flush", 0.5), PVArray(20.0, 270.0, "flush", 0.5)),
        dc_ac_ratio=1.0,
    )
    y = orientation_yields(shanghai, [east, west, both])
    assert min(y[0], y[1]) < y[2] < max(y[0], y[1])
    assert y[2] == pytest.approx(y[:2].mean(), rel=0.01)


def test_orientation_yields_peak_near_default_tilt(shanghai: Weather) -> None:
    tilts = np.arange(0.0, 61.0, 5.0)
    y = orientation_yields(shanghai, [PVSystem.single(float(t)) for t in tilts])
    best = tilts[int(np.argmax(y))]
    assert abs(best - default_tilt_deg(shanghai.station.latitude_deg)) <= 10.0
    assert y[-1] < y.max()  # 60 deg is past the optimum in Shanghai
    # south beats north at 30 deg tilt
    south, north = orientation_yields(shanghai, [PVSystem.single(30.0), PVSystem.single(30.0, 0.0)])
    assert south > 1.3 * north


def test_default_tilt_rule() -> None:
    assert default_tilt_deg(40.0) == 36.0
    assert default_tilt_deg(3.0) == 5.0  # minimum 5 deg
    assert default_tilt_deg(-30.0) == 27.0


def test_subhourly_weather_gives_same_energy_units(shanghai: Weather) -> None:
    # A 30-minute copy of one June day (each hour repeated twice) must give the same daily
    # kWh/kWp within the difference of evaluating the sun at :15/:45 instead of :30: < 2 %.
    day = shanghai.data.loc["2023-06-10"]  # type: ignore[misc]
    idx = pd.date_range(day.index[0], periods=48, freq="30min")
    half = pd.DataFrame(np.repeat(day.to_numpy(), 2, axis=0), index=idx, columns=day.columns)
    hourly = pv_profile(Weather(shanghai.station, day, "test"), PVSystem.single(25.0))
    sub = pv_profile(Weather(shanghai.station, half, "test"), PVSystem.single(25.0))
    assert sub.interval_hours == 0.5
    assert sub.specific_yield_kwh_per_kwp == pytest.approx(
        hourly.specific_yield_kwh_per_kwp, rel=0.02
    )
