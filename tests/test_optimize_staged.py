"""The staged dual simplex solve (sizes fixed first, freed last) reaches the one-shot optimum."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from site_cases import tiny

from peakzero.optimize import PVOptions, SiteProblem, SiteTargets, build_site_lp, solve_site_lp
from peakzero.optimize.solve import (
    GUESS_BUDGET_SHARE,
    GUESS_KW_PER_KWH,
    GUESS_MAX_HOURS,
    size_guess,
    staged_sizes,
)
from peakzero.storage import Battery

# The staged solve's last stage is the model itself, solved to the same 1e-9 HiGHS tolerances:
# both objectives are vertices of the same LP, so they agree to round-off; 1e-9 relative is the
# acceptance criterion of the change (far above the ~1e-15 seen) and far below any cost that
# matters.
OBJ_RTOL = 1e-9
# Guesses are products and sums of a few floats: 1e-12 relative covers their round-off.
GUESS_RTOL = 1e-12

SITES = Path(__file__).resolve().parents[1] / "examples" / "sites"


def _both(p: SiteProblem) -> tuple[str, float, str, float]:
    model = build_site_lp(p)
    staged, one_shot = solve_site_lp(model), solve_site_lp(model, staged=False)
    return staged.status, staged.objective_yuan, one_shot.status, one_shot.objective_yuan


def test_guess_by_hand_without_budget() -> None:
    p = tiny(1)  # PV max 400 kWp, battery bounds the defaults (1e5 kW, 4e5 kWh)
    peak = float(p.load_kw.max())
    kwh = GUESS_MAX_HOURS * peak  # 4 h of the peak load, far below 4e5 kWh
    expected = [400.0, GUESS_KW_PER_KWH * kwh, kwh]
    np.testing.assert_allclose(size_guess(build_site_lp(p)), expected, rtol=GUESS_RTOL)


def test_guess_scaled_into_the_budget_by_hand() -> None:
    p = tiny(2, targets=SiteTargets(capex_budget_yuan=5_000.0))
    peak = float(p.load_kw.max())
    full = np.array([400.0, 2.0 * peak, 4.0 * peak])
    capex = np.array([20.0, 1.0, 8.0])  # tiny(): yuan per kWp, per kW, per kWh
    scale = GUESS_BUDGET_SHARE * 5_000.0 / float(capex @ full)
    assert scale < 1.0  # the budget binds on the guess
    guess = size_guess(build_site_lp(p))
    np.testing.assert_allclose(guess, scale * full, rtol=GUESS_RTOL)
    assert float(capex @ guess) == pytest.approx(0.98 * 5_000.0, rel=GUESS_RTOL)


def test_guess_keeps_fixed_and_minimum_sizes() -> None:
    battery = Battery(capex_yuan_per_kwh=8.0, capex_yuan_per_kw=1.0, fixed_kw=50.0, fixed_kwh=100.0)
    p = dataclasses.replace(
        tiny(3, targets=SiteTargets(capex_budget_yuan=3_000.0)),
        pv=PVOptions(capex_yuan_per_kwp=20.0, min_kwp=10.0, max_kwp=400.0),
        battery=battery,
    )
    # fixed battery spends 50 + 800 yuan; PV spends 200 at its minimum: room 0.98 x 3000 - 1050
    room = GUESS_BUDGET_SHARE * 3_000.0 - 1_050.0
    expected = [10.0 + room / (20.0 * 390.0) * 390.0, 50.0, 100.0]
    model = build_site_lp(p)
    np.testing.assert_allclose(size_guess(model), expected, rtol=GUESS_RTOL)
    # the battery is fixed: one stage (the guess), then the model itself
    stages = staged_sizes(model)
    assert len(stages) == 1
    np.testing.assert_allclose(stages[0], expected, rtol=GUESS_RTOL)


def test_stages_battery_free_first_and_none_when_all_fixed() -> None:
    model = build_site_lp(tiny(4))
    guess = size_guess(model)
    first, second = staged_sizes(model)
    np.testing.assert_array_equal(first, [guess[0], 0.0, 0.0])
    np.testing.assert_array_equal(second, guess)
    fixed = dataclasses.replace(
        tiny(4),
        pv=PVOptions(fixed_kwp=100.0),
        battery=Battery(fixed_kw=20.0, fixed_kwh=40.0),
    )
    assert staged_sizes(build_site_lp(fixed)) == []


def test_same_optimum_when_the_battery_free_stage_is_infeasible() -> None:
    p = tiny(5, hours=72)
    # renewable share PV alone can reach at most (no battery, PV at its maximum, no export)
    pv_kw = p.pv.max_kwp * p.pv_kw_per_kwp * p.pv_levelisation
    direct = float(np.minimum(pv_kw, p.load_kw).sum() / p.load_kw.sum())
    p = dataclasses.replace(p, targets=SiteTargets(min_renewable_share=direct + 0.02))
    model = build_site_lp(p)
    no_battery = staged_sizes(model)[0]
    stage = dataclasses.replace(
        model,
        col_lower=np.concatenate([no_battery, model.col_lower[3:]]),
        col_upper=np.concatenate([no_battery, model.col_upper[3:]]),
    )
    assert solve_site_lp(stage, staged=False).status == "infeasible"  # the stage this test is about
    s_status, s_obj, o_status, o_obj = _both(p)
    assert s_status == o_status == "optimal"
    assert s_obj == pytest.approx(o_obj, rel=OBJ_RTOL)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    limit=st.sampled_from([None, 0.0, 25.0]),
    cycles=st.sampled_from([None, 1.0]),
    demand=st.sampled_from([0.0, 40.0]),
    co2=st.sampled_from([None, 0.2, 0.6]),
    renewable=st.sampled_from([None, 0.3]),
    budget=st.sampled_from([None, 3_000.0, 20_000.0]),
    fixed_battery=st.booleans(),
)
def test_property_staged_equals_one_shot(
    seed: int,
    limit: float | None,
    cycles: float | None,
    demand: float,
    co2: float | None,
    renewable: float | None,
    budget: float | None,
    fixed_battery: bool,
) -> None:
    p = tiny(
        seed,
        export_limit_kw=limit,
        cycles=cycles,
        demand=demand,
        targets=SiteTargets(
            min_co2_reduction_fraction=co2, min_renewable_share=renewable, capex_budget_yuan=budget
        ),
    )
    if fixed_battery:
        p = dataclasses.replace(
            p, battery=dataclasses.replace(p.battery, fixed_kw=30.0, fixed_kwh=60.0)
        )
    s_status, s_obj, o_status, o_obj = _both(p)
    assert s_status == o_status  # infeasible cases stay infeasible
    if o_status == "optimal":
        assert s_obj == pytest.approx(o_obj, rel=OBJ_RTOL)


def test_example_site_full_year_same_optimum() -> None:
    from peakzero.site import load_site, prepare_site

    # Jinan: fixed battery, capex budget binding on PV, CO2 target (the guess is budget-scaled)
    p = prepare_site(load_site(SITES / "jinan_cold_storage" / "SITE.toml")).problem
    s_status, s_obj, o_status, o_obj = _both(p)
    assert s_status == o_status == "optimal"
    assert s_obj == pytest.approx(o_obj, rel=OBJ_RTOL)
