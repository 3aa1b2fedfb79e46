"""Reading the pathway LP back: roadmap, trajectories, marginal abatement cost curve, dual prices.

Pure functions of a :class:`~peakzero.pathway.lp.PathwayProblem` and its solution; the planner
(:mod:`peakzero.pathway.planner`) composes them into a :class:`PathwayResult`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from peakzero.pathway.lp import PathwayLp, PathwayLpSolution, PathwayProblem
from peakzero.pathway.measures import FloatArray, Measure

UNITS_EPS = 1e-6
"""Deployments below this many units are solver noise and left out of the roadmap."""


@dataclass(frozen=True)
class RoadmapRow:
    """One measure in one year of the roadmap (undiscounted yuan of that year)."""

    year: int
    measure: str
    units: float  # installed this year
    units_active: float
    capex_yuan: float
    opex_yuan: float
    cost_yuan: float  # capex + opex spent in the year
    abatement_t: float  # reduction + removal + offsets by all active units this year
    # credit for the units installed this year whose life runs past the horizon, in money of
    # the year after the horizon (linear salvage; annuities after the horizon in annuity mode)
    salvage_credit_yuan: float = 0.0
    # this row's part of the total cost: (capex + opex) discounted to the base year, less the
    # salvage credit discounted from the year after the horizon; the rows sum to the total
    present_value_yuan: float = 0.0
    # the part of abatement_t that is offsets bought (CCER, ...), not a cut in emissions [tCO2]
    offset_t: float = 0.0
    unit: str = ""  # what one unit is (the measure's unit: kW, vehicle, MWh, tCO2, ...)


@dataclass(frozen=True)
class MaccRow:
    """One bar of the marginal abatement cost curve for a given year."""

    measure: str
    cost_yuan_per_t: float  # levelised over a unit's life, NaN when it abates nothing
    abatement_per_unit_t: float  # in the MACC year, a unit installed that year
    potential_t: float  # in the MACC year at the fastest allowed deployment, within its source
    deployed_t: float  # in the MACC year in the optimised plan
    cumulative_potential_t: float


@dataclass(frozen=True)
class TargetCost:
    """What relaxing one binding target row by one unit saves, from the LP duals."""

    target: str  # "peak", "neutral", "cap 2035", "budget"
    year: int
    saving_yuan_per_unit: float  # present value at the base year, per tCO2 (per yuan for budget)
    saving_yuan_per_unit_in_year: float  # the same in money of that year (undiscounted)
    explanation: str


def effect_matrices(problem: PathwayProblem, m: Measure) -> dict[str, FloatArray]:
    """Year x install-year matrices of one unit's effects: active, direct, grid_t, sink, offset.

    ``M[y, v]`` is the effect in year ``y`` of one unit installed in year ``v``; the grid effect
    is already converted to tCO2 with the grid factor of year ``y``.
    """
    n = problem.n_years
    age = np.arange(n)[:, None] - np.arange(n)[None, :]
    inside = (age >= 0) & (age < m.lifetime_years)
    idx = np.where(inside, age, 0)
    direct, grid, sink, offset = m.effects()
    out = {"active": inside.astype(float)}
    for key, eff in (("direct", direct), ("grid_t", grid), ("sink", sink), ("offset", offset)):
        out[key] = np.where(inside, eff[idx], 0.0)
    out["grid_mwh"] = out["grid_t"].copy()
    out["grid_t"] = out["grid_t"] * problem.ef_t_per_mwh[:, None]
    return out


@dataclass(frozen=True)
class Trajectories:
    """Yearly totals of the optimised plan [tCO2]."""

    baseline_gross_t: FloatArray
    gross_t: FloatArray
    sinks_t: FloatArray
    offsets_t: FloatArray
    net_t: FloatArray
    abatement_by_measure_t: FloatArray  # (M, N)


def trajectories(problem: PathwayProblem, sol: PathwayLpSolution) -> Trajectories:
    """Gross, sink, offset and net series of the solution, recomputed from the deployments."""
    n = problem.n_years
    base = problem.baseline_gross_t()
    reduction = np.zeros(n)
    sinks = np.zeros(n)
    offsets = np.zeros(n)
    by_measure = np.zeros((len(problem.measures), n))
    for i, m in enumerate(problem.measures):
        mats = effect_matrices(problem, m)
        x = sol.units_installed[i]
        red = (mats["direct"] + mats["grid_t"]) @ x
        snk = mats["sink"] @ x
        off = mats["offset"] @ x
        reduction += red
        sinks += snk
        offsets += off
        by_measure[i] = red + snk + off
    gross = np.maximum(base - reduction, 0.0)  # >= 0 by the source rows; clip solver noise
    return Trajectories(base, gross, sinks, offsets, gross - sinks - offsets, by_measure)


def roadmap(problem: PathwayProblem, built: PathwayLp, sol: PathwayLpSolution) -> list[RoadmapRow]:
    """Rows for every (year, measure) with units installed or active, year by year.

    The rows' ``present_value_yuan`` add up to the LP objective (the pathway's total cost): each
    row's capex and opex discounted to the base year, less the salvage credit of the units it
    installs (listed as ``salvage_credit_yuan`` in money of the year after the horizon).
    """
    rows: list[RoadmapRow] = []
    n = problem.n_years
    df = problem.discount_factors()
    per_measure = []
    for i, m in enumerate(problem.measures):
        mats = effect_matrices(problem, m)
        x = sol.units_installed[i]
        active = mats["active"] @ x
        offset = mats["offset"] @ x
        abate = (mats["direct"] + mats["grid_t"] + mats["sink"]) @ x + offset
        salvage_pv = built.salvage_pv_yuan[i] * x
        per_measure.append((m, x, active, abate, offset, built.capex_yuan[i] * x, salvage_pv))
    for k in range(n):
        for m, x, active, abate, offset, capex, salvage_pv in per_measure:
            if x[k] <= UNITS_EPS and active[k] <= UNITS_EPS:
                continue
            installed = x[k] > UNITS_EPS
            opex = m.opex_yuan_per_unit_year * active[k]
            cost = (capex[k] if installed else 0.0) + opex
            credit_pv = salvage_pv[k] if installed else 0.0
            rows.append(
                RoadmapRow(
                    year=int(problem.years[k]),
                    measure=m.name,
                    units=float(x[k]) if installed else 0.0,
                    units_active=float(active[k]),
                    capex_yuan=float(capex[k]) if installed else 0.0,
                    opex_yuan=float(opex),
                    cost_yuan=float(cost),
                    abatement_t=float(abate[k]),
                    salvage_credit_yuan=float(credit_pv / df[n]),
                    present_value_yuan=float(cost * df[k] - credit_pv),
                    offset_t=float(offset[k]),
                    unit=m.unit,
                )
            )
    return rows


def _max_deployment(problem: PathwayProblem, m: Measure) -> FloatArray:
    """Fastest allowed installs per year: max per year, topped up to the stock limit."""
    n = problem.n_years
    x = np.zeros(n)
    active = np.zeros(n)
    for k in range(n):
        if problem.years[k] < m.earliest_year:
            continue
        room = m.max_units_total - active[k]
        x[k] = max(0.0, min(m.max_units_per_year, room))
        active[k : k + m.lifetime_years] += x[k]
    return x


def macc(problem: PathwayProblem, sol: PathwayLpSolution | None, year: int) -> list[MaccRow]:
    """Marginal abatement cost curve for ``year``, cheapest first.

    The cost of a measure is levelised over the life of one unit installed in ``year``:
    ``(capex(year) + sum_a opex d^a) / sum_a abatement(year + a) d^a`` with ``d = 1/(1+r)``
    [yuan/tCO2], the grid factor held at its last value after the horizon. The potential is the
    abatement in ``year`` of the fastest deployment the limits allow, capped by the baseline
    emissions of the source it acts on. Potentials of measures on the same source overlap
    (efficiency and electrification both cut fuel use): they are not additive.
    """
    k = year - int(problem.years[0])
    n = problem.n_years
    r = problem.discount_rate
    rows = []
    ef_last = float(problem.ef_t_per_mwh[-1])
    for i, m in enumerate(problem.measures):
        life = m.lifetime_years
        direct, grid, sink, offset = m.effects()
        ages = np.arange(life)
        yrs = k + ages
        ef = np.where(yrs < n, problem.ef_t_per_mwh[np.minimum(yrs, n - 1)], ef_last)
        abate = direct + grid * ef + sink + offset
        d = (1.0 + r) ** -ages.astype(float)
        capex = float(m.capex_in([year], int(problem.years[0]))[0])
        cost_pv = capex + m.opex_yuan_per_unit_year * float(d.sum())
        abate_pv = float((abate * d).sum())
        cost = cost_pv / abate_pv if abate_pv > 0 else math.nan
        mats = effect_matrices(problem, m)
        xmax = _max_deployment(problem, m)
        direct_y = float(mats["direct"][k] @ xmax)
        grid_mwh_y = float(mats["grid_mwh"][k] @ xmax)
        if m.acts_on is not None:
            cap = float(problem.base_direct_t[m.acts_on][k])
            if direct_y > cap:
                # Fewer units fit the source: the electricity they add (electrification)
                # scales down with them.
                grid_mwh_y *= cap / direct_y
                direct_y = cap
        grid_mwh_y = min(grid_mwh_y, float(problem.base_electricity_mwh[k]))
        potential = (
            direct_y
            + grid_mwh_y * float(problem.ef_t_per_mwh[k])
            + float(mats["sink"][k] @ xmax)
            + float(mats["offset"][k] @ xmax)
        )
        deployed = 0.0
        if sol is not None and sol.optimal:
            x = sol.units_installed[i]
            deployed = float(
                (mats["direct"][k] + mats["grid_t"][k] + mats["sink"][k] + mats["offset"][k]) @ x
            )
        rows.append((cost, m.name, float(abate[0]), max(potential, 0.0), deployed))
    rows.sort(key=lambda t: (math.isnan(t[0]), t[0]))
    out: list[MaccRow] = []
    cum = 0.0
    for cost, name, per_unit, potential, deployed in rows:
        cum += potential
        out.append(MaccRow(name, cost, per_unit, potential, deployed, cum))
    return out


_EXPLAIN = {
    "peak": (
        "relaxing the peak constraint in {year} (letting {basis} emissions in {year} exceed "
        "{limit} by 1 tCO2) saves {pv:,.0f} yuan (present value; {yr:,.0f} yuan in {year})"
    ),
    "neutral": (
        "allowing 1 tCO2 of net emissions in {year} saves {pv:,.0f} yuan (present value; "
        "{yr:,.0f} yuan in {year} money, the marginal abatement cost that year)"
    ),
    "cap": (
        "raising the {label} cap by 1 tCO2 saves {pv:,.0f} yuan (present value; "
        "{yr:,.0f} yuan in {year})"
    ),
    "budget": (
        "1 more yuan of investment budget in {year} saves {pv:.3f} yuan of total cost (present "
        "value)"
    ),
}


def target_costs(
    problem: PathwayProblem, built: PathwayLp, sol: PathwayLpSolution
) -> list[TargetCost]:
    """Shadow prices of the binding target rows.

    HiGHS reports for a minimisation the row dual ``d = dz / d(row bound)``; relaxing a ``<=``
    target row by one unit raises its bound, so it saves ``-d`` yuan (present value at the base
    year). Dividing by the year's discount factor gives the price in that year's money.
    """
    out: list[TargetCost] = []
    if not sol.optimal:
        return out
    df = problem.discount_factors()
    base_year = int(problem.years[0])
    for key, block in built.blocks.items():
        family = key.split(":")[0]
        if family not in _EXPLAIN:
            continue
        for row, year in zip(block.rows, block.years, strict=True):
            saving = -float(sol.row_dual[row])
            if abs(saving) < 1e-9:
                continue
            k = int(year) - base_year
            name = {"cap": f"cap {block.label or year}"}.get(family, family)
            in_year = saving / float(df[k])
            decline = problem.targets.peak_min_decline_per_year
            limit = f"those of {int(year) - 1}" + (
                f" less the required {decline:.1%} decline" if decline > 0 else ""
            )
            text = _EXPLAIN[family].format(
                year=int(year), limit=limit, basis=problem.targets.peak_basis,
                label=block.label or str(year), pv=saving, yr=in_year,
            )  # fmt: skip
            out.append(TargetCost(name, int(year), saving, in_year, text))
    return out


def frame(rows: list[Any]) -> pd.DataFrame:
    """A list of result dataclass rows as a DataFrame (columns in field order)."""
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame([r.__dict__ for r in rows])
