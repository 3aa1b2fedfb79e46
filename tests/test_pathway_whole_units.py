"""Measures counted in whole things (vehicles) are deployed in whole units: the pathway solves
them as integers (a small MIP, then the LP of the rest with them fixed for the duals), checked
against a brute force over every whole deployment with the LP solving the rest."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from peakzero.pathway import Measure, PathwayProblem, PathwayTargets, solve_pathway_lp
from peakzero.pathway.lp import build_pathway_lp, solve_built
from peakzero.pathway.measures import discrete_unit

#: Relative tolerance on optima: HiGHS' feasibility tolerance 1e-7 and the MIP gap 1e-9.
COST_TOL = 1e-6


def _trucks(per_year: float = 3.0) -> Measure:
    """A diesel truck replaced by an electric one: 6.7 tCO2/yr cut per vehicle, 8 years."""
    return Measure(
        name="ev",
        kind="ev_fleet",
        unit="vehicle",
        capex_yuan_per_unit=50_000.0,
        opex_yuan_per_unit_year=-2_000.0,
        lifetime_years=8,
        earliest_year=2025,
        max_units_per_year=per_year,
        acts_on="fuels",
        direct_t_by_age=(6.7,) * 8,
    )


def _efficiency() -> Measure:
    """A continuous fuel-efficiency measure: 1 tCO2/yr per unit, dearer per tonne."""
    return Measure(
        name="eff",
        kind="custom",
        unit="tCO2/yr",
        capex_yuan_per_unit=12_000.0,
        opex_yuan_per_unit_year=0.0,
        lifetime_years=15,
        earliest_year=2025,
        max_units_per_year=1e6,
        acts_on="fuels",
        direct_t_by_age=(1.0,) * 15,
    )


def _problem(integer: bool) -> PathwayProblem:
    # fuels grow 5 %/yr from 100 t; the peak by 2026 with a 2 %/yr decline after it needs
    # cuts that are not whole trucks (6.7 t each)
    years = np.arange(2025, 2029, dtype=np.int64)
    fuels = 100.0 * 1.05 ** np.arange(4)
    return PathwayProblem(
        years, {"fuels": fuels}, np.zeros(4), np.full(4, 0.5), (_trucks(), _efficiency()),
        PathwayTargets(peak_year=2026, neutral_year=None, peak_min_decline_per_year=0.02),
        discount_rate=0.06, integer_units=integer,
    )  # fmt: skip


def test_discrete_units() -> None:
    assert discrete_unit("vehicle") and discrete_unit(" Vehicles ")
    assert not discrete_unit("kW") and not discrete_unit("tCO2/yr")


def test_lp_alone_deploys_fractions_of_a_vehicle() -> None:
    _, sol = solve_pathway_lp(_problem(integer=False))
    assert sol.optimal
    ev = sol.units_installed[0]
    assert np.any(np.abs(ev - np.round(ev)) > 1e-3)  # the case the MIP is for


def test_whole_vehicles_equal_brute_force() -> None:
    built, sol = solve_pathway_lp(_problem(integer=True))
    assert sol.optimal
    ev = sol.units_installed[0]
    np.testing.assert_allclose(ev, np.round(ev), atol=1e-9)
    # brute force: every whole deployment of 0-3 trucks a year, the efficiency measure solved
    # by the LP around it
    relaxed = build_pathway_lp(_problem(integer=False))
    cols = relaxed.columns.indices("units", (np.zeros(4, dtype=np.int64), np.arange(4)))
    best = np.inf
    for combo in itertools.product(range(4), repeat=4):
        lo, hi = relaxed.col_lower.copy(), relaxed.col_upper.copy()
        lo[cols] = hi[cols] = np.asarray(combo, dtype=float)
        s = solve_built(replace(relaxed, col_lower=lo, col_upper=hi))
        if s.optimal:
            best = min(best, s.objective_yuan)
    assert sol.objective_yuan == pytest.approx(best, rel=COST_TOL)
    # whole units cost at least the relaxation
    _, lp = solve_pathway_lp(_problem(integer=False))
    assert sol.objective_yuan >= lp.objective_yuan * (1 - COST_TOL)
    # the duals come from the LP with the vehicles fixed: one per row, finite
    assert sol.row_dual.size == built.row_lower.size and np.all(np.isfinite(sol.row_dual))
