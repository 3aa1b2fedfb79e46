"""The loss waterfall reproduces the engine's annual AC and its steps multiply to it."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.errors import PeakzeroError
from peakzero.solar import PVArray, PVSystem, pv_profile
from peakzero.solar.losses import STEPS, weather_loss_waterfall
from peakzero.weather import Weather, find_station, station_weather

#: Relative tolerance between the waterfall's clipped AC and the engine's annual AC: both run
#: NREL SPA (the engine splits pvlib.spa into time and site parts, the waterfall calls
#: pvlib.solarposition) and the same pvlib steps, so only floating-point order differs.
ENGINE_RTOL = 1e-9


@pytest.fixture(scope="module")
def shanghai() -> Weather:
    return station_weather(find_station("Shanghai"), 2025)


@pytest.mark.parametrize(
    "system",
    [
        PVSystem.single(10.0),
        PVSystem.single(28.0, dc_ac_ratio=1.5, iam_model="ashrae"),
        PVSystem(
            arrays=(PVArray(15.0, 90.0, "flush", 0.5), PVArray(15.0, 270.0, "flush", 0.5)),
            dc_ac_ratio=1.3,
        ),
    ],
    ids=["flat-rows", "clipping-ashrae", "east-west"],
)
def test_waterfall_reproduces_engine(shanghai: Weather, system: PVSystem) -> None:
    kwp = 3729.3
    engine = pv_profile(shanghai, system)
    wf = weather_loss_waterfall(shanghai, system, kwp=kwp)
    assert list(wf.index) == [k for k, _ in STEPS]
    assert wf.loc["ac_after_clipping", "value"] == pytest.approx(
        engine.specific_yield_kwh_per_kwp * kwp, rel=ENGINE_RTOL
    )
    assert wf.loc["poa_transposed", "value"] == pytest.approx(
        engine.poa_insolation_kwh_per_m2, rel=ENGINE_RTOL
    )
    # GHI x product of the factors x kWp = final AC (exact up to round-off)
    product = float(np.prod(wf["factor"].to_numpy()[1:]))
    assert wf.loc["ghi", "value"] * product * kwp == pytest.approx(
        wf.loc["ac_after_curtailment", "value"], rel=1e-12
    )
    # every step but transposition is a loss
    losses = wf["change_fraction"].drop(["ghi", "poa_transposed"])
    assert (losses <= 1e-15).all()


def test_system_losses_step_is_the_pvwatts_fraction(shanghai: Weather) -> None:
    wf = weather_loss_waterfall(shanghai, PVSystem.single(10.0))
    assert wf.loc["dc_after_system_losses", "change_fraction"] == pytest.approx(-0.1408, abs=5e-5)


def test_curtailment_step(shanghai: Weather) -> None:
    system = PVSystem.single(10.0)
    full = weather_loss_waterfall(shanghai, system, kwp=100.0)
    ac = full.loc["ac_after_clipping", "value"]
    wf = weather_loss_waterfall(shanghai, system, kwp=100.0, curtailed_kwh=0.05 * ac)
    assert wf.loc["ac_after_curtailment", "value"] == pytest.approx(0.95 * ac, rel=1e-12)
    assert wf.loc["ac_after_curtailment", "change_fraction"] == pytest.approx(-0.05, rel=1e-12)
    with pytest.raises(PeakzeroError, match="curtailed_kwh"):
        weather_loss_waterfall(shanghai, system, kwp=100.0, curtailed_kwh=2 * ac)
