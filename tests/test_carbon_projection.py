"""Driver projections by period, STIRPAT fit, Monte Carlo peak-year distribution."""

from __future__ import annotations

import math

import numpy as np
import pytest

from peakzero.carbon.montecarlo import peak_years, simulate_peak
from peakzero.carbon.projection import fit_stirpat, grow, period_index, project_kaya
from peakzero.errors import PeakzeroError


def test_grow_by_period_hand() -> None:
    # 2020->2022 at +10 %: 100, 110, 121; 2022->2023 at -50 %: 60.5
    np.testing.assert_allclose(
        grow(100.0, [0.1, -0.5], [2020, 2022, 2023]), [100, 110, 121, 60.5], rtol=1e-14
    )
    years, idx = period_index([2025, 2030, 2035])
    assert years[0] == 2025 and years[-1] == 2035
    assert idx.tolist() == [0] * 5 + [1] * 5
    # sample axis: two samples, two periods
    out = grow(np.array([1.0, 2.0]), np.array([[0.0, 1.0], [1.0, 0.0]]), [0, 1, 2])
    np.testing.assert_allclose(out, [[1, 1, 2], [2, 4, 4]])
    with pytest.raises(PeakzeroError, match="one rate per period"):
        grow(1.0, [0.1], [2020, 2025, 2030])
    with pytest.raises(PeakzeroError, match="strictly increasing"):
        grow(1.0, [0.1], [2030, 2030])


def test_project_kaya_is_product() -> None:
    p = project_kaya(
        {"p": 10.0, "a": 5.0, "t": 2.0},
        {"p": [0.01, 0.0], "a": [0.05, 0.03], "t": [-0.04, -0.08]},
        [2025, 2030, 2040],
    )
    # 2030: 10 x 1.01^5 x 5 x 1.05^5 x 2 x 0.96^5
    expected_2030 = 100 * (1.01 * 1.05 * 0.96) ** 5
    assert p.emissions_t[5] == pytest.approx(expected_2030, rel=1e-12)
    # 2040: then x (1.03 x 0.92)^10
    assert p.emissions_t[-1] == pytest.approx(expected_2030 * (1.03 * 0.92) ** 10, rel=1e-12)


def test_stirpat_recovers_known_elasticities() -> None:
    rng = np.random.default_rng(3)
    n = 20
    pop = 1e6 * np.exp(rng.normal(0, 0.05, n).cumsum())
    aff = 5e4 * np.exp(rng.normal(0.05, 0.03, n).cumsum())
    tech = 0.5 * np.exp(rng.normal(-0.03, 0.02, n).cumsum())
    impact = np.exp(0.7) * pop**1.1 * aff**0.6 * tech**0.9
    fit = fit_stirpat(impact, pop, aff, tech)
    # noise-free data: coefficients recovered to solver round-off
    assert (fit.a, fit.b, fit.c, fit.d) == pytest.approx((0.7, 1.1, 0.6, 0.9), abs=1e-8)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(fit.predict(pop, aff, tech), impact, rtol=1e-8)
    # independent solve via the normal equations
    x = np.column_stack([np.ones(n), np.log(pop), np.log(aff), np.log(tech)])
    coef = np.linalg.solve(x.T @ x, x.T @ np.log(impact))
    np.testing.assert_allclose([fit.a, fit.b, fit.c, fit.d], coef, atol=1e-6)


def test_stirpat_errors() -> None:
    with pytest.raises(PeakzeroError, match="at least 5 years"):
        fit_stirpat([1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3])
    n = 8
    with pytest.raises(PeakzeroError, match="collinear"):
        fit_stirpat(np.arange(1, n + 1), np.ones(n), np.arange(1, n + 1), np.ones(n) * 2)
    with pytest.raises(PeakzeroError, match="> 0"):
        fit_stirpat(np.zeros(6), np.ones(6), np.ones(6), np.ones(6))


def test_peak_years_censoring() -> None:
    yrs = np.array([2025, 2026, 2027])
    out = peak_years(yrs, np.array([[1.0, 3.0, 2.0], [1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
    assert out[0] == 2026 and math.isinf(out[1]) and out[2] == 2025


def test_monte_carlo_deterministic_when_sd_zero() -> None:
    base = {"a": 1.0}
    d = simulate_peak(
        base, {"a": [0.02, -0.03]}, {"a": [0.0, 0.0]}, [2025, 2030, 2040], n_samples=50
    )
    assert d.peak_year_p10 == d.peak_year_p50 == d.peak_year_p90 == 2030
    assert d.prob_peak_by_target == 1.0 and d.prob_not_peaked == 0.0


def test_monte_carlo_matches_normal_probability() -> None:
    # period 1 (2025-2030) certain +2 %/yr; period 2 (2030-2040) rate r2 ~ N(-1 %, 2 %).
    # The path peaks in 2030 iff r2 < 0 (else its maximum is 2040, the last year: not peaked),
    # so P(peak by 2030) = Phi(0.01 / 0.02) = Phi(0.5) = 0.691462.
    n = 20_000
    d = simulate_peak(
        {"a": 1.0},
        {"a": [0.02, -0.01]},
        {"a": [0.0, 0.02]},
        [2025, 2030, 2040],
        n_samples=n,
        seed=11,
    )
    expected = 0.5 * (1 + math.erf(0.5 / math.sqrt(2)))
    se = math.sqrt(expected * (1 - expected) / n)  # binomial standard error, 0.0033
    assert d.prob_peak_by_target == pytest.approx(expected, abs=4 * se)
    assert d.prob_not_peaked == pytest.approx(1 - expected, abs=4 * se)
    assert d.peak_year_p10 == 2030 and d.peak_year_p90 is None  # P90 lies in the censored tail
    # same seed, same answer
    again = simulate_peak(
        {"a": 1.0},
        {"a": [0.02, -0.01]},
        {"a": [0.0, 0.02]},
        [2025, 2030, 2040],
        n_samples=n,
        seed=11,
    )
    assert again.prob_peak_by_target == d.prob_peak_by_target
    with pytest.raises(PeakzeroError, match="n_samples"):
        simulate_peak({"a": 1.0}, {"a": [0.0]}, {"a": [0.0]}, [2025, 2030], n_samples=2)
