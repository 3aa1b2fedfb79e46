"""Battery parameters and capacity fade: hand-derived values and each bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from peakzero.errors import PeakzeroError
from peakzero.storage import Battery, replacement_year, soh_by_year, state_of_health

# float arithmetic on a handful of operations
TOL = 1e-12


def test_efficiencies_are_square_roots_of_round_trip() -> None:
    b = Battery(round_trip_efficiency=0.9)
    assert b.charge_efficiency * b.discharge_efficiency == pytest.approx(0.9, abs=TOL)
    assert b.charge_efficiency == pytest.approx(math.sqrt(0.9), abs=TOL)


def test_state_of_health_hand_values() -> None:
    # 1 - 0.02 * 5 - 1e-4 * 1000 = 1 - 0.1 - 0.1 = 0.8
    soh = state_of_health(
        [5.0, 100.0], [1000.0, 0.0], calendar_fade_per_year=0.02, fade_per_cycle=1e-4
    )
    np.testing.assert_allclose(soh, [0.8, 0.0], atol=TOL)  # second one floored at 0


def test_replacement_year_from_fade() -> None:
    b = Battery(calendar_fade_per_year=0.02, fade_per_cycle=1e-4, end_of_life_soh=0.8)
    # yearly fade 0.02 + 365 * 1e-4 = 0.0565; 0.2 / 0.0565 = 3.54 -> end of year 4
    assert replacement_year(b, 365.0, 25) == 4
    # beyond the analysis period: none
    assert replacement_year(b, 365.0, 4) is None
    # no fade at all: never replaced
    assert (
        replacement_year(Battery(calendar_fade_per_year=0.0, fade_per_cycle=0.0), 300.0, 25) is None
    )
    # a fixed year wins
    assert replacement_year(Battery(replacement_year=9), 1000.0, 25) == 9


def test_soh_resets_after_replacement() -> None:
    b = Battery(calendar_fade_per_year=0.05, fade_per_cycle=0.0, end_of_life_soh=0.8)
    # 0.2 / 0.05 = 4 -> replaced at end of year 4
    np.testing.assert_allclose(soh_by_year(b, 0.0, 6), [0.95, 0.9, 0.85, 0.8, 0.95, 0.9], atol=TOL)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"round_trip_efficiency": 1.2}, "battery.round_trip_efficiency"),
        ({"soc_min": 0.9, "soc_max": 0.5}, "battery.soc_min"),
        ({"max_cycles_per_day": -1.0}, "battery.max_cycles_per_day"),
        ({"capex_yuan_per_kwh": -5.0}, "battery.capex_yuan_per_kwh"),
        ({"min_kwh": 100.0, "max_kwh": 10.0}, "battery.max_kwh"),
        ({"fixed_kw": -1.0}, "battery.fixed_kw"),
        ({"replacement_year": 0}, "battery.replacement_year"),
    ],
)
def test_bad_battery_inputs_name_the_field(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(PeakzeroError) as info:
        Battery(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert field in str(info.value)
