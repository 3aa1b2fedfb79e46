"""The vectorised PV chain against pvlib's ModelChain and solar position, plus invariants."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pvlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.errors import Pandas4Warning

from peakzero.errors import PeakzeroError
from peakzero.solar import (
    PVWATTS_DEFAULT_LOSSES_FRACTION,
    PVArray,
    PVSystem,
    simulate_ac_kw_per_kwp,
    solar_position,
)
from peakzero.solar.model import SAPM_CONFIG
from peakzero.weather import Weather, station_weather

# The engine calls the same pvlib functions as ModelChain in the same order (SPA, Kasten-Young
# air mass, Spencer extraterrestrial DNI, Perez, physical/ASHRAE IAM on the beam, SAPM cell
# temperature, PVWatts DC, PVWatts losses, PVWatts inverter); only the array layout differs
# ((T, N) chunks, only hours with light computed). Differences can only come from floating-point
# evaluation order, so hourly values must agree to 1e-9 kW/kWp (hourly outputs are ~0.1-0.9)
# and annual totals to 1e-9 relative.
HOURLY_ABS_TOL_KW_PER_KWP = 1e-9
ANNUAL_REL_TOL = 1e-9
# SPA in two evaluation orders: angles agree to round-off, 1e-8 deg.
SPA_TOL_DEG = 1e-8


@pytest.fixture(scope="module")
def nanjing() -> Weather:
    return station_weather("Nanjing")


def modelchain_ac(weather: Weather, system: PVSystem) -> np.ndarray:
    """Reference: pvlib ModelChain with the same model choices, sun at interval midpoints."""
    st_ = weather.station
    location = pvlib.location.Location(
        st_.latitude_deg, st_.longitude_deg, tz="Etc/GMT-8", altitude=st_.elevation_m
    )
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]
    arrays = [
        pvlib.pvsystem.Array(
            pvlib.pvsystem.FixedMount(a.tilt_deg, a.azimuth_deg),
            albedo=system.albedo,
            module_parameters={"pdc0": a.share, "gamma_pdc": system.gamma_pdc_per_c},
            temperature_model_parameters=params[SAPM_CONFIG[a.mounting]],
        )
        for a in system.arrays
    ]
    # losses_parameters reproducing the engine's single loss fraction via pvwatts_losses
    losses = {
        k: 0
        for k in (
            "soiling",
            "shading",
            "mismatch",
            "wiring",
            "connections",
            "lid",
            "nameplate_rating",
            "availability",
        )
    }
    losses["soiling"] = system.losses_fraction * 100.0
    pv = pvlib.pvsystem.PVSystem(
        arrays=arrays,
        inverter_parameters={
            "pdc0": 1.0 / (system.dc_ac_ratio * system.eta_inverter_nom),
            "eta_inv_nom": system.eta_inverter_nom,
        },
        losses_parameters=losses,
    )
    mc = pvlib.modelchain.ModelChain(
        pv,
        location,
        aoi_model=system.iam_model,
        spectral_model="no_loss",
        temperature_model="sapm",
        dc_model="pvwatts",
        ac_model="pvwatts",
        losses_model="pvwatts",
        transposition_model="perez",
    )
    data = weather.data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].copy()
    data.index = data.index + pd.Timedelta(minutes=weather.interval_minutes / 2)
    with warnings.catch_warnings():
        # pvlib 0.16.1 itself calls DatetimeIndex.dayofyear, deprecated in pandas 3.1
        warnings.filterwarnings("ignore", category=Pandas4Warning)
        mc.run_model(data)
    return np.asarray(mc.results.ac.fillna(0.0).clip(lower=0.0), dtype=float)


def engine_ac(weathers: list[Weather], systems: list[PVSystem], **kw: int) -> np.ndarray:
    stations = [w.station for w in weathers]
    cols = {
        c: np.column_stack([w.data[c].to_numpy() for w in weathers])
        for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed")
    }
    ac, _ = simulate_ac_kw_per_kwp(
        pd.DatetimeIndex(weathers[0].data.index),
        [s.latitude_deg for s in stations],
        [s.longitude_deg for s in stations],
        [s.elevation_m for s in stations],
        cols["ghi"],
        cols["dni"],
        cols["dhi"],
        cols["temp_air"],
        cols["wind_speed"],
        systems,
        **kw,
    )
    return ac


@pytest.mark.parametrize(
    "system",
    [
        PVSystem.single(25.0, 180.0, "rows"),
        PVSystem(
            (PVArray(20.0, 90.0, "flush", 0.5), PVArray(20.0, 270.0, "flush", 0.5)),
            dc_ac_ratio=1.4,
            losses_fraction=0.10,
            iam_model="ashrae",
        ),
        PVSystem.single(40.0, 200.0, "ground", dc_ac_ratio=1.6, gamma_pdc_per_c=-0.0035),
    ],
    ids=["south-rows", "east-west-flush-ashrae", "ground-clipping"],
)
def test_matches_modelchain_hourly_and_annual(nanjing: Weather, system: PVSystem) -> None:
    ref = modelchain_ac(nanjing, system)
    got = engine_ac([nanjing], [system])[:, 0]
    assert ref.sum() > 500.0  # kWh/kWp: a real year, not an all-zero comparison
    np.testing.assert_allclose(got, ref, rtol=0, atol=HOURLY_ABS_TOL_KW_PER_KWP)
    assert got.sum() == pytest.approx(ref.sum(), rel=ANNUAL_REL_TOL)


def test_many_sites_one_call_equals_separate_modelchains() -> None:
    weathers = [station_weather(name) for name in ("Harbin", "Guangzhou", "Lhasa")]
    systems = [
        PVSystem.single(30.0),
        PVSystem.single(10.0, 135.0, "flush"),
        PVSystem.single(35.0, 180.0, "ground"),
    ]
    # chunk_elements=8760 forces one column per chunk: exercises the chunk loop
    got = engine_ac(weathers, systems, chunk_elements=8760)
    for j, (w, s) in enumerate(zip(weathers, systems, strict=True)):
        np.testing.assert_allclose(got[:, j], modelchain_ac(w, s), atol=HOURLY_ABS_TOL_KW_PER_KWP)


def test_chunking_does_not_change_results(nanjing: Weather) -> None:
    systems = [PVSystem.single(float(t)) for t in range(0, 60, 6)]
    whole = engine_ac([nanjing], systems)
    chunked = engine_ac([nanjing], systems, chunk_elements=3 * 8760)
    np.testing.assert_array_equal(whole, chunked)


def test_solar_position_matches_pvlib_spa() -> None:
    times = pd.date_range("2023-03-01", periods=200, freq="37min", tz="Etc/GMT-8")
    lats, lons, elevs = [45.75, 23.13, 29.67], [126.77, 113.32, 91.13], [143.0, 41.0, 3650.0]
    got = solar_position(times, lats, lons, elevs, temp_air=12.0)
    for j in range(3):
        ref = pvlib.solarposition.get_solarposition(
            times,
            lats[j],
            lons[j],
            altitude=elevs[j],
            pressure=pvlib.atmosphere.alt2pres(elevs[j]),
            temperature=12.0,
        )
        for key in ("apparent_zenith", "zenith", "azimuth"):
            np.testing.assert_allclose(got[key][:, j], ref[key].to_numpy(), atol=SPA_TOL_DEG)


def test_defaults_losses_are_pvwatts() -> None:
    # PVWatts v5 defaults combined multiplicatively: 1 - prod(1 - l_i) = 14.08 %
    parts = [2, 3, 0, 2, 2, 0.5, 1.5, 1, 0, 3]
    expected = 1 - np.prod([1 - p / 100 for p in parts])
    assert expected == pytest.approx(PVWATTS_DEFAULT_LOSSES_FRACTION, abs=1e-12)
    assert round(PVWATTS_DEFAULT_LOSSES_FRACTION, 4) == 0.1408


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"tilt_deg": 95.0}, "tilt_deg"),
        ({"tilt_deg": 20.0, "azimuth_deg": -10.0}, "azimuth_deg"),
        ({"tilt_deg": 20.0, "mounting": "roofless"}, "mounting"),
        ({"tilt_deg": 20.0, "share": 1.5}, "share"),
    ],
)
def test_bad_array_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(PeakzeroError) as err:
        PVArray(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_bad_system_input() -> None:
    with pytest.raises(PeakzeroError, match="add up to"):
        PVSystem((PVArray(20.0, 90.0, "flush", 0.5), PVArray(20.0, 270.0, "flush", 0.4)))
    with pytest.raises(PeakzeroError, match="dc_ac_ratio"):
        PVSystem.single(20.0, dc_ac_ratio=5.0)


@settings(max_examples=25, deadline=None)
@given(
    ratio=st.floats(0.8, 2.0),
    losses=st.floats(0.0, 0.3),
    tilt=st.floats(0.0, 90.0),
    azimuth=st.floats(0.0, 360.0),
)
def test_ac_is_nonnegative_and_clipped(
    ratio: float, losses: float, tilt: float, azimuth: float
) -> None:
    # Invariant: 0 <= AC <= inverter AC rating = 1 / dc_ac_ratio per kWp, every hour.
    w = _june_week()
    system = PVSystem.single(tilt, azimuth, dc_ac_ratio=ratio, losses_fraction=losses)
    ac = engine_ac([w], [system])[:, 0]
    assert (ac >= 0.0).all()
    assert ac.max() <= 1.0 / ratio + 1e-12


_CACHE: dict[str, Weather] = {}


def _june_week() -> Weather:
    if "w" not in _CACHE:
        full = station_weather("Lhasa")  # clear skies, high irradiance: clipping happens
        part = full.data.loc["2023-06-01":"2023-06-07"]  # type: ignore[misc]
        _CACHE["w"] = Weather(full.station, part, full.source)
    return _CACHE["w"]
