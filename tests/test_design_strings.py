"""String windows (GB 50797-2012 §6.4.2) against hand-derived limits."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.design import InverterSpec, ModuleSpec, site_cell_temperatures, string_window
from peakzero.errors import PeakzeroError

MODULE = ModuleSpec(
    "m", "test module", 590, 52.8, 44.0, 14.2, 13.41, -0.0025, -0.0029, 2.278, 1.134, 32.0, "test"
)
INVERTER = InverterSpec("i", "test 1100 V", 150, 1100, 200, 1000, 24, 20, 1.5, 0.984, "test")


def test_string_window_hand_derived() -> None:
    # Site: -4.5 deg C coldest hour, 64.6 deg C hottest cell.
    # Voc(-4.5) = 52.8 x (1 + (-29.5)(-0.0025)) = 52.8 x 1.07375 = 56.694 V; 1100 / 56.694 = 19.40
    # Vmp(-4.5) = 44.0 x (1 + (-29.5)(-0.0029)) = 44.0 x 1.08555 = 47.764 V; 1000 / 47.764 = 20.94
    # Vmp(64.6) = 44.0 x (1 + 39.6 x -0.0029) = 44.0 x 0.88516 = 38.947 V; 200 / 38.947 = 5.14
    w = string_window(MODULE, INVERTER, -4.5, 64.6)
    assert w.voc_cold_v == pytest.approx(56.694, abs=1e-9)
    assert w.vmp_hot_v == pytest.approx(38.94704, abs=1e-9)
    assert (w.min_modules, w.max_modules) == (6, 19)
    # 19 modules: 1077 V < 1100 V; 20 modules would be 1134 V > 1100 V
    assert 19 * w.voc_cold_v < INVERTER.max_dc_v < 20 * w.voc_cold_v
    assert w.feasible


def test_colder_site_shortens_strings() -> None:
    # Harbin-like -35 deg C: Voc = 52.8 x (1 + 60 x 0.0025) = 60.72 V; 1100 / 60.72 = 18.1 -> 18
    assert string_window(MODULE, INVERTER, -35.0, 60.0).max_modules == 18


def test_exact_ratio_is_allowed() -> None:
    # Voc 55 V at 25 deg C, no coefficient: 1100 / 55 = 20 exactly -> 20 (not 19)
    m = ModuleSpec("x", "x", 500, 55.0, 40.0, 13, 12, 0.0, 0.0, 2, 1, 25, "test")
    assert string_window(m, INVERTER, 25.0, 25.0).max_modules == 20


def test_bad_temperature_names_field() -> None:
    with pytest.raises(PeakzeroError, match="t_max_cell_c"):
        string_window(MODULE, INVERTER, 10.0, 5.0)


def test_site_cell_temperatures_uses_sapm() -> None:
    # SAPM open rack glass/glass: a = -3.47, b = -0.0594, dT = 3; 1000 W/m2, 30 deg C, 1 m/s:
    # module = 1000 x exp(-3.47 - 0.0594) + 30 = 29.33 + 30; cell = module + 1000/1000 x 3
    t_min, t_max = site_cell_temperatures(
        np.array([0.0, 1000.0]), np.array([-3.0, 30.0]), np.array([1.0, 1.0])
    )
    assert t_min == -3.0
    assert t_max == pytest.approx(1000 * np.exp(-3.47 - 0.0594) + 30 + 3, abs=1e-9)
