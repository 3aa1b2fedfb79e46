"""The pathway LP on cases small enough to solve by hand, duals by finite differences, and the
property that a tighter target never costs less."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peakzero.pathway import (
    Cap,
    Measure,
    PathwayProblem,
    PathwayTargets,
    builtin_measure,
    solve_pathway_lp,
)
from peakzero.pathway.measures import chapman_richards_sink, pv_storage_measure
from peakzero.pathway.results import macc, roadmap, target_costs, trajectories

LP_TOL = 1e-6
"""Relative tolerance on LP optima: HiGHS' default primal/dual feasibility tolerance is 1e-7."""

COST_TOL = 1e-6
"""Relative tolerance when comparing two optimal objectives of related LPs."""


def _years(first: int, last: int) -> np.ndarray:
    return np.arange(first, last + 1, dtype=np.int64)


def _efficiency(capex: float, life: int, opex: float = 0.0, earliest: int = 2025) -> Measure:
    """A fuel efficiency measure cutting 1 tCO2/yr per unit."""
    return Measure(
        name="eff",
        kind="custom",
        unit="tCO2/yr",
        capex_yuan_per_unit=capex,
        opex_yuan_per_unit_year=opex,
        lifetime_years=life,
        earliest_year=earliest,
        max_units_per_year=1e6,
        acts_on="fuels",
        direct_t_by_age=(1.0,) * life,
    )


def _ccer(price: float) -> Measure:
    return builtin_measure(
        "ccer", "ccer", earliest_year=2025, max_units_per_year=1e6, opex_yuan_per_unit_year=price
    )


def test_ccer_neutrality_by_hand() -> None:
    # fuels 100 t/yr in 2025-2027, net zero in 2027 only, CCER at 80 yuan/t, r = 10 %:
    # buy 100 t in 2027, cost 100 x 80 / 1.1^2 = 6611.570 yuan; relaxing net by 1 t saves
    # 80 / 1.1^2 = 66.116 yuan (present value) = 80 yuan in 2027 money.
    years = _years(2025, 2027)
    p = PathwayProblem(
        years, {"fuels": np.full(3, 100.0)}, np.zeros(3), np.full(3, 0.5), (_ccer(80.0),),
        PathwayTargets(peak_year=None, neutral_year=2027), discount_rate=0.1,
    )  # fmt: skip
    built, sol = solve_pathway_lp(p)
    assert sol.optimal
    assert sol.objective_yuan == pytest.approx(8000 / 1.21, rel=LP_TOL)
    np.testing.assert_allclose(sol.units_installed[0], [0, 0, 100], atol=1e-6)
    np.testing.assert_allclose(sol.net_t, [100, 100, 0], atol=1e-6)
    (tc,) = target_costs(p, built, sol)
    assert tc.target == "neutral" and tc.year == 2027
    assert tc.saving_yuan_per_unit == pytest.approx(80 / 1.21, rel=LP_TOL)
    assert tc.saving_yuan_per_unit_in_year == pytest.approx(80.0, rel=LP_TOL)


@pytest.mark.parametrize("capex_mode", ["upfront_salvage", "annuity"])
def test_peak_with_one_measure_by_hand(capex_mode: str) -> None:
    # fuels grow 10 %/yr: 100, 110, 121, 133.1, 146.41 t (2025-2029); peak by 2026 means
    # e2027 <= e2026, e2028 <= e2027, e2029 <= e2028. Least abatement keeps emissions at 110:
    # 11, 23.1, 36.41 t in 2027-2029. One unit cuts 1 t/yr, capex 100 yuan, life 10, r = 0.
    # Upfront with linear salvage: a unit costs 100 x (years used in horizon)/10 = 10 yuan per
    # active year, as does the annuity 100/10 at r = 0, so cost = 10 x (11 + 23.1 + 36.41)
    # = 705.1 yuan whichever the install years.
    years = _years(2025, 2029)
    base = 100.0 * 1.1 ** np.arange(5)
    p = PathwayProblem(
        years, {"fuels": base}, np.zeros(5), np.zeros(5), (_efficiency(100.0, 10),),
        PathwayTargets(peak_year=2026, neutral_year=None), discount_rate=0.0,
        capex_mode=capex_mode,  # type: ignore[arg-type]
    )  # fmt: skip
    built, sol = solve_pathway_lp(p)
    assert sol.optimal
    assert sol.objective_yuan == pytest.approx(705.1, rel=LP_TOL)
    np.testing.assert_allclose(sol.gross_t, [100, 110, 110, 110, 110], rtol=LP_TOL)
    traj = trajectories(p, sol)
    np.testing.assert_allclose(traj.gross_t, sol.gross_t, rtol=LP_TOL)  # LP rows = read-back
    rows = roadmap(p, built, sol)
    abate = {r.year: r.abatement_t for r in rows}
    assert abate[2029] == pytest.approx(36.41, rel=LP_TOL)


def test_salvage_value_by_hand() -> None:
    # One year of horizon (2025-2027, need 5 t in 2027 only), unit life 4, capex 100, r = 5 %.
    # Installed in 2027 (index 2): cost 100/1.05^2 - salvage 100 x 3/4 / 1.05^3 = 90.703 - 64.788
    # = 25.915 per unit; earlier installs cost more (they pay for unused years), so 5 units
    # cost 129.575 yuan.
    years = _years(2025, 2027)
    p = PathwayProblem(
        years, {"fuels": np.full(3, 5.0)}, np.zeros(3), np.zeros(3), (_efficiency(100.0, 4),),
        PathwayTargets(peak_year=None, neutral_year=2027), discount_rate=0.05,
    )  # fmt: skip
    _, sol = solve_pathway_lp(p)
    per_unit = 100 / 1.05**2 - 100 * 0.75 / 1.05**3
    assert sol.objective_yuan == pytest.approx(5 * per_unit, rel=LP_TOL)
    np.testing.assert_allclose(sol.units_installed[0], [0, 0, 5], atol=1e-6)


def test_grid_factor_decides_pv_versus_ccer() -> None:
    # Purchased electricity 1000 MWh/yr, net zero in 2027 only. A kW of PV (1 MWh/yr, life 1,
    # capex 100 yuan, no saving) avoids EF(2027) t: at EF 0.3 that is 100/0.3 = 333 yuan/t,
    # dearer than CCER at 300 yuan/t, so 300 t of CCER (90,000 yuan); on a flat grid at 0.5 PV
    # costs 200 yuan/t and 1000 kW (100,000 yuan < 500 t x 300) wins.
    years = _years(2025, 2027)
    pv = pv_storage_measure(
        "pv", kwh_per_kw_year=1000, capex_yuan_per_kw=100, annual_saving_yuan_per_kw=0,
        om_yuan_per_kw_year=0, earliest_year=2025, max_units_per_year=5000, lifetime_years=1,
        cost_decline_per_year=0.0,
    )  # fmt: skip
    measures = (pv, _ccer(300.0))
    falling = PathwayProblem(
        years, {}, np.full(3, 1000.0), np.array([0.5, 0.4, 0.3]), measures,
        PathwayTargets(peak_year=None, neutral_year=2027), discount_rate=0.0,
    )  # fmt: skip
    _, sol = solve_pathway_lp(falling)
    assert sol.objective_yuan == pytest.approx(90_000, rel=LP_TOL)
    np.testing.assert_allclose(sol.units_installed[:, 2], [0, 300], atol=1e-6)
    flat = replace(falling, ef_t_per_mwh=np.full(3, 0.5))
    _, sol = solve_pathway_lp(flat)
    assert sol.objective_yuan == pytest.approx(100_000, rel=LP_TOL)
    np.testing.assert_allclose(sol.units_installed[:, 2], [1000, 0], atol=1e-6)


def test_abatement_capped_by_source() -> None:
    # A cheap efficiency measure (negative cost) may not cut more than the source emits (40 t),
    # even with 1e6 units allowed per year.
    years = _years(2025, 2027)
    p = PathwayProblem(
        years, {"fuels": np.full(3, 40.0), "process": np.full(3, 60.0)}, np.zeros(3),
        np.zeros(3), (_efficiency(0.0, 1, opex=-5.0),), PathwayTargets(None, None),
        discount_rate=0.0,
    )  # fmt: skip
    _, sol = solve_pathway_lp(p)
    np.testing.assert_allclose(sol.gross_t, [60, 60, 60], atol=1e-6)
    assert sol.objective_yuan == pytest.approx(-5 * 40 * 3, rel=LP_TOL)


def test_afforestation_sink_grows_with_age() -> None:
    # Sink per ha by age (0, 0, 6, 6, 6) t, life 5, capex 100 yuan/ha, r = 0, net zero in 2027
    # for 10 t of fuels: only stands planted in 2025 absorb in 2027: 10/6 = 1.6667 ha.
    # Cost with linear salvage: 1.6667 x 100 x (1 - 2/5) = 100 yuan.
    forest = Measure(
        "forest", "afforestation", "ha", 100.0, 0.0, 5, 2025, 1e6,
        sink_t_by_age=(0.0, 0.0, 6.0, 6.0, 6.0),
    )  # fmt: skip
    p = PathwayProblem(
        _years(2025, 2027), {"fuels": np.full(3, 10.0)}, np.zeros(3), np.zeros(3), (forest,),
        PathwayTargets(peak_year=None, neutral_year=2027), discount_rate=0.0,
    )  # fmt: skip
    _, sol = solve_pathway_lp(p)
    np.testing.assert_allclose(sol.units_installed[0], [10 / 6, 0, 0], atol=1e-6)
    assert sol.objective_yuan == pytest.approx(100.0, rel=LP_TOL)
    traj = trajectories(p, sol)
    np.testing.assert_allclose(traj.sinks_t, [0, 0, 10], atol=1e-6)


def test_chapman_richards_curve() -> None:
    # C(a) = 220 (1 - exp(-0.05 a))^2: sink at age 0 = C(1) = 220 x 0.048771^2 = 0.5233 t/ha;
    # the sinks sum to the stock at the end of life.
    sink = chapman_richards_sink(220.0, 0.05, 2.0, 60)
    assert sink[0] == pytest.approx(220 * (1 - math.exp(-0.05)) ** 2, rel=1e-12)
    assert sum(sink) == pytest.approx(220 * (1 - math.exp(-3.0)) ** 2, rel=1e-12)
    assert int(np.argmax(sink)) in (13, 14)  # stock inflection at ln(2)/0.05 = 13.9 yr


def test_learning_and_stock_limit() -> None:
    # CCER-like 1-year measure with learning 50 %/yr on capex 80: 2025 80, 2026 40, 2027 20
    # yuan/t. Cap net <= 0 in 2026 and 2027 (r = 0): 100 t x 40 + 100 t x 20 = 6000 yuan.
    offset = Measure(
        "o", "custom", "tCO2", 80.0, 0.0, 1, 2025, 1e6, cost_decline_per_year=0.5,
        offset_t_by_age=(1.0,),
    )  # fmt: skip
    p = PathwayProblem(
        _years(2025, 2027), {"fuels": np.full(3, 100.0)}, np.zeros(3), np.zeros(3), (offset,),
        PathwayTargets(peak_year=None, neutral_year=2026), discount_rate=0.0,
    )  # fmt: skip
    _, sol = solve_pathway_lp(p)
    assert sol.objective_yuan == pytest.approx(6000.0, rel=LP_TOL)
    # a stock limit of 50 units active makes the target infeasible
    _, sol = solve_pathway_lp(replace(p, measures=(replace(offset, max_units_total=50.0),)))
    assert sol.status == "infeasible"


def test_dual_matches_finite_difference() -> None:
    # The saving reported from the dual of a cap equals the drop in cost when the cap is raised
    # by delta (the LP is piecewise linear in the bound; delta stays inside one piece).
    years = _years(2025, 2030)
    base = np.array([100.0, 104, 108, 112, 116, 120])
    measures = (_efficiency(300.0, 10, opex=-10.0), _ccer(90.0))
    p = PathwayProblem(
        years, {"fuels": base}, np.zeros(6), np.zeros(6), measures,
        PathwayTargets(peak_year=2027, neutral_year=None, caps=(Cap(2030, 50.0, "net"),)),
        discount_rate=0.05,
    )  # fmt: skip
    built, sol = solve_pathway_lp(p)
    costs = {(tc.target, tc.year): tc.saving_yuan_per_unit for tc in target_costs(p, built, sol)}
    delta = 0.5
    looser = replace(p, targets=replace(p.targets, caps=(Cap(2030, 50.0 + delta, "net"),)))
    fd = (sol.objective_yuan - solve_pathway_lp(looser)[1].objective_yuan) / delta
    assert costs[("cap 2030", 2030)] == pytest.approx(fd, rel=1e-6)
    # the peak rows are binding too; check one by relaxing its year
    assert any(t == "peak" for t, _ in costs)


def test_budget_dual_by_hand() -> None:
    # 10 t of fuels, net zero in 2027 only, r = 0. Efficiency (capex 100 yuan per t/yr, life 1)
    # would cost 1000 yuan; with 500 yuan of capex per year it buys 5 t and CCER at 300 yuan/t
    # covers the other 5: 500 + 1500 = 2000 yuan. One more yuan of budget in 2027 swaps
    # 0.01 t of CCER (3 yuan) for 0.01 unit of efficiency (1 yuan): it saves 2 yuan.
    p = PathwayProblem(
        _years(2025, 2027), {"fuels": np.full(3, 10.0)}, np.zeros(3), np.zeros(3),
        (_efficiency(100.0, 1), _ccer(300.0)),
        PathwayTargets(peak_year=None, neutral_year=2027, budget_yuan_per_year=500.0),
        discount_rate=0.0,
    )  # fmt: skip
    built, sol = solve_pathway_lp(p)
    assert sol.objective_yuan == pytest.approx(2000.0, rel=LP_TOL)
    costs = {(tc.target, tc.year): tc for tc in target_costs(p, built, sol)}
    assert costs[("budget", 2027)].saving_yuan_per_unit == pytest.approx(2.0, rel=LP_TOL)
    assert costs[("neutral", 2027)].saving_yuan_per_unit == pytest.approx(300.0, rel=LP_TOL)


def test_macc_levelised_cost_by_hand() -> None:
    # CCER at 80 yuan/t costs 80 yuan/t; efficiency capex 1000, life 2, opex 0, r = 0, 1 t/yr:
    # (1000 + 0) / (1 + 1) = 500 yuan/t. Potential 2026: efficiency min(2 x 10 units, 30 t) =
    # 20 t, CCER 15 t/yr.
    eff = replace(_efficiency(1000.0, 2), max_units_per_year=10.0)
    ccer = replace(_ccer(80.0), max_units_per_year=15.0)
    p = PathwayProblem(
        _years(2025, 2027), {"fuels": np.full(3, 30.0)}, np.zeros(3), np.zeros(3), (eff, ccer),
        PathwayTargets(None, None), discount_rate=0.0,
    )  # fmt: skip
    rows = macc(p, None, 2026)
    assert [r.measure for r in rows] == ["ccer", "eff"]
    assert rows[0].cost_yuan_per_t == pytest.approx(80.0)
    assert rows[1].cost_yuan_per_t == pytest.approx(500.0)
    assert rows[1].potential_t == pytest.approx(20.0)
    assert rows[1].cumulative_potential_t == pytest.approx(35.0)


# --- a tighter target never costs less --------------------------------------------------------


def _random_problem(seed: int) -> PathwayProblem:
    rng = np.random.default_rng(seed)
    years = _years(2025, 2045)
    n = len(years)
    growth = rng.uniform(-0.01, 0.05)
    fuels = 1000.0 * (1 + growth) ** np.arange(n)
    elec = 2000.0 * (1 + rng.uniform(0.0, 0.04)) ** np.arange(n)
    ef = 0.55 * (1 - rng.uniform(0.0, 0.04)) ** np.arange(n)
    kinds = ["efficiency_fuel", "pv_storage", "heat_pump", "green_power", "ccer", "afforestation"]
    measures = tuple(
        builtin_measure(
            k, k, earliest_year=2025 + int(rng.integers(0, 5)),
            max_units_per_year=float(rng.uniform(50, 500)) * (10 if k == "ccer" else 1),
            acts_on="fuels" if k in ("efficiency_fuel", "heat_pump") else None,
        )
        for k in kinds
    )  # fmt: skip
    return PathwayProblem(
        years, {"fuels": fuels}, elec, ef, measures, PathwayTargets(None, None), discount_rate=0.05
    )


def _cost(p: PathwayProblem, targets: PathwayTargets) -> float:
    sol = solve_pathway_lp(replace(p, targets=targets))[1]
    return sol.objective_yuan if sol.optimal else math.inf


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    neutral=st.integers(2035, 2045),
    peak=st.integers(2026, 2044),
    shift=st.integers(1, 5),
)
def test_tighter_target_never_costs_less(seed: int, neutral: int, peak: int, shift: int) -> None:
    p = _random_problem(seed)
    loose = PathwayTargets(peak_year=peak, neutral_year=neutral)
    tighter_neutral = replace(loose, neutral_year=max(neutral - shift, 2026))
    tighter_peak = replace(loose, peak_year=max(peak - shift, 2025))
    base = _cost(p, loose)
    for tighter in (tighter_neutral, tighter_peak):
        cost = _cost(p, tighter)
        if math.isinf(base):
            # an infeasible target stays infeasible when tightened
            assert math.isinf(cost)
        else:
            # inf >= anything: an infeasible tighter target also "costs" more
            assert cost >= base - COST_TOL * max(1.0, abs(base))


@pytest.mark.parametrize("reduction", [0.1, 0.3, 0.5])
def test_deeper_cap_costs_more(reduction: float) -> None:
    p = _random_problem(7)
    base_gross = float(p.baseline_gross_t()[0])
    shallow = PathwayTargets(None, None, caps=(Cap(2035, (1 - reduction) * base_gross, "net"),))
    deep = PathwayTargets(None, None, caps=(Cap(2035, (1 - reduction - 0.1) * base_gross, "net"),))
    assert _cost(p, deep) >= _cost(p, shallow) - COST_TOL * abs(_cost(p, shallow))
