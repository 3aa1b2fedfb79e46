"""Targets out of reach found before the LP (peakzero.optimize.reach): the bound is hand-checked
on a two-hour site, never below the LP's true best (maximised by HiGHS on random sites), and
its message names only settings that were set, with their values."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from site_cases import tiny

from peakzero.errors import PeakzeroError
from peakzero.optimize import PVOptions, SiteTargets, build_site_lp, optimize_dispatch
from peakzero.optimize.reach import (
    SCREEN_SHARE,
    best_share,
    budget_split_share,
    reachable_share,
    unreachable,
)
from peakzero.optimize.solve import diagnose_infeasible, is_feasible, solve_site_lp

#: Two LP optima compared to the bound: HiGHS solves at 1e-9 feasibility tolerance, so its
#: best share may exceed the true one by about 1e-9 relative; 1e-7 covers that with margin.
LP_TOL = 1e-7


def test_bound_by_hand_on_two_hours() -> None:
    p = tiny(0, hours=2)
    p = dataclasses.replace(
        p,
        load_kw=np.array([100.0, 100.0]),
        pv_kw_per_kwp=np.array([1.0, 0.0]),
        day=np.array([0, 0]),
    )
    eta = max(
        p.battery.round_trip_efficiency,
        p.battery.charge_efficiency * p.battery.discharge_efficiency,
    )
    # 150 kWp: 100 kWh direct, 50 kWh surplus -> 50 eta kWh later; 200 kWh of load
    assert reachable_share(p, 150.0, np.inf) == pytest.approx((100.0 + 50.0 * eta) / 200.0)
    # one cycle a day of a 10 kWh battery caps the stored part at 10 kWh
    assert reachable_share(p, 150.0, 10.0) == pytest.approx(110.0 / 200.0)
    # no battery: direct only
    assert reachable_share(p, 150.0, 0.0) == pytest.approx(0.5)
    # 500 kWp: 400 kWh surplus; the CO2 cut stops at all of the load, the renewable row does not
    assert reachable_share(p, 500.0, np.inf, co2=True) == pytest.approx(1.0)
    assert reachable_share(p, 500.0, np.inf) == pytest.approx((100.0 + 400.0 * eta) / 200.0)


def _lp_best(p, row: str, sign: float) -> float:  # type: ignore[no-untyped-def]
    """The LP's true best value of a target row's share of the load, maximised by HiGHS."""
    model = build_site_lp(p)
    r = model.rows[row].start
    coef = model.a.tocsr()[r].toarray().ravel()
    blind = dataclasses.replace(model, c=sign * coef, offset=0.0)
    solution = solve_site_lp(blind, staged=False)
    assert solution.status == "optimal"
    total = float(p.load_kw.sum() * p.dt_hours)
    value = float(coef @ solution.x)
    return 1.0 - value / total if row == "co2" else value / total


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    max_kwp=st.floats(10.0, 800.0),
    export=st.sampled_from([0.0, None, 50.0]),
    cycles=st.sampled_from([None, 1.0, 2.0]),
    battery_export=st.booleans(),
)
def test_bound_is_never_below_the_lp_best(
    seed: int, max_kwp: float, export: float | None, cycles: float | None, battery_export: bool
) -> None:
    targets = SiteTargets(min_co2_reduction_fraction=0.0, min_renewable_share=0.0)
    p = tiny(
        seed,
        max_kwp=max_kwp,
        export_limit_kw=export,
        cycles=cycles,
        battery_export=battery_export,
        targets=targets,
    )
    kwh = float(build_site_lp(p).col_upper[build_site_lp(p).columns.index("batt_kwh")])
    co2 = _lp_best(p, "co2", 1.0)  # minimise imports
    ren = _lp_best(p, "renewable", -1.0)  # maximise PV served
    assert co2 <= reachable_share(p, max_kwp, kwh, co2=True) * (1 + LP_TOL)
    assert ren <= reachable_share(p, max_kwp, kwh) * (1 + LP_TOL)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    budget=st.floats(500.0, 30_000.0),
    cycles=st.sampled_from([None, 1.0, 2.0]),
    co2=st.booleans(),
)
def test_budget_split_bound_is_never_below_the_lp_best(
    seed: int, budget: float, cycles: float | None, co2: bool
) -> None:
    """The bound over the budget's split between PV and battery holds for the LP's true best
    with the budget row kept (tiny sites: PV at 20 yuan/kWp, battery at 8 yuan/kWh)."""
    targets = SiteTargets(
        min_co2_reduction_fraction=0.0, min_renewable_share=0.0, capex_budget_yuan=budget
    )
    p = tiny(seed, max_kwp=800.0, cycles=cycles, targets=targets)
    best = _lp_best(p, "co2", 1.0) if co2 else _lp_best(p, "renewable", -1.0)
    assert best <= budget_split_share(p, build_site_lp(p), co2=co2) * (1 + LP_TOL)


#: A CO2 cut and a capex budget that conflict only together on tiny site 11 (800 kWp roof,
#: 15,000 yuan): alone the roof reaches a cut of 1.0 and the budget allows zero sizes; the
#: closed form with the budget's best split allows 0.707, the LP with the budget kept 0.672.
COMBINED = dict(seed=11, max_kwp=800.0)


def test_target_and_budget_that_conflict_only_together_are_refused_naming_both() -> None:
    alone = tiny(**COMBINED, targets=SiteTargets(min_co2_reduction_fraction=0.69))  # type: ignore[arg-type]
    assert unreachable(alone, build_site_lp(alone)) is None  # the cut alone is reachable
    targets = SiteTargets(min_co2_reduction_fraction=0.69, capex_budget_yuan=15_000.0)
    p = tiny(**COMBINED, targets=targets)  # type: ignore[arg-type]
    model = build_site_lp(p)
    kwh = float(model.col_upper[model.columns.index("batt_kwh")])
    assert reachable_share(p, 750.0, kwh, co2=True) > 0.69 / SCREEN_SHARE  # bound cannot tell
    why = unreachable(p, model)
    assert why is not None
    assert "targets.min_co2_reduction_fraction = 0.69 cannot be reached" in why
    assert "targets.capex_budget_yuan = 15000" in why and "pv.max_kwp = 800" in why
    best = best_share(p, model, "min_co2_reduction_fraction")
    assert best is not None and 0.6 < best < 0.69 and f"{best:.4f}" in why
    assert "renewable" not in why and "battery.m" not in why  # nothing that was not set
    with pytest.raises(PeakzeroError) as info:
        optimize_dispatch(p)
    assert str(info.value) == why and info.value.field == "targets"


def test_budget_split_bound_refuses_without_an_lp() -> None:
    """Above the split bound (0.707) the closed form refuses, naming the budget and the two
    prices it is split at (the defaults of the tiny site, by name and value)."""
    targets = SiteTargets(min_co2_reduction_fraction=0.75, capex_budget_yuan=15_000.0)
    p = tiny(**COMBINED, targets=targets)  # type: ignore[arg-type]
    why = unreachable(p, build_site_lp(p))
    assert why is not None
    assert "min_co2_reduction_fraction = 0.75 cannot be reached (at most 0.707)" in why
    assert "targets.capex_budget_yuan = 15000" in why
    assert "pv.capex_yuan_per_kwp = 20" in why and "battery.capex_yuan_per_kwh = 8" in why


def test_two_targets_screened_together_name_each_other() -> None:
    """With both targets set, the screen for one keeps the other's row and names it."""
    targets = SiteTargets(
        min_co2_reduction_fraction=0.69, min_renewable_share=0.3, capex_budget_yuan=15_000.0
    )
    p = tiny(**COMBINED, targets=targets)  # type: ignore[arg-type]
    why = unreachable(p, build_site_lp(p))
    assert why is not None
    assert "targets.min_co2_reduction_fraction = 0.69 cannot be reached" in why
    assert "targets.min_renewable_share = 0.3" in why and "targets.capex_budget_yuan" in why


def test_out_of_reach_co2_target_is_refused_before_the_lp() -> None:
    p = tiny(5, max_kwp=50.0, targets=SiteTargets(min_co2_reduction_fraction=0.95))
    why = unreachable(p, build_site_lp(p))
    assert why is not None
    assert "targets.min_co2_reduction_fraction = 0.95" in why
    assert "pv.max_kwp = 50" in why
    assert "renewable" not in why and "budget" not in why
    with pytest.raises(PeakzeroError) as info:
        optimize_dispatch(p)
    assert str(info.value) == why and info.value.field == "targets"


def test_budget_that_caps_pv_is_named() -> None:
    p = tiny(6, targets=SiteTargets(min_renewable_share=0.3, capex_budget_yuan=100.0))
    why = unreachable(p, build_site_lp(p))
    assert why is not None
    assert "targets.capex_budget_yuan = 100" in why and "min_renewable_share = 0.3" in why
    assert "pv.max_kwp" not in why  # the budget, not the roof, limits PV here


def test_fixed_sizes_over_budget_are_named() -> None:
    p = dataclasses.replace(
        tiny(7, targets=SiteTargets(capex_budget_yuan=1000.0)), pv=PVOptions(fixed_kwp=300.0)
    )
    why = unreachable(p, build_site_lp(p))
    assert why is not None
    assert "pv.fixed_kwp = 300" in why and "targets.capex_budget_yuan = 1000" in why
    assert "900,000 yuan" in why  # 300 kWp x 3000 yuan/kWp (the PVOptions default capex)


def test_reachable_target_goes_on_to_the_lp() -> None:
    p = tiny(5, max_kwp=400.0, targets=SiteTargets(min_co2_reduction_fraction=0.05))
    assert unreachable(p, build_site_lp(p)) is None
    assert optimize_dispatch(p).dispatch.pv_kwp > 0.0


@pytest.mark.parametrize("target", ["min_co2_reduction_fraction", "min_renewable_share"])
def test_screen_lp_gives_the_exact_reach(target: str) -> None:
    """Between the LP's true best and the closed-form bound the screening LP refuses the target
    with the best value; just below the best the site solves (so the screen's value is exact
    to the margins used here: 1e-3 above, 1e-3 below)."""
    p = tiny(11, max_kwp=300.0, targets=SiteTargets(**{target: 0.0}))  # type: ignore[arg-type]
    model = build_site_lp(p)
    best = best_share(p, model, target)
    assert best is not None
    kwh = float(model.col_upper[model.columns.index("batt_kwh")])
    bound = reachable_share(p, 300.0, kwh, co2=target.startswith("min_co2"))
    above = best + 1e-3
    assert SCREEN_SHARE * bound < above < bound  # the closed form cannot tell; the screen can
    over = dataclasses.replace(p, targets=SiteTargets(**{target: above}))  # type: ignore[arg-type]
    why = unreachable(over, build_site_lp(over))
    assert why is not None and f"targets.{target} = {above:g}" in why
    assert f"{best:.4f}" in why and "pv.max_kwp = 300" in why
    under = dataclasses.replace(p, targets=SiteTargets(**{target: best - 1e-3}))  # type: ignore[arg-type]
    assert unreachable(under, build_site_lp(under)) is None
    optimize_dispatch(under)  # feasible: no error


def test_lp_diagnosis_still_names_the_culprits_when_called() -> None:
    """The feasibility diagnosis behind the reach check (reached when neither the closed form
    nor the screen can tell) still names the set constraints whose relaxation helps."""
    p = tiny(6, targets=SiteTargets(min_renewable_share=0.3, capex_budget_yuan=100.0))
    model = build_site_lp(p)
    assert solve_site_lp(model).status == "infeasible"
    message = diagnose_infeasible(model)
    assert "capex_budget_yuan" in message and "min_renewable_share" in message
    assert "min_co2" not in message


def test_feasibility_solve_out_of_time_is_not_called_feasible() -> None:
    model = build_site_lp(tiny(3, hours=24 * 14))
    assert is_feasible(model)
    assert not is_feasible(model, time_limit_s=1e-9)  # HiGHS stops at once: not shown feasible
