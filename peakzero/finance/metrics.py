"""Investment metrics on yearly cash flows: NPV, IRR, payback, LCOE.

Cash flows are in [yuan], one per year, ``cash_flows[0]`` at year 0 (today, undiscounted), then
the end of years 1, 2, ... Formulas follow the usual end-of-year convention (the same as
``numpy_financial.npv``/``irr``, re-derived here so the package needs no extra dependency).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from peakzero.errors import PeakzeroError

ArrayLike = np.ndarray | Sequence[float]


def _flows(cash_flows_yuan: ArrayLike, name: str = "cash_flows_yuan") -> np.ndarray:
    arr = np.asarray(cash_flows_yuan, dtype=float)
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
        raise PeakzeroError(f"{name} must be a non-empty 1-D array of finite [yuan]", field=name)
    return arr


def _rate(rate: float) -> float:
    if not rate > -1.0 or not np.isfinite(rate):
        raise PeakzeroError(
            f"discount rate = {rate} must be > -1 (e.g. 0.06 for 6 %)", field="rate"
        )
    return float(rate)


def discount_factors(rate: float, years: int) -> np.ndarray:
    """``1 / (1 + rate) ** t`` for t = 0 .. years - 1.

    >>> discount_factors(0.1, 3).round(6).tolist()
    [1.0, 0.909091, 0.826446]
    """
    return np.asarray((1.0 + _rate(rate)) ** -np.arange(years, dtype=float))


def npv(rate: float, cash_flows_yuan: ArrayLike) -> float:
    """Net present value [yuan]: ``sum_t CF_t / (1 + rate) ** t``, CF_0 undiscounted.

    >>> round(npv(0.1, [-100.0, 60.0, 60.0]), 6)
    4.132231
    """
    flows = _flows(cash_flows_yuan)
    return float(np.sum(flows * discount_factors(rate, flows.size)))


def irr(cash_flows_yuan: ArrayLike) -> float | None:
    """Internal rate of return: the rate > -1 at which :func:`npv` is zero.

    NPV(r) = sum_t CF_t x^t with x = 1 / (1 + r) is a polynomial in x; its real roots x > 0 give
    the candidate rates r = 1/x - 1. With several (non-conventional flows) the one closest to zero
    is returned, as ``numpy_financial.irr`` does. Returns None when the flows never change sign
    or the polynomial has no real positive root.

    >>> round(irr([-100.0, 110.0]), 12)
    0.1
    >>> irr([100.0, 50.0]) is None
    True
    """
    flows = _flows(cash_flows_yuan)
    nonzero = flows[flows != 0]
    if nonzero.size < 2 or np.all(nonzero > 0) or np.all(nonzero < 0):
        return None
    # np.roots wants the highest power first: CF_N x^N + ... + CF_0.
    trimmed = np.trim_zeros(flows, "b")
    roots = np.roots(trimmed[::-1])
    real = roots[np.abs(roots.imag) <= 1e-9 * np.maximum(1.0, np.abs(roots.real))].real
    real = real[real > 0]
    if real.size == 0:
        return None
    rates = 1.0 / real - 1.0
    best = rates[np.argmin(np.abs(rates))]
    # polish with Newton steps on NPV(r) for full precision
    t = np.arange(flows.size, dtype=float)
    for _ in range(20):
        disc = (1.0 + best) ** -t
        f = float(np.sum(flows * disc))
        df = float(np.sum(-t * flows * disc / (1.0 + best)))
        if df == 0.0:
            break
        step = f / df
        best -= step
        if abs(step) < 1e-15:
            break
    return float(best)


def _payback(flows: np.ndarray) -> float | None:
    cumulative = np.cumsum(flows)
    # round-off guard: a cumulative sum within 1e-12 of the flows' scale counts as reached zero
    tol = 1e-12 * float(np.max(np.abs(flows)))
    if cumulative[0] >= -tol:
        return 0.0
    after = np.nonzero(cumulative >= -tol)[0]
    if after.size == 0:
        return None
    t = int(after[0])
    # linear interpolation inside year t: the flow of year t arrives evenly through the year
    return float(t - 1 + (-cumulative[t - 1]) / flows[t])


def simple_payback_years(cash_flows_yuan: ArrayLike) -> float | None:
    """Years until the cumulative cash flow first reaches zero, interpolated within the year.

    With cumulative C_{t-1} < 0 <= C_t, payback = (t - 1) + (-C_{t-1}) / CF_t. None if never.

    >>> simple_payback_years([-100.0, 40.0, 40.0, 40.0])
    2.5
    """
    return _payback(_flows(cash_flows_yuan))


def discounted_payback_years(rate: float, cash_flows_yuan: ArrayLike) -> float | None:
    """:func:`simple_payback_years` on the discounted flows CF_t / (1 + rate) ** t.

    >>> round(discounted_payback_years(0.1, [-100.0, 110.0]), 12)
    1.0
    """
    flows = _flows(cash_flows_yuan)
    return _payback(flows * discount_factors(rate, flows.size))


def lcoe_yuan_per_kwh(
    rate: float,
    capex_yuan: float,
    opex_yuan_per_year: ArrayLike,
    energy_kwh_per_year: ArrayLike,
) -> float:
    """Levelised cost of energy [yuan/kWh].

    LCOE = (capex + sum_{t=1}^{N} opex_t / (1+r)^t) / sum_{t=1}^{N} E_t / (1+r)^t, with
    ``opex_yuan_per_year[0]`` and ``energy_kwh_per_year[0]`` belonging to year 1.

    >>> round(lcoe_yuan_per_kwh(0.0, 1000.0, [10.0, 10.0], [100.0, 100.0]), 6)
    5.1
    """
    opex = _flows(opex_yuan_per_year, "opex_yuan_per_year")
    energy = _flows(energy_kwh_per_year, "energy_kwh_per_year")
    if opex.shape != energy.shape:
        raise PeakzeroError(
            f"opex ({opex.size} years) and energy ({energy.size} years) must have the same length",
            field="energy_kwh_per_year",
        )
    disc = discount_factors(rate, energy.size + 1)[1:]
    denominator = float(np.sum(energy * disc))
    if denominator <= 0:
        raise PeakzeroError("energy_kwh_per_year must sum to > 0 kWh", field="energy_kwh_per_year")
    return float((capex_yuan + np.sum(opex * disc)) / denominator)
