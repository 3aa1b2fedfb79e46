"""Solar position shared between columns at one site: against pvlib SPA and unshared runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest

from peakzero.solar import PVSystem, simulate_ac_kw_per_kwp, solar_position
from peakzero.solar.sun import (
    SiteGeometry,
    block_sun,
    location_labels,
    site_labels,
    spa_time_terms,
)
from peakzero.weather import Weather, station_weather

# solar_position calls the same pvlib.spa steps as pvlib.spa.solar_position_numpy on the same
# float64 inputs; only the array shapes differ ((T, 1) time terms broadcast over N sites), so
# the angles must agree to round-off of a few ulp of 360 deg: 1e-10 deg.
SPA_STRICT_TOL_DEG = 1e-10
# Shared and unshared evaluations run identical element-wise numpy operations; allow 1e-12
# (kW/kWp or deg) for possible SIMD/scalar-loop differences in transcendental functions.
SHARING_TOL = 1e-12


def test_solar_position_equals_get_solarposition_nrel_numpy() -> None:
    times = pd.date_range("2023-01-01 00:30", periods=24 * 40, freq="9h", tz="Etc/GMT-8")
    lats = np.array([45.75, 23.13, 29.67, 18.23, 53.47])
    lons = np.array([126.77, 113.32, 91.13, 109.52, 122.37])
    elevs = np.array([143.0, 41.0, 3650.0, 6.0, 433.0])
    rng = np.random.default_rng(7)
    temp = rng.uniform(-30.0, 40.0, size=(len(times), lats.size))
    got = solar_position(times, lats, lons, elevs, temp_air=temp)
    for j in range(lats.size):
        ref = pvlib.solarposition.get_solarposition(
            times,
            lats[j],
            lons[j],
            altitude=elevs[j],
            pressure=pvlib.atmosphere.alt2pres(elevs[j]),
            method="nrel_numpy",
            temperature=temp[:, j],
        )
        for key in ("apparent_zenith", "zenith", "azimuth"):
            np.testing.assert_allclose(
                got[key][:, j], ref[key].to_numpy(), rtol=0, atol=SPA_STRICT_TOL_DEG
            )


def test_site_labels_split_same_location_with_other_temperature() -> None:
    # Columns 0, 1, 3 at one place; 3 has another temperature series; 2 elsewhere.
    lat = np.array([30.0, 30.0, 31.0, 30.0])
    lon = np.array([120.0, 120.0, 120.0, 120.0])
    elev = np.array([10.0, 10.0, 10.0, 10.0])
    location = location_labels(lat, lon, elev)
    assert location.tolist() == [0, 0, 1, 0]
    temp = np.array([[5.0, 5.0, 5.0, 5.0], [6.0, 6.0, 6.0, 6.5]])
    labels = site_labels(location, temp)
    assert labels[0] == labels[1]
    assert len({labels[0], labels[2], labels[3]}) == 3
    # one temperature column for all: only the location matters
    assert site_labels(location, temp[:, :1]).tolist() == [0, 0, 1, 0]


def test_block_sun_shared_equals_column_by_column() -> None:
    times = pd.date_range("2023-06-21", periods=48, freq="h", tz="Etc/GMT-8") + pd.Timedelta(
        minutes=30
    )
    terms = spa_time_terms(times, 67.0)
    lat = np.array([[32.0, 32.0, 40.0, 32.0]])
    lon = np.array([[118.8, 118.8, 116.5, 118.8]])
    elev = np.array([[9.0, 9.0, 55.0, 9.0]])
    temp = np.tile(np.linspace(20.0, 30.0, 48)[:, None], (1, 4))
    temp[:, 3] += 3.0  # same place, other temperature: must not share
    geometry = SiteGeometry.of(lat, lon, elev)
    location = location_labels(lat[0], lon[0], elev[0])
    rows = np.arange(48)
    shared = block_sun(terms, rows, geometry, location, temp)
    for j in range(4):
        one = block_sun(terms, rows, geometry.take(np.array([j])), location[[j]], temp[:, [j]])
        for got, ref in zip(shared, one, strict=True):
            np.testing.assert_allclose(got[:, j], ref[:, 0], rtol=0, atol=SHARING_TOL)


@pytest.fixture(scope="module")
def nanjing() -> Weather:
    return station_weather("Nanjing")


def _run(weather: Weather, systems: list[PVSystem], temp_air: np.ndarray) -> np.ndarray:
    st_ = weather.station
    d = weather.data
    cols = temp_air.shape[1]

    def tile(name: str) -> np.ndarray:
        return np.tile(d[name].to_numpy(dtype=float)[:, None], (1, cols))

    ac, _ = simulate_ac_kw_per_kwp(
        pd.DatetimeIndex(d.index),
        [st_.latitude_deg] * cols,
        [st_.longitude_deg] * cols,
        [st_.elevation_m] * cols,
        tile("ghi"),
        tile("dni"),
        tile("dhi"),
        temp_air,
        tile("wind_speed"),
        systems,
    )
    return ac


def test_engine_columns_at_one_site_equal_separate_runs(nanjing: Weather) -> None:
    # Three orientations at Nanjing share the solar position; a fourth column at the same
    # place but 4 deg C warmer must get its own (refraction and cell temperature differ).
    temp = nanjing.data["temp_air"].to_numpy(dtype=float)[:, None]
    temps = np.column_stack([temp, temp, temp, temp + 4.0])
    systems = [
        PVSystem.single(25.0),
        PVSystem.single(10.0, 90.0, "flush"),
        PVSystem.single(35.0, 250.0, "ground"),
        PVSystem.single(25.0),
    ]
    together = _run(nanjing, systems, temps)
    assert together.sum() > 0.0
    for j, system in enumerate(systems):
        alone = _run(nanjing, [system], temps[:, [j]])[:, 0]
        np.testing.assert_allclose(together[:, j], alone, rtol=0, atol=SHARING_TOL)
    assert not np.array_equal(together[:, 0], together[:, 3])


def test_block_sun_distinct_sites_keep_column_order() -> None:
    # Locations whose sorted order differs from the column order (north first, then south).
    times = pd.date_range("2023-12-21 06:30", periods=12, freq="h", tz="Etc/GMT-8")
    terms = spa_time_terms(times, 67.0)
    lat, lon, elev = (
        np.array([[45.8, 23.1, 29.7]]),
        np.array([[126.8, 113.3, 91.1]]),
        np.zeros((1, 3)),
    )
    geometry = SiteGeometry.of(lat, lon, elev)
    location = location_labels(lat[0], lon[0], elev[0])
    app_zen, azi, _ = block_sun(terms, np.arange(12), geometry, location, np.full((12, 1), 10.0))
    ref = solar_position(times, lat[0], lon[0], elev[0], temp_air=10.0)
    np.testing.assert_allclose(app_zen, ref["apparent_zenith"], rtol=0, atol=SHARING_TOL)
    np.testing.assert_allclose(azi, ref["azimuth"], rtol=0, atol=SHARING_TOL)


def test_engine_distinct_sites_in_one_chunk_equal_separate_runs() -> None:
    weathers = [station_weather(name) for name in ("Harbin", "Guangzhou", "Lhasa", "Nanjing")]
    index = pd.DatetimeIndex(weathers[0].data.index)
    system = PVSystem.single(25.0)

    def run(ws: list[Weather]) -> np.ndarray:
        def col(name: str) -> np.ndarray:
            return np.column_stack([w.data[name].to_numpy(dtype=float) for w in ws])

        ac, _ = simulate_ac_kw_per_kwp(
            index,
            [w.station.latitude_deg for w in ws],
            [w.station.longitude_deg for w in ws],
            [w.station.elevation_m for w in ws],
            col("ghi"),
            col("dni"),
            col("dhi"),
            col("temp_air"),
            col("wind_speed"),
            system,
        )
        return ac

    together = run(weathers)  # default chunk: all four columns in one chunk
    for j, w in enumerate(weathers):
        np.testing.assert_allclose(together[:, j], run([w])[:, 0], rtol=0, atol=SHARING_TOL)
