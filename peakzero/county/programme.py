"""What the county gets: totals, feeder flags, the NEA minimum shares and the cheapest programme.

NEA minimum shares (国家能源局综合司《关于报送整县（市、区）屋顶分布式光伏开发试点方案的通知》,
June 2021): the roof area on which PV can be installed must be at least 50 % of the total roof
area of government buildings (党政机关), 40 % of public buildings such as schools, hospitals
and village committees (学校、医院、村委会), 30 % of commercial and industrial buildings
(工商业厂房) and 20 % of rural homes (农村居民). Shares here are of roof plan area, per
category over the whole county; a building counts when it gets PV.

The cheapest programme meeting the shares: choose buildings ``x_i in {0, 1}`` (each at its own
optimal size) to minimise the total investment ``sum_i capex_i x_i`` subject to
``sum_{i in c} area_i x_i >= share_c x sum_{i in c} area_i`` for each category ``c`` and, per
feeder ``f`` with a known capacity, ``sum_{i in f} pv_ac_i x_i <= yellow_max x capacity_f`` (no
feeder turned red), ``x_i = 0`` where no PV was sized. A MILP solved by HiGHS
(:func:`scipy.optimize.milp`) to a relative gap of :data:`MIP_REL_GAP` (proven optimal within
it; exact against brute force on small cases in the tests) or, on large counties whose many
near-identical homes make the proof long, the best set found in :data:`MIP_TIME_LIMIT_S` with
its proven gap (status ``feasible``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from peakzero.county.models import CATEGORIES, CountyInput

#: NEA June 2021 minimum shares of roof area with PV, by category [-].
NEA_MIN_SHARES: dict[str, float] = {
    "government": 0.50,
    "public_service": 0.40,
    "commercial_industrial": 0.30,
    "rural_residential": 0.20,
}
#: Relative optimality gap the cheapest-programme MILP must prove [-].
MIP_REL_GAP = 1e-6
#: Time the MILP may take before returning its best set and proven gap [s].
MIP_TIME_LIMIT_S = 60.0
NEA_SOURCE = (
    "National Energy Administration, 关于报送整县（市、区）屋顶分布式光伏开发试点方案的通知, "
    "June 2021: minimum shares of roof area with PV: government 50 %, schools, hospitals and "
    "village committees 40 %, commercial and industrial 30 %, rural homes 20 %"
)


def installed(results: pd.DataFrame) -> pd.Series:
    """Whether each building gets PV at its optimal size."""
    return results["pv_kwp"] > 1e-6


def nea_shares(results: pd.DataFrame, chosen: pd.Series | None = None) -> pd.DataFrame:
    """Share of roof area with PV per category against the NEA minimum.

    ``chosen`` marks the buildings with PV (default: every building whose optimum has PV).
    Columns: ``category``, ``buildings``, ``roof_area_m2``, ``buildings_with_pv``,
    ``area_with_pv_m2``, ``share``, ``minimum``, ``met``.

    >>> frame = pd.DataFrame({"category": ["government"] * 2, "area_m2": [300.0, 100.0],
    ...     "pv_kwp": [10.0, 0.0]})
    >>> row = nea_shares(frame).iloc[0]
    >>> float(row["share"]), bool(row["met"])
    (0.75, True)
    """
    mask = installed(results) if chosen is None else chosen.astype(bool)
    rows = []
    for cat in CATEGORIES:
        sel = results["category"] == cat
        area = float(results.loc[sel, "area_m2"].sum())
        with_pv = float(results.loc[sel & mask, "area_m2"].sum())
        share = with_pv / area if area > 0 else math.nan
        rows.append(
            {
                "category": cat,
                "buildings": int(sel.sum()),
                "roof_area_m2": area,
                "buildings_with_pv": int((sel & mask).sum()),
                "area_with_pv_m2": with_pv,
                "share": share,
                "minimum": NEA_MIN_SHARES[cat],
                # a category with no building has nothing to meet
                "met": bool(area == 0 or share >= NEA_MIN_SHARES[cat] - 1e-12),
            }
        )
    return pd.DataFrame(rows)


def feeder_flag(ratio: float, green_max: float, yellow_max: float) -> str:
    """``green`` (ratio <= green_max), ``yellow`` (<= yellow_max), ``red``; ``unknown`` for NaN.

    >>> [feeder_flag(r, 0.6, 0.8) for r in (0.6, 0.7, 0.81, float("nan"))]
    ['green', 'yellow', 'red', 'unknown']
    """
    if math.isnan(ratio):
        return "unknown"
    if ratio <= green_max:
        return "green"
    return "yellow" if ratio <= yellow_max else "red"


def feeder_table(results: pd.DataFrame, county: CountyInput) -> pd.DataFrame:
    """PV per feeder against its capacity, with the flag (see :class:`GridRuleInput`)."""
    capacity = {f.id: f.capacity_kva for f in county.feeders}
    grouped = results.groupby("feeder", sort=True)
    rows = []
    for feeder, part in grouped:
        cap = capacity.get(str(feeder), math.nan)
        ac = float(part["pv_ac_kw"].sum())
        ratio = math.nan if math.isnan(cap) else ac / cap
        rows.append(
            {
                "feeder": feeder,
                "buildings": len(part),
                "buildings_with_pv": int(installed(part).sum()),
                "pv_kwp": float(part["pv_kwp"].sum()),
                "pv_ac_kw": ac,
                "battery_kwh": float(part["battery_kwh"].sum()),
                "capacity_kva": cap,
                "pv_to_capacity": ratio,
                "flag": feeder_flag(ratio, county.grid.green_max, county.grid.yellow_max),
            }
        )
    for fid in sorted(set(capacity) - set(results["feeder"])):
        rows.append(
            {
                "feeder": fid,
                "buildings": 0,
                "buildings_with_pv": 0,
                "pv_kwp": 0.0,
                "pv_ac_kw": 0.0,
                "battery_kwh": 0.0,
                "capacity_kva": capacity[fid],
                "pv_to_capacity": 0.0,
                "flag": "green",
            }
        )
    return pd.DataFrame(rows)


SUM_COLUMNS: tuple[str, ...] = (
    "area_m2",
    "pv_kwp",
    "pv_ac_kw",
    "battery_kw",
    "battery_kwh",
    "pv_year1_kwh",
    "capex_yuan",
    "savings_year1_yuan",
    "npv_yuan",
    "co2_avoided_t_per_year",
)


def totals_by(results: pd.DataFrame, column: str) -> pd.DataFrame:
    """Sums of :data:`SUM_COLUMNS` and building counts per value of ``column``."""
    frame = results.assign(buildings=1, buildings_with_pv=installed(results).astype(int))
    table = frame.groupby(column, sort=True)[["buildings", "buildings_with_pv", *SUM_COLUMNS]].sum()
    return table.reset_index()


@dataclass(frozen=True)
class Programme:
    """The cheapest set of buildings meeting the NEA shares (or why there is none)."""

    status: str  # "optimal" or "infeasible"
    chosen: pd.Series  # bool per building (index of the results)
    capex_yuan: float
    npv_yuan: float
    pv_kwp: float
    message: str
    mip_gap: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "status": self.status,
            "buildings": int(self.chosen.sum()),
            "capex_yuan": round(self.capex_yuan, 2),
            "npv_yuan": round(self.npv_yuan, 2),
            "pv_kwp": round(self.pv_kwp, 3),
            "objective": "least total investment (capex) meeting every NEA minimum share "
            "without turning a feeder red",
            "message": self.message,
            "mip_gap": self.mip_gap,
        }


def cheapest_programme(results: pd.DataFrame, county: CountyInput | None = None) -> Programme:
    """Solve the MILP of the module docstring (exact: HiGHS branch and bound, gap 0)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(results)
    cost = results["capex_yuan"].to_numpy(dtype=float)
    area = results["area_m2"].to_numpy(dtype=float)
    can = installed(results).to_numpy()
    rows, lower, upper = [], [], []
    for cat in CATEGORIES:
        sel = (results["category"] == cat).to_numpy()
        if not sel.any():
            continue
        need = NEA_MIN_SHARES[cat] * float(area[sel].sum())
        if float(area[sel & can].sum()) < need - 1e-9:
            return Programme(
                "infeasible",
                pd.Series(False, index=results.index),
                math.nan,
                math.nan,
                math.nan,
                f"{cat}: buildings with PV cover {area[sel & can].sum():.0f} m2 of roof, less "
                f"than the {NEA_MIN_SHARES[cat]:.0%} minimum ({need:.0f} m2)",
            )
        rows.append(np.where(sel, area, 0.0))
        lower.append(need)
        upper.append(np.inf)
    if county is not None:
        cap = {f.id: f.capacity_kva for f in county.feeders}
        ac = results["pv_ac_kw"].to_numpy(dtype=float)
        for fid, kva in sorted(cap.items()):
            sel = (results["feeder"] == fid).to_numpy()
            if sel.any():
                rows.append(np.where(sel, ac, 0.0))
                lower.append(-np.inf)
                upper.append(county.grid.yellow_max * kva)
    constraints = [LinearConstraint(np.array(rows), lower, upper)] if rows else []
    res = milp(
        c=cost,
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), can.astype(float)),
        constraints=constraints,
        options={"mip_rel_gap": MIP_REL_GAP, "time_limit": MIP_TIME_LIMIT_S, "presolve": True},
    )
    if res.x is None:
        return Programme(
            "infeasible",
            pd.Series(False, index=results.index),
            math.nan,
            math.nan,
            math.nan,
            "no set of buildings meets every NEA share without turning a feeder red "
            f"(HiGHS: {res.message})",
        )
    chosen = pd.Series(np.round(res.x) > 0.5, index=results.index)
    pick = results[chosen]
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    status = "optimal" if res.status == 0 and gap <= MIP_REL_GAP else "feasible"
    return Programme(
        status,
        chosen,
        float(pick["capex_yuan"].sum()),
        float(pick["npv_yuan"].sum()),
        float(pick["pv_kwp"].sum()),
        f"{int(chosen.sum())} buildings meet every NEA minimum share at least investment"
        + ("" if status == "optimal" else f" found in {MIP_TIME_LIMIT_S:.0f} s, within {gap:.2%}"),
        gap,
    )
