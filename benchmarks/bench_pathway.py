"""Pathway LP, 35 years x 12 measures: peakzero (scipy.sparse + highspy) against linopy + HiGHS.

The peer builds the same model independently: its own effect tensors and unit costs from the
measure parameters (dense measure x year x install-year arrays, as linopy's labelled
broadcasting invites), linopy expressions for every row, solved by HiGHS through linopy's direct
highspy interface. The two optimal objectives must agree within 1e-6 relative. A third timing,
scipy.optimize.linprog(method="highs") on peakzero's own matrices, separates the modelling layer
from the solver. Times are medians of ``REPEATS`` runs after one warm-up.
"""

from __future__ import annotations

import logging
import statistics
import time
import tomllib
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from peakzero.pathway import build_pathway_lp, build_problem, parse_pathway, solve_pathway_lp
from peakzero.pathway.lp import PathwayProblem

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pathway" / "industrial_park.toml"
REPEATS = 5
OBJECTIVE_RTOL = 1e-6


def bench_problem() -> PathwayProblem:
    """The example park over 2026-2060 (35 years) with 12 measures (two more PV and GEC)."""
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["pathway"]["base_year"] = 2026
    for m in data["measures"]:
        m["earliest_year"] = max(m.get("earliest_year", 2026), 2026)
    data["measures"] += [
        {"name": "rooftop PV phase 2", "type": "pv_storage", "earliest_year": 2030,
         "max_units_per_year": 5000, "max_units_total": 15000},
        {"name": "green certificates", "type": "green_certificates",
         "max_units_per_year": 100000},
    ]  # fmt: skip
    # the peers solve the LP: vehicles as fractions here too (peakzero's default makes them
    # whole, a small MIP; PathwayProblem.integer_units)
    problem = replace(build_problem(parse_pathway(data)), integer_units=False)
    assert problem.n_years == 35 and len(problem.measures) == 12
    return problem


def _median_time(fn: Any) -> tuple[float, Any]:
    fn()  # warm-up (imports, caches)
    times, out = [], None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _peer_tensors(p: PathwayProblem) -> dict[str, np.ndarray]:
    """Effects E[m, y, v] and unit costs c[m, v], computed from scratch for the peer."""
    n, nm = p.n_years, len(p.measures)
    y = np.arange(n)[:, None]
    v = np.arange(n)[None, :]
    out = {k: np.zeros((nm, n, n)) for k in ("active", "direct", "grid", "sink", "offset")}
    cost = np.zeros((nm, n))
    capex = np.zeros((nm, n))
    r = p.discount_rate
    for i, m in enumerate(p.measures):
        age = y - v
        on = (age >= 0) & (age < m.lifetime_years) & (p.years[None, :] >= m.earliest_year)
        a = np.clip(age, 0, m.lifetime_years - 1)
        out["active"][i] = on
        for key, eff in (("direct", m.direct_t_by_age), ("grid", m.grid_mwh_by_age),
                         ("sink", m.sink_t_by_age), ("offset", m.offset_t_by_age)):  # fmt: skip
            out[key][i] = np.where(on, np.asarray(eff)[a], 0.0)
        for k in range(n):
            cap = m.capex_yuan_per_unit * (1 - m.cost_decline_per_year) ** k
            capex[i, k] = cap
            years_on = range(k, min(k + m.lifetime_years, n))
            disc = sum((1 + r) ** -t for t in years_on)
            left = max(k + m.lifetime_years - n, 0) / m.lifetime_years
            cost[i, k] = (
                cap * ((1 + r) ** -k - left * (1 + r) ** -n) + m.opex_yuan_per_unit_year * disc
            )
    out["cost"] = cost
    out["capex"] = capex
    return out


def _linopy_solve(p: PathwayProblem, t: dict[str, np.ndarray]) -> tuple[float, float, float]:
    """Build and solve the peer model: (objective [yuan], build [s], solve [s])."""
    import linopy
    import pandas as pd
    import xarray as xr

    names = [m.name for m in p.measures]
    years = p.years.tolist()
    dims3 = ("measure", "year", "v")
    coords3 = {"measure": names, "year": years, "v": years}

    def da3(a: np.ndarray) -> xr.DataArray:
        return xr.DataArray(a, dims=dims3, coords=coords3)

    def da_y(a: np.ndarray) -> xr.DataArray:
        return xr.DataArray(a, dims=("year",), coords={"year": years})

    t0 = time.perf_counter()
    model = linopy.Model()
    ub = np.array([[m.max_units_per_year if y >= m.earliest_year else 0.0 for y in years]
                   for m in p.measures])  # fmt: skip
    mv = {"measure": names, "v": years}
    x = model.add_variables(
        lower=0.0, upper=xr.DataArray(ub, dims=("measure", "v"), coords=mv), name="x"
    )
    year_index = pd.Index(years, name="year")
    g = model.add_variables(coords=[year_index], name="g")
    net = model.add_variables(coords=[year_index], name="n")
    ef = da_y(p.ef_t_per_mwh)
    direct = da3(t["direct"])
    grid = da3(t["grid"])
    for src, base in p.base_direct_t.items():
        sel = [m.acts_on == src for m in p.measures]
        if any(sel):
            mask = xr.DataArray(
                np.array(sel, dtype=float), dims=("measure",), coords={"measure": names}
            )
            model.add_constraints(
                (direct * mask * x).sum(["measure", "v"]) <= da_y(base), name=f"src_{src}"
            )
    model.add_constraints(
        (grid * x).sum(["measure", "v"]) <= da_y(p.base_electricity_mwh), name="elec"
    )
    model.add_constraints(
        g + (direct * x).sum(["measure", "v"]) + (grid * ef * x).sum(["measure", "v"])
        == da_y(p.baseline_gross_t()),
        name="gross",
    )
    model.add_constraints(
        net - g + (da3(t["sink"] + t["offset"]) * x).sum(["measure", "v"]) == 0, name="net"
    )
    active = da3(t["active"])
    for i, m in enumerate(p.measures):
        if np.isfinite(m.max_units_total):
            model.add_constraints(
                (active.isel(measure=i) * x.isel(measure=i)).sum("v") <= m.max_units_total,
                name=f"stock_{i}",
            )
    tg = p.targets
    assert tg.peak_year is not None and tg.neutral_year is not None and tg.peak_basis == "gross"
    later = da_y(np.array([y > tg.peak_year for y in years]))
    keep = 1.0 - tg.peak_min_decline_per_year
    model.add_constraints(g - keep * g.shift(year=1) <= 0, name="peak", mask=later)
    model.add_constraints(net.sel(year=slice(tg.neutral_year, None)) <= 0, name="neutral")
    for j, c in enumerate(tg.caps):
        model.add_constraints(
            (net if c.basis == "net" else g).sel(year=c.year) <= c.max_t, name=f"cap{j}"
        )
    if tg.budget_yuan_per_year is not None:
        capex = xr.DataArray(
            t["capex"], dims=("measure", "v"), coords={"measure": names, "v": years}
        )
        model.add_constraints((capex * x).sum("measure") <= tg.budget_yuan_per_year, name="budget")
    cost = xr.DataArray(t["cost"], dims=("measure", "v"), coords={"measure": names, "v": years})
    model.add_objective((cost * x).sum())
    t1 = time.perf_counter()
    status, _ = model.solve("highs", io_api="direct", output_flag=False)
    assert status == "ok", status
    return float(model.objective.value), t1 - t0, time.perf_counter() - t1


def run() -> dict[str, Any]:
    """Time build + solve for peakzero and the peers; check the objectives agree."""
    logging.getLogger("linopy").setLevel(logging.WARNING)
    p = bench_problem()
    t_ours, (built, sol) = _median_time(lambda: solve_pathway_lp(p))
    assert sol.optimal
    t_build = statistics.median([_time(lambda: build_pathway_lp(p)) for _ in range(REPEATS)])
    tensors = _peer_tensors(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_linopy, (obj_linopy, linopy_build, linopy_solve) = _median_time(
            lambda: _linopy_solve(p, tensors)
        )

    from scipy.optimize import linprog

    a = built.matrix.tocsr()
    up = np.isfinite(built.row_upper)
    eq = built.row_lower == built.row_upper
    le = up & ~eq
    lo_only = np.isfinite(built.row_lower) & ~eq

    def scipy_solve() -> float:
        res = linprog(
            built.cost,
            A_ub=__import__("scipy.sparse", fromlist=["vstack"]).vstack([a[le], -a[lo_only]]),
            b_ub=np.concatenate([built.row_upper[le], -built.row_lower[lo_only]]),
            A_eq=a[eq], b_eq=built.row_upper[eq],
            bounds=np.column_stack([built.col_lower, built.col_upper]),
            method="highs",
        )  # fmt: skip
        assert res.status == 0, res.message
        return float(res.fun)

    t_scipy, obj_scipy = _median_time(scipy_solve)
    rel = abs(sol.objective_yuan - obj_linopy) / abs(obj_linopy)
    return {
        "case": "35 years x 12 measures (example industrial park, 2026-2060)",
        "rows": int(built.matrix.shape[0]),
        "cols": int(built.matrix.shape[1]),
        "nonzeros": int(built.matrix.nnz),
        "peakzero_build_solve_s": round(t_ours, 4),
        "peakzero_build_s": round(t_build, 4),
        "peakzero_solve_s": round(t_ours - t_build, 4),
        "linopy_highs_build_solve_s": round(t_linopy, 4),
        "linopy_build_s_last_run": round(linopy_build, 4),
        "linopy_solve_s_last_run": round(linopy_solve, 4),
        "speedup_vs_linopy": round(t_linopy / t_ours, 1),
        "scipy_linprog_highs_solve_s": round(t_scipy, 4),
        "objective_yuan": sol.objective_yuan,
        "objective_linopy_yuan": obj_linopy,
        "objective_scipy_yuan": obj_scipy,
        "objective_rel_diff_linopy": rel,
        "objectives_agree": bool(rel <= OBJECTIVE_RTOL),
        "repeats": REPEATS,
    }


def _time(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
