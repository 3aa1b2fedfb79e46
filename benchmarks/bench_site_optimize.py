"""Full-year PV + battery sizing of an example site: peakzero (numpy/scipy.sparse + highspy)
against the same model built in PyPSA 1.4 (linopy + HiGHS), end to end, in the same run.

Both sides start from the same validated site file and the same inputs (weather -> PV profile,
load, tariff: ``prepare_site``, timed and counted on both sides), build the same LP (sizes PV kWp,
battery kW and kWh; hourly flows; cyclic SOC with the SOC floor; one converter rating for charge +
discharge; monthly peak demand; daily cycle limit; zero export), solve with HiGHS IPM + crossover
at 1e-9 tolerances on one thread, and read the sizes back. PyPSA's network: one AC bus with the
load, a grid generator (time-varying marginal cost = TOU price x present-worth factor), an
extendable PV generator (p_max_pu = levelised per-kWp profile), a battery bus with an extendable
cyclic Store and charger/discharger Links; the converter rating, demand charge and cycle limit are
extra linopy constraints. The optimal objectives must agree within 1e-6 relative.

Each side runs in its own fresh Python process so that peak memory (max RSS, which includes the
solver's C++ allocations) is measured per side. Times are the median of ``REPEATS`` runs.
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
REPEATS = 3
OBJECTIVE_RTOL = 1e-6
TOL = 1e-9


def _peakzero_once() -> dict[str, Any]:
    from peakzero.optimize import build_lp, read_dispatch
    from peakzero.optimize.solve import Session
    from peakzero.site import load_site, prepare_site

    t0 = time.perf_counter()
    data = prepare_site(load_site(EXAMPLE))
    t1 = time.perf_counter()
    model = build_lp(data.problem)
    session = Session(model)
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


def _pypsa_once() -> dict[str, Any]:
    import pandas as pd
    import pypsa

    from peakzero.optimize import build_lp
    from peakzero.site import load_site, prepare_site

    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    data = prepare_site(load_site(EXAMPLE))
    p = data.problem
    b, e = p.battery, p.economics
    # the battery kWh cost with the same replacement dating as peakzero's first solve
    kwh_cost = float(build_lp(p).c[2])
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
                "solver": "ipm",
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


def _side(name: str) -> dict[str, Any]:
    """Run one side REPEATS times in this process; report medians and max RSS."""
    once = _peakzero_once if name == "peakzero" else _pypsa_once
    runs = [once() for _ in range(REPEATS)]
    out = dict(runs[-1])
    for key in ("inputs_s", "build_s", "solve_s", "readback_s", "total_s"):
        out[key] = statistics.median(r[key] for r in runs)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def _child(name: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, name], capture_output=True, text=True, check=True
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def run() -> dict[str, Any]:
    """Time both sides, check the objectives agree, return the figures."""
    ours = _child("peakzero")
    peer = _child("pypsa")
    rel = abs(ours["objective_yuan"] - peer["objective_yuan"]) / abs(peer["objective_yuan"])

    def share(side: dict[str, Any]) -> dict[str, float]:
        total = side["total_s"]
        return {
            k: round(side[k] / total, 3) for k in ("inputs_s", "build_s", "solve_s", "readback_s")
        }

    return {
        "case": f"{EXAMPLE.parent.name}: 8760 h PV + battery sizing, end to end",
        "lp_rows": ours["rows"],
        "lp_cols": ours["cols"],
        "objective_peakzero_yuan": ours["objective_yuan"],
        "objective_pypsa_yuan": peer["objective_yuan"],
        "objective_rel_diff": rel,
        "objective_agrees_1e-6": rel <= OBJECTIVE_RTOL,
        "sizes_peakzero_kwp_kw_kwh": [round(v, 3) for v in ours["sizes"]],
        "sizes_pypsa_kwp_kw_kwh": [round(v, 3) for v in peer["sizes"]],
        "pypsa_status": peer["status"],
        "peakzero_seconds": {
            k: round(ours[k], 4)
            for k in ("inputs_s", "build_s", "solve_s", "readback_s", "total_s")
        },
        "pypsa_seconds": {
            k: round(peer[k], 4)
            for k in ("inputs_s", "build_s", "solve_s", "readback_s", "total_s")
        },
        "peakzero_shares": share(ours),
        "pypsa_shares": share(peer),
        "speedup_end_to_end": round(peer["total_s"] / ours["total_s"], 2),
        "speedup_build": round(peer["build_s"] / ours["build_s"], 1),
        "speedup_solve": round(peer["solve_s"] / ours["solve_s"], 2),
        "goal_5x_met": peer["total_s"] / ours["total_s"] >= 5.0,
        "peak_rss_mb_peakzero": round(ours["peak_rss_mb"], 1),
        "peak_rss_mb_pypsa": round(peer["peak_rss_mb"], 1),
        "repeats": REPEATS,
    }


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ("peakzero", "pypsa"):
        print(json.dumps(_side(sys.argv[1])))
    else:
        print(json.dumps(run(), indent=2))
