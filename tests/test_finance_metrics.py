"""NPV, IRR, payback and LCOE against hand values and closed-form formulas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peakzero.errors import PeakzeroError
from peakzero.finance import (
    discounted_payback_years,
    irr,
    lcoe_yuan_per_kwh,
    npv,
    simple_payback_years,
)

# IRR is polished with Newton steps to machine precision; 1e-10 leaves room for the
# conditioning of 25-year polynomials.
IRR_TOL = 1e-10
YUAN_RTOL = 1e-12  # sums of a few dozen products


def test_npv_by_hand() -> None:
    # -1000 + 300/1.08 + 400/1.1664 + 500/1.259712
    # = -1000 + 277.777778 + 342.935528 + 396.916121 = 17.629426 (to 1e-6)
    assert npv(0.08, [-1000.0, 300.0, 400.0, 500.0]) == pytest.approx(17.629426, abs=1e-6)
    assert npv(0.0, [-5.0, 2.0, 3.0]) == 0.0


def test_npv_of_annuity_closed_form() -> None:
    """Annuity A for N years at r: PV = A (1 - (1 + r)^-N) / r."""
    a, r, n = 120.0, 0.06, 25
    closed = a * (1 - (1 + r) ** -n) / r
    assert npv(r, np.r_[0.0, np.full(n, a)]) == pytest.approx(closed, rel=YUAN_RTOL)


def test_irr_known_roots() -> None:
    assert irr([-100.0, 121.0]) == pytest.approx(0.21, abs=IRR_TOL)
    assert irr([-100.0, 0.0, 121.0]) == pytest.approx(0.10, abs=IRR_TOL)  # (1 + r)^2 = 1.21
    # Loan of 1000 repaid by the annuity A = P r / (1 - (1 + r)^-N): its IRR is r exactly.
    p, r, n = 1000.0, 0.07, 3
    a = p * r / (1 - (1 + r) ** -n)  # 381.0516...
    assert irr([-p, a, a, a]) == pytest.approx(r, abs=IRR_TOL)
    # Two roots: -100 + 230 y^-1 - 132 y^-2 = 0 with y = 1 + r -> 100 y^2 - 230 y + 132 = 0,
    # y = (230 +- 10) / 200 = 1.1 or 1.2; the root nearest zero (10 %) is reported.
    assert irr([-100.0, 230.0, -132.0]) == pytest.approx(0.10, abs=IRR_TOL)
    # A loss-making project: -100 then 50 + 40 = 90 back -> negative IRR, NPV zero there.
    rate = irr([-100.0, 50.0, 40.0])
    assert rate is not None and rate < 0
    assert npv(rate, [-100.0, 50.0, 40.0]) == pytest.approx(0.0, abs=1e-9)


def test_irr_none() -> None:
    assert irr([100.0, 50.0]) is None  # no sign change
    assert irr([-100.0, -50.0]) is None
    assert irr([0.0, 0.0]) is None
    # sign changes but no real root: -100 + 10/(1+r) - 100/(1+r)^2 < 0 for every r > -1
    assert irr([-100.0, 10.0, -100.0]) is None


@settings(max_examples=50, deadline=None)
@given(
    capex=st.floats(100.0, 1e7),
    rate=st.one_of(st.just(0.0), st.floats(-0.5, -1e-4), st.floats(1e-4, 0.8)),
    years=st.integers(1, 30),
)
def test_irr_recovers_the_rate_of_a_level_annuity(capex: float, rate: float, years: int) -> None:
    """Property: the IRR of a level annuity built at rate r is r (numpy-financial convention)."""
    payment = capex / years if rate == 0.0 else capex * rate / (1 - (1 + rate) ** -years)
    flows = np.r_[-capex, np.full(years, payment)]
    found = irr(flows)
    assert found is not None
    assert found == pytest.approx(rate, abs=1e-7)
    assert npv(found, flows) == pytest.approx(0.0, abs=1e-6 * capex)


def test_payback_interpolation() -> None:
    # cumulative -100, -70, -40, -10, +20: reached in year 4 at 3 + 10/30
    assert simple_payback_years([-100.0, 30.0, 30.0, 30.0, 30.0]) == pytest.approx(3 + 1 / 3)
    assert simple_payback_years([-100.0, 10.0, 10.0]) is None
    assert simple_payback_years([0.0, 10.0]) == 0.0
    # discounted at 10 %: 60/1.1 = 54.5454, 60/1.21 = 49.5868; cumulative -45.4545 then +4.1322
    # -> 1 + 45.4545 / 49.5868 = 1.916667
    assert discounted_payback_years(0.1, [-100.0, 60.0, 60.0]) == pytest.approx(
        1 + (100 - 60 / 1.1) / (60 / 1.21), rel=1e-12
    )
    assert discounted_payback_years(0.1, [-100.0, 55.0, 55.0]) is None  # 50 + 45.45 < 100


def test_lcoe_by_hand() -> None:
    # rate 5 %: capex 10000, opex 100/yr, energy 2000 kWh/yr for 2 years
    # numerator 10000 + 100/1.05 + 100/1.1025 = 10000 + 95.238095 + 90.702948 = 10185.941043
    # denominator 2000/1.05 + 2000/1.1025 = 1904.761905 + 1814.058957 = 3718.820862
    # LCOE = 2.739078 yuan/kWh
    value = lcoe_yuan_per_kwh(0.05, 10000.0, np.array([100.0, 100.0]), np.array([2000.0, 2000.0]))
    assert value == pytest.approx(10185.941043 / 3718.820862, rel=1e-9)


def test_bad_inputs() -> None:
    with pytest.raises(PeakzeroError, match="rate"):
        npv(-1.5, [1.0])
    with pytest.raises(PeakzeroError, match="finite"):
        npv(0.1, [1.0, float("nan")])
    with pytest.raises(PeakzeroError, match="same length"):
        lcoe_yuan_per_kwh(0.1, 1.0, np.ones(3), np.ones(2))
    with pytest.raises(PeakzeroError, match="> 0 kWh"):
        lcoe_yuan_per_kwh(0.1, 1.0, np.ones(2), np.zeros(2))
