"""Demand on the meter's 15-minute interval with an hourly LP: hourly energy plus each hour's
within-hour load excess in the demand rows, against the LP solved on the quarter-hours."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from peakzero.errors import PeakzeroError
from peakzero.optimize import (
    Economics,
    PVOptions,
    SiteProblem,
    bill_parts,
    optimize_dispatch,
)
from peakzero.optimize.problem import within_interval_excess
from peakzero.storage import Battery

# Both LPs solve to the HiGHS 1e-9 tolerances and are equal by construction in the first
# case; 1e-9 relative on ~1e4 yuan objectives is the solver's own resolution.
OBJ_RTOL = 1e-9
HOURS = 72
STEPS = 4  # quarter-hours per hour


def _quarter_hour_load(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    h = np.arange(HOURS) % 24
    hourly = 150.0 + 100.0 * ((h >= 8) & (h < 20)) + rng.uniform(0.0, 30.0, HOURS)
    # a within-hour shape that peaks in one quarter: the hourly mean hides up to 20 % of it
    swing = rng.uniform(0.0, 0.2, (HOURS, STEPS)) * hourly[:, None]
    swing -= swing.mean(axis=1, keepdims=True)
    return np.asarray((hourly[:, None] + swing).ravel(), dtype=float)


def _pair(seed: int, *, pv: PVOptions, battery: Battery) -> tuple[SiteProblem, SiteProblem]:
    """The same site on quarter-hours and on hours with the within-hour excess."""
    load_q = _quarter_hour_load(seed)
    h = np.arange(HOURS) % 24
    pv_h = np.clip(np.sin((h - 6) / 12 * np.pi), 0.0, None)
    price_h = np.where((h >= 17) & (h < 22), 1.2, np.where(h < 7, 0.3, 0.7))
    day_h = (np.arange(HOURS) // 24).astype(np.int64)
    common = dict(
        export_price_yuan_per_kwh=0.3,
        demand_charge_yuan_per_kw_month=40.0,
        export_limit_kw=0.0,
        pv=pv,
        battery=battery,
        economics=Economics(analysis_years=10, discount_rate=0.05),
    )
    quarter = SiteProblem(
        load_kw=load_q,
        pv_kw_per_kwp=np.repeat(pv_h, STEPS),
        import_price_yuan_per_kwh=np.repeat(price_h, STEPS),
        month=np.zeros(HOURS * STEPS, dtype=np.int64),
        day=np.repeat(day_h, STEPS),
        dt_hours=1.0 / STEPS,
        **common,  # type: ignore[arg-type]
    )
    mean, excess = within_interval_excess(load_q, STEPS)
    hourly = SiteProblem(
        load_kw=mean,
        pv_kw_per_kwp=pv_h,
        import_price_yuan_per_kwh=price_h,
        month=np.zeros(HOURS, dtype=np.int64),
        day=day_h,
        dt_hours=1.0,
        demand_excess_kw=excess,
        **common,  # type: ignore[arg-type]
    )
    return quarter, hourly


def test_hourly_with_excess_equals_the_quarter_hour_lp() -> None:
    # PV (at most 80 kW) below every quarter-hour load (>= 120 kW) and no battery: import is
    # positive in every quarter, so the hour's peak quarter import is the hourly import plus
    # the load excess exactly, and the energy is the same; both LPs have one optimum.
    pv = PVOptions(capex_yuan_per_kwp=20.0, om_yuan_per_kwp_year=0.1, max_kwp=80.0)
    quarter, hourly = _pair(1, pv=pv, battery=Battery(fixed_kw=0.0, fixed_kwh=0.0))
    assert quarter.load_kw.min() > 80.0
    q, h = optimize_dispatch(quarter).dispatch, optimize_dispatch(hourly).dispatch
    assert h.objective_yuan == pytest.approx(q.objective_yuan, rel=OBJ_RTOL)
    assert h.pv_kwp == pytest.approx(q.pv_kwp, rel=1e-6)
    np.testing.assert_allclose(h.monthly_peak_kw, q.monthly_peak_kw, rtol=1e-9)
    # and the hourly bill's demand part is the quarter-hour one
    _, demand_h, _, _ = bill_parts(hourly, h.grid_import_kw, h.grid_export_kw)
    _, demand_q, _, _ = bill_parts(quarter, q.grid_import_kw, q.grid_export_kw)
    assert demand_h == pytest.approx(demand_q, rel=1e-9)
    # without the excess the hourly LP would bill less demand than the meter
    plain = dataclasses.replace(hourly, demand_excess_kw=None)
    assert optimize_dispatch(plain).dispatch.demand_cost_yuan < 0.95 * demand_q


def test_with_a_battery_the_hourly_lp_is_an_upper_bound() -> None:
    # a battery could shave a single quarter within the hour, which the hourly LP (constant
    # dispatch within the hour) cannot: its optimum bounds the quarter-hour one from above
    pv = PVOptions(capex_yuan_per_kwp=20.0, om_yuan_per_kwp_year=0.1, max_kwp=80.0)
    battery = Battery(capex_yuan_per_kwh=8.0, capex_yuan_per_kw=1.0, om_yuan_per_kw_year=0.0)
    quarter, hourly = _pair(2, pv=pv, battery=battery)
    q, h = optimize_dispatch(quarter).dispatch, optimize_dispatch(hourly).dispatch
    assert h.objective_yuan >= q.objective_yuan * (1 - OBJ_RTOL)


def test_excess_by_hand_and_checks() -> None:
    mean, excess = within_interval_excess(np.array([10.0, 14.0, 12.0, 12.0, 5.0, 5.0, 5.0, 9.0]), 4)
    np.testing.assert_array_equal(mean, [12.0, 6.0])
    np.testing.assert_array_equal(excess, [2.0, 3.0])
    with pytest.raises(PeakzeroError, match="do not split"):
        within_interval_excess(np.ones(6), 4)
