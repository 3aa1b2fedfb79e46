"""Kaya, LMDI-I additive (exact, zero values) and Tapio decoupling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from peakzero.carbon.decomposition import (
    KAYA_FACTORS,
    TAPIO_STATES,
    decompose_kaya,
    kaya_factors,
    lmdi_additive,
    log_mean,
    tapio,
)
from peakzero.errors import PeakzeroError

# LMDI is exact in exact arithmetic; in floating point the effects sum to the change up to
# round-off of a few products, logs and sums: 1e-9 relative to the aggregates involved.
EXACT_RTOL = 1e-9


def test_hand_example_two_factors_both_double() -> None:
    # C = x1 x2: 2 x 3 = 6 -> 4 x 6 = 24; L(24, 6) = 18 / ln 4; each effect = 18 ln 2 / ln 4 = 9
    eff = lmdi_additive([2.0, 3.0], [4.0, 6.0])
    np.testing.assert_allclose(eff, [9.0, 9.0], rtol=1e-14)


def test_log_mean_limits() -> None:
    assert float(log_mean(5.0, 5.0)) == 5.0
    assert float(log_mean(0.0, 5.0)) == 0.0
    # L(a, b) -> a as b -> a (continuity across the equal-value branch)
    assert float(log_mean(5.0, 5.0 * (1 + 1e-9))) == pytest.approx(5.0, rel=1e-8)


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    n_sectors=st.integers(min_value=1, max_value=4),
    n_factors=st.integers(min_value=1, max_value=5),
)
def test_lmdi_sums_exactly(data: st.DataObject, n_sectors: int, n_factors: int) -> None:
    shape = (n_sectors, n_factors)
    x0 = data.draw(arrays(float, shape, elements=positive))
    xt = data.draw(arrays(float, shape, elements=positive))
    eff = lmdi_additive(x0, xt)
    change = np.prod(xt, axis=1).sum() - np.prod(x0, axis=1).sum()
    scale = np.prod(xt, axis=1).sum() + np.prod(x0, axis=1).sum()
    assert eff.sum() == pytest.approx(change, abs=EXACT_RTOL * scale)


@settings(max_examples=200, deadline=None)
@given(
    x0=arrays(float, (3, 3), elements=st.one_of(st.just(0.0), positive)),
    xt=arrays(float, (3, 3), elements=st.one_of(st.just(0.0), positive)),
)
def test_lmdi_sums_exactly_with_zeros(x0: np.ndarray, xt: np.ndarray) -> None:
    eff = lmdi_additive(x0, xt)
    assert np.all(np.isfinite(eff))
    change = np.prod(xt, axis=1).sum() - np.prod(x0, axis=1).sum()
    scale = np.prod(xt, axis=1).sum() + np.prod(x0, axis=1).sum()
    assert eff.sum() == pytest.approx(change, abs=EXACT_RTOL * scale + 1e-12)


def test_zero_value_limit() -> None:
    # sector starts at 0 because factor 1 (e.g. a new fuel's share) was 0: all of the change
    # goes to factor 1 (Ang & Liu 2007 limit); factor 0 moved but contributes 0.
    eff = lmdi_additive([2.0, 0.0], [3.0, 5.0])
    np.testing.assert_allclose(eff, [0.0, 15.0], atol=1e-12)
    # and it vanishes: sector from 6 to 0 through factor 0
    np.testing.assert_allclose(lmdi_additive([2.0, 3.0], [0.0, 4.0]), [-6.0, 0.0], atol=1e-12)
    # independent check: the small-value strategy with the ordinary formula converges to it
    delta = 1e-200
    x0, xt = np.array([2.0, delta]), np.array([3.0, 5.0])
    small = log_mean(np.prod(xt), np.prod(x0)) * np.log(xt / x0)
    np.testing.assert_allclose(small, [0.0, 15.0], atol=0.02)  # error ~ 1/|ln delta| = 0.2 %


def test_kaya_product_and_decomposition() -> None:
    years = [2020, 2021, 2022]
    f = kaya_factors([10, 10, 11], [100, 110, 130], [50, 52, 55], [120, 118, 121])
    prod = np.prod([f[k] for k in KAYA_FACTORS], axis=0)
    np.testing.assert_allclose(prod, [120, 118, 121], rtol=1e-14)
    dec = decompose_kaya(years, f, 2020, 2022)
    assert dec.change_t == pytest.approx(1.0, abs=1e-12)
    assert sum(dec.effects_t.values()) == pytest.approx(1.0, abs=1e-9)
    # population 10 -> 11 pushes up, energy intensity 0.5 -> 0.423 pulls down
    assert dec.effects_t["population"] > 0 > dec.effects_t["energy_intensity"]
    with pytest.raises(PeakzeroError, match="2019"):
        decompose_kaya(years, f, 2019, 2022)
    with pytest.raises(PeakzeroError, match="population must be > 0"):
        kaya_factors([0, 1], [1, 1], [1, 1], [1, 1])


@pytest.mark.parametrize(
    ("c0", "c1", "g0", "g1", "state"),
    [
        (100, 95, 100, 110, "strong decoupling"),  # dG +10 %, dC -5 %: e = -0.5
        (100, 103, 100, 110, "weak decoupling"),  # e = 0.3
        (100, 110, 100, 110, "expansive coupling"),  # e = 1.0
        (100, 120, 100, 110, "expansive negative decoupling"),  # e = 2.0
        (100, 105, 100, 90, "strong negative decoupling"),  # dG -10 %, dC +5 %: e = -0.5
        (100, 97, 100, 90, "weak negative decoupling"),  # e = 0.3
        (100, 90, 100, 90, "recessive coupling"),  # e = 1.0
        (100, 80, 100, 90, "recessive decoupling"),  # e = 2.0
    ],
)
def test_tapio_eight_states(c0: float, c1: float, g0: float, g1: float, state: str) -> None:
    r = tapio(c0, c1, g0, g1)
    assert r.state == state
    assert r.elasticity == pytest.approx(((c1 - c0) / c0) / ((g1 - g0) / g0), rel=1e-12)


def test_tapio_states_complete_and_errors() -> None:
    assert len(TAPIO_STATES) == 8
    with pytest.raises(PeakzeroError, match="undefined"):
        tapio(100, 90, 100, 100)
    assert math.isclose(tapio(100, 100, 100, 110).elasticity, 0.0)
