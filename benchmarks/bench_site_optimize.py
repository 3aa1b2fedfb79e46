"""Full-year PV + battery sizing of an example site: peakzero (numpy/scipy.sparse + highspy)
against the same model built in PyPSA 1.4 (linopy + HiGHS), end to end, in the same run.

Both sides start from the same validated site file and the same inputs (weather -> PV profile,
load, tariff: ``prepare_site``, timed and counted on both sides), build the same LP (sizes PV kWp,
battery kW and kWh; hourly flows; cyclic SOC with the SOC floor; one converter rating for charge +
discharge; monthly peak demand; daily cycle limit; zero export), solve with HiGHS at 1e-9
tolerances on one thread, and read the sizes back. peakzero builds its aggregated form (per hour
PV used, import, charge, discharge, SOC; :mod:`peakzero.optimize.aggregate`) and solves it with
its default solve (dual simplex, staged: sizes fixed first and freed last, warm-started;
:class:`peakzero.optimize.solve.Session`), and also one-shot (``peakzero_one_shot``, the default
before) to show what the staging gives. PyPSA is run twice, with the same solver options (dual
simplex) and with IPM + crossover (its setting before), and the ratio is taken against the
faster of the two. PyPSA's network: one AC bus with the
load, a grid generator (time-varying marginal cost = TOU price x present-worth factor), an
extendable PV generator (p_max_pu = levelised per-kWp profile), a battery bus with an extendable
cyclic Store and charger/discharger Links; the converter rating, demand charge and cycle limit are
extra linopy constraints. The optimal objectives must agree within 1e-6 relative.

Every run is its own fresh Python process (peak memory = max RSS, solver C++ allocations
included, per run); the sides are interleaved (one run of each per round) so that load from other
processes on the machine hits all of them alike; times are medians of ``REPEATS`` rounds.
A second site (Jinan: export limit, CO2 target, capex budget, fixed battery) times peakzero's
aggregated form against its detailed form (one column per flow), both with dual simplex and
with IPM, to show what the reformulation and the solver choice each give.
A third part prices the demand charge on a 15-minute meter for the first site (its hourly load
given a fixed within-hour shape): the LP solved on the 35,040 quarter-hours against the hourly LP
with each hour's within-hour load excess in the demand rows (one run each, same process).
"""

from __future__ import annotations

import json
import logging
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "sites" / "suzhou_electronics" / "SITE.toml"
)
SECOND = EXAMPLE.parents[1] / "jinan_cold_storage" / "SITE.toml"
REPEATS = 3
OBJECTIVE_RTOL = 1e-6
TOL = 1e-9


def _peakzero_once(site: Path, form: str, solver: str) -> dict[str, Any]:
    from peakzero.optimize import build_site_lp, read_dispatch
    from peakzero.optimize.solve import Session
    from peakzero.site import load_site, prepare_site

    t0 = time.perf_counter()
    data = prepare_site(load_site(site))
    t1 = time.perf_counter()
    model = build_site_lp(data.problem, form=form)
    one_shot = solver.endswith("_one_shot")
    session = Session(model, solver=solver.removesuffix("_one_shot"), staged=not one_shot)
    t2 = time.perf_counter()
    solution = session.run()
    t3 = time.perf_counter()
    d = read_dispatch(data.problem, model, solution)
    t4 = time.perf_counter()
    return {
        "objective_yuan": solution.objective_yuan - model.offset,
        "sizes": [d.pv_kwp, d.battery_kw, d.battery_kwh],
        "inputs_s": t1 - t0,
        "build_s": t2 - t1,
        "solve_s": t3 - t2,
        "readback_s": t4 - t3,
        "total_s": t4 - t0,
        "rows": int(model.a.shape[0]),
        "cols": int(model.a.shape[1]),
    }


def _pypsa_once(solver: str) -> dict[str, Any]:
    import pandas as pd
    import pypsa

    from peakzero.optimize import build_site_lp
    from peakzero.site import load_site, prepare_site

    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    data = prepare_site(load_site(EXAMPLE))
    p = data.problem
    b, e = p.battery, p.economics
    # the battery kWh cost with the same replacement dating as peakzero's first solve
    lp = build_site_lp(p)
    kwh_cost = float(lp.c[lp.columns.index("batt_kwh")])
    t1 = time.perf_counter()
    snapshots = pd.RangeIndex(p.n)
    n = pypsa.Network()
    n.set_snapshots(snapshots)
    n.add("Bus", "ac")
    n.add("Bus", "batt")
    n.add("Load", "site", bus="ac", p_set=pd.Series(p.load_kw, index=snapshots))
    buy = pd.Series(p.import_price_yuan_per_kwh * p.dt_hours * e.pwf_bill, index=snapshots)
    n.add("Generator", "grid", bus="ac", p_nom=1e7, marginal_cost=buy)
    n.add(
        "Generator",
        "pv",
        bus="ac",
        p_nom_extendable=True,
        p_nom_min=p.pv.min_kwp,
        p_nom_max=p.pv.max_kwp,
        capital_cost=p.pv.capex_yuan_per_kwp + p.pv.om_yuan_per_kwp_year * e.pwf_om,
        p_max_pu=pd.Series(p.pv_kw_per_kwp * p.pv_levelisation, index=snapshots),
    )
    n.add(
        "Store",
        "battery",
        bus="batt",
        e_nom_extendable=True,
        e_nom_min=b.min_kwh,
        e_nom_max=b.max_kwh,
        e_min_pu=b.soc_min,
        e_max_pu=b.soc_max,
        e_cyclic=True,
        capital_cost=kwh_cost,
    )
    n.add(
        "Link",
        "charger",
        bus0="ac",
        bus1="batt",
        efficiency=b.charge_efficiency,
        p_nom_extendable=True,
        p_nom_max=b.max_kw,
        capital_cost=b.capex_yuan_per_kw + b.om_yuan_per_kw_year * e.pwf_om,
    )
    n.add(
        "Link",
        "discharger",
        bus0="batt",
        bus1="ac",
        efficiency=b.discharge_efficiency,
        p_nom_extendable=True,
    )
    m = n.optimize.create_model()
    link_p = m.variables["Link-p"]
    link_nom = m.variables["Link-p_nom"]
    ch = link_p.sel(name="charger")
    dis = link_p.sel(name="discharger")
    kw = link_nom.sel(name="charger")
    # discharger rating in withdrawn (store-side) kW equals kW / eta_d
    m.add_constraints(
        link_nom.sel(name="discharger") * b.discharge_efficiency - kw == 0, name="dis_rating"
    )
    # one converter: AC charge + AC discharge <= kW
    m.add_constraints(ch + b.discharge_efficiency * dis - kw <= 0, name="converter")
    grid = m.variables["Generator-p"].sel(name="grid")
    snap = pd.Index(n.snapshots, name="snapshot")
    month = pd.Series(p.month, index=snap, name="month")
    peaks = m.add_variables(
        lower=0, coords=[pd.Index(np.unique(p.month), name="month")], name="peak"
    )
    peak_t = peaks.sel(month=month.to_xarray())
    m.add_constraints(grid - peak_t <= 0, name="monthly_peak")
    m.objective = m.objective + (p.demand_charge_yuan_per_kw_month * e.pwf_bill) * peaks.sum()
    if b.max_cycles_per_day is not None:
        day = pd.Series(p.day, index=snap, name="day").to_xarray()
        delivered = (dis * (b.discharge_efficiency * p.dt_hours)).groupby(day).sum()
        e_nom = m.variables["Store-e_nom"].sel(name="battery")
        m.add_constraints(delivered - b.max_cycles_per_day * e_nom <= 0, name="cycles")
    t2 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status, condition = n.optimize.solve_model(
            solver_name="highs",
            io_api="direct",
            solver_options={
                "solver": solver,
                "primal_feasibility_tolerance": TOL,
                "dual_feasibility_tolerance": TOL,
                "ipm_optimality_tolerance": TOL,
                "threads": 1,
                "output_flag": False,
            },
        )
    t3 = time.perf_counter()
    sizes = [
        float(n.generators.at["pv", "p_nom_opt"]),
        float(n.links.at["charger", "p_nom_opt"]),
        float(n.stores.at["battery", "e_nom_opt"]),
    ]
    t4 = time.perf_counter()
    return {
        "status": f"{status}/{condition}",
        "objective_yuan": float(m.objective.value),
        "sizes": sizes,
        "inputs_s": t1 - t0,
        "build_s": t2 - t1,
        "solve_s": t3 - t2,
        "readback_s": t4 - t3,
        "total_s": t4 - t0,
    }


_KEYS = ("inputs_s", "build_s", "solve_s", "readback_s", "total_s")

#: run name -> (side, site, form, solver)
RUNS: dict[str, tuple[str, Path, str, str]] = {
    "peakzero": ("peakzero", EXAMPLE, "auto", "simplex"),
    "peakzero_one_shot": ("peakzero", EXAMPLE, "auto", "simplex_one_shot"),
    "peakzero_detailed_ipm": ("peakzero", EXAMPLE, "detailed", "ipm"),
    "pypsa_simplex": ("pypsa", EXAMPLE, "", "simplex"),
    "pypsa_ipm": ("pypsa", EXAMPLE, "", "ipm"),
}
SECOND_RUNS: dict[str, tuple[str, Path, str, str]] = {
    f"{form}_{solver}": ("peakzero", SECOND, form, solver)
    for form in ("aggregated", "detailed")
    for solver in ("simplex", "ipm")
}


def _one(name: str) -> dict[str, Any]:
    """One run of ``name`` in this (fresh) process, with its max RSS."""
    side, site, form, solver = {**RUNS, **SECOND_RUNS}[name]
    out = _peakzero_once(site, form, solver) if side == "peakzero" else _pypsa_once(solver)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def _child(name: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, name], capture_output=True, text=True, check=True
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _interleaved(names: list[str]) -> dict[str, dict[str, Any]]:
    """``REPEATS`` rounds of one fresh run per name; medians of the times, max of the RSS."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for _ in range(REPEATS):
        for name in names:
            runs[name].append(_child(name))
    out = {}
    for name, rs in runs.items():
        side = dict(rs[-1])
        for key in _KEYS:
            side[key] = statistics.median(r[key] for r in rs)
        side["peak_rss_mb"] = max(r["peak_rss_mb"] for r in rs)
        out[name] = side
    return out


def _seconds(side: dict[str, Any]) -> dict[str, float]:
    return {k: round(side[k], 4) for k in _KEYS}


def _share(side: dict[str, Any]) -> dict[str, float]:
    return {k: round(side[k] / side["total_s"], 3) for k in _KEYS[:-1]}


#: Within-hour shape of the 15-minute load, relative to the hourly mean (mean 0) [-].
QUARTER_SHAPE = (-0.06, 0.02, 0.10, -0.06)


def _fifteen_minute() -> dict[str, Any]:
    """Full-year demand on the 15-minute meter: quarter-hour LP vs hourly LP + excess."""
    import dataclasses

    from peakzero.optimize import optimize_dispatch
    from peakzero.optimize.problem import within_interval_excess
    from peakzero.site import load_site, prepare_site

    p = prepare_site(load_site(EXAMPLE)).problem
    steps = len(QUARTER_SHAPE)
    load_q = (p.load_kw[:, None] * (1.0 + np.asarray(QUARTER_SHAPE))[None, :]).ravel()
    quarter = dataclasses.replace(
        p,
        load_kw=load_q,
        pv_kw_per_kwp=np.repeat(p.pv_kw_per_kwp, steps),
        import_price_yuan_per_kwh=np.repeat(p.import_price_yuan_per_kwh, steps),
        month=np.repeat(p.month, steps),
        day=np.repeat(p.day, steps),
        dt_hours=p.dt_hours / steps,
        index=None,
    )
    mean, excess = within_interval_excess(load_q, steps)
    hourly = dataclasses.replace(p, load_kw=mean, demand_excess_kw=excess)
    out: dict[str, Any] = {"intervals": {"quarter_hour_lp": quarter.n, "hourly_with_excess": p.n}}
    for name, problem in (("quarter_hour_lp", quarter), ("hourly_with_excess", hourly)):
        t0 = time.perf_counter()
        opt = optimize_dispatch(problem)
        out[name] = {
            "total_s": round(time.perf_counter() - t0, 3),
            "objective_yuan": opt.dispatch.objective_yuan,
            "demand_cost_yuan": opt.dispatch.demand_cost_yuan,
            "sizes_kwp_kw_kwh": [
                round(v, 3)
                for v in (opt.dispatch.pv_kwp, opt.dispatch.battery_kw, opt.dispatch.battery_kwh)
            ],
        }
    q, h = out["quarter_hour_lp"], out["hourly_with_excess"]
    out["objective_rel_gap_hourly_minus_quarter"] = (h["objective_yuan"] - q["objective_yuan"]) / q[
        "objective_yuan"
    ]
    out["speedup_hourly_with_excess"] = round(q["total_s"] / h["total_s"], 2)
    return out


def run() -> dict[str, Any]:
    """Time all runs interleaved, check the objectives agree, return the figures."""
    sides = _interleaved(list(RUNS))
    ours = sides["peakzero"]
    before = sides["peakzero_detailed_ipm"]
    peers = {k: sides[k] for k in ("pypsa_simplex", "pypsa_ipm")}
    best = min(peers, key=lambda k: peers[k]["total_s"])
    peer = peers[best]

    def rel(a: dict[str, Any], b: dict[str, Any]) -> float:
        return float(abs(a["objective_yuan"] - b["objective_yuan"]) / abs(b["objective_yuan"]))

    others = {
        **peers,
        "peakzero_detailed_ipm": before,
        "peakzero_one_shot": sides["peakzero_one_shot"],
    }
    rels = {k: rel(v, ours) for k, v in others.items()}
    second = _interleaved(list(SECOND_RUNS))
    ref = second["aggregated_simplex"]
    return {
        "case": f"{EXAMPLE.parent.name}: 8760 h PV + battery sizing, end to end",
        "lp_rows": ours["rows"],
        "lp_cols": ours["cols"],
        "lp_rows_cols_detailed_form": [before["rows"], before["cols"]],
        "objective_peakzero_yuan": ours["objective_yuan"],
        "objective_pypsa_yuan": peer["objective_yuan"],
        "objective_rel_diff": max(rels.values()),
        "objective_rel_diff_each": rels,
        "objective_agrees_1e-6": max(rels.values()) <= OBJECTIVE_RTOL,
        "sizes_peakzero_kwp_kw_kwh": [round(v, 3) for v in ours["sizes"]],
        "sizes_pypsa_kwp_kw_kwh": [round(v, 3) for v in peer["sizes"]],
        "pypsa_status": {k: v["status"] for k, v in peers.items()},
        "pypsa_fastest": best,
        "peakzero_seconds": _seconds(ours),
        "peakzero_before_seconds_detailed_ipm": _seconds(before),
        "pypsa_seconds": {k: _seconds(v) for k, v in peers.items()},
        "peakzero_shares": _share(ours),
        "pypsa_shares": _share(peer),
        "speedup_end_to_end": round(peer["total_s"] / ours["total_s"], 2),
        "speedup_end_to_end_same_solver_options": round(
            peers["pypsa_simplex"]["total_s"] / ours["total_s"], 2
        ),
        "speedup_build": round(peer["build_s"] / ours["build_s"], 1),
        "speedup_solve": round(peer["solve_s"] / ours["solve_s"], 2),
        "speedup_vs_before": round(before["total_s"] / ours["total_s"], 2),
        "peakzero_one_shot_seconds": _seconds(sides["peakzero_one_shot"]),
        "speedup_staged_vs_one_shot": round(
            sides["peakzero_one_shot"]["total_s"] / ours["total_s"], 2
        ),
        "goal_5x_met": peer["total_s"] / ours["total_s"] >= 5.0,
        "peak_rss_mb": {k: round(v["peak_rss_mb"], 1) for k, v in sides.items()},
        "second_site": {
            "case": f"{SECOND.parent.name}: peakzero forms and solvers (no PyPSA model)",
            "total_s": {k: round(v["total_s"], 4) for k, v in second.items()},
            "solve_s": {k: round(v["solve_s"], 4) for k, v in second.items()},
            "rows_cols": {k: [v["rows"], v["cols"]] for k, v in second.items()},
            "objective_rel_diff_vs_aggregated_simplex": {k: rel(v, ref) for k, v in second.items()},
        },
        "fifteen_minute_demand": _fifteen_minute(),
        "repeats": REPEATS,
    }


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in {**RUNS, **SECOND_RUNS}:
        print(json.dumps(_one(sys.argv[1])))
    else:
        print(json.dumps(run(), indent=2))
