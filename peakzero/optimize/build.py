"""Build the site LP as sparse matrices (numpy + scipy.sparse), vectorised over intervals.

Two equivalent forms (same feasible set projected on the sizes and the bill, same optimum):
the *aggregated* form (default; per interval PV used, import, export, charge, discharge, SOC; see
:mod:`peakzero.optimize.aggregate`, about 45 % fewer columns) and the *detailed* form below (one
column per flow), used when a renewable-share target needs the PV split.

Detailed form. Variables (columns), in this order: the three sizes ``pv_kwp``, ``batt_kw``,
``batt_kwh``; then one block of T per flow in :data:`FLOWS` [kW] (``soc`` in [kWh]); then one
monthly peak import per month present [kW] when there is a demand charge (both forms keep the
sizes first and the peaks last; :attr:`LPModel.blocks` names the blocks between).

Rows: PV split, load balance, SOC dynamics (cyclic), SOC window (the ``soc`` column is the energy
above the floor ``soc_min x kWh``, so the floor is a bound), converter power (charge + discharge
<= kW, one bidirectional converter), export limit (only when the battery may export), monthly
peak, daily cycle limit, then the optional scalar targets (CO2, renewable share, capex budget).

Minimised objective: lifecycle cost [yuan] = capex + O&M and battery replacement in present worth
+ present worth of the representative year's bill (see :mod:`peakzero.optimize.problem`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from peakzero.optimize.aggregate import (
    Bounds,
    Entries,
    Group,
    aggregated_blocks,
    aggregated_matrix,
    battery_rows,
)
from peakzero.optimize.problem import FloatArray, SiteProblem
from peakzero.storage import replacement_year

FLOWS: tuple[str, ...] = (
    "pv_to_load",
    "pv_to_batt",
    "pv_to_grid",
    "pv_curtailed",
    "grid_to_load",
    "grid_to_batt",
    "batt_to_load",
    "batt_to_grid",
    "soc",
)
SIZES: tuple[str, ...] = ("pv_kwp", "batt_kw", "batt_kwh")
OPTIONAL_ROWS: tuple[str, ...] = ("co2", "renewable", "budget")


@dataclass(frozen=True)
class LPModel:
    """A built LP: ``min c x`` s.t. ``row_lower <= A x <= row_upper`` and column bounds.

    ``offset`` is the constant part of the objective [yuan]; ``rows`` maps row-group names to
    slices so a group can be inspected or dropped (infeasibility diagnosis).
    """

    c: FloatArray
    a: sp.csc_matrix
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    offset: float
    n: int
    months: NDArray[np.int64]
    rows: dict[str, slice]
    replacement_year: int | None
    blocks: tuple[str, ...] = FLOWS

    @property
    def aggregated(self) -> bool:
        """Whether the columns are the aggregates of :mod:`peakzero.optimize.aggregate`."""
        return self.blocks != FLOWS

    def col(self, name: str) -> slice | int:
        """Column slice of block ``name`` (T entries) or index of size ``name``."""
        if name in SIZES:
            return SIZES.index(name)
        if name == "peak_kw":
            start = 3 + len(self.blocks) * self.n
            return slice(start, start + self.months.size)
        k = self.blocks.index(name)
        return slice(3 + k * self.n, 3 + (k + 1) * self.n)


def _size_bounds(fixed: float | None, low: float, high: float) -> tuple[float, float]:
    return (fixed, fixed) if fixed is not None else (low, high)


def kwh_cost_yuan(problem: SiteProblem, replacement: int | None) -> float:
    """Objective coefficient of battery kWh: capex plus discounted replacement [yuan/kWh]."""
    b, e = problem.battery, problem.economics
    cost = b.capex_yuan_per_kwh
    if replacement is not None:
        cost += (
            b.replacement_cost_fraction
            * b.capex_yuan_per_kwh
            / (1 + e.discount_rate) ** replacement
        )
    return cost


def _detailed_matrix(problem: SiteProblem) -> tuple[list[Group], Bounds, Bounds]:
    """Per-interval row groups, row bounds and column bounds of the detailed form."""
    p, b = problem, problem.battery
    n = p.n
    t = np.arange(n)
    one = np.ones(n)

    def fc(name: str) -> NDArray[np.int64]:
        return 3 + FLOWS.index(name) * n + t

    cb: Bounds = {k: (np.zeros(n), np.full(n, np.inf)) for k in FLOWS}
    if not b.grid_charging:
        cb["grid_to_batt"] = (np.zeros(n), np.zeros(n))
    if not p.battery_export:
        cb["batt_to_grid"] = (np.zeros(n), np.zeros(n))
    if p.export_limit_kw is not None and not p.battery_export:
        cb["pv_to_grid"] = (np.zeros(n), np.full(n, p.export_limit_kw))
    pv_gen = p.pv_kw_per_kwp * p.pv_levelisation
    groups: list[Group] = [
        (
            "pv_split",
            n,
            [(t, fc(k), one) for k in ("pv_to_load", "pv_to_batt", "pv_to_grid", "pv_curtailed")]
            + [(t, np.zeros(n, dtype=np.int64), -pv_gen)],
        ),
        (
            "load_balance",
            n,
            [(t, fc(k), one) for k in ("pv_to_load", "grid_to_load", "batt_to_load")],
        ),
    ]
    rb: Bounds = {"pv_split": (np.zeros(n), np.zeros(n)), "load_balance": (p.load_kw, p.load_kw)}
    battery, battery_bounds = battery_rows(
        p,
        t,
        fc("soc"),
        [fc("pv_to_batt"), fc("grid_to_batt")],
        [fc("batt_to_load"), fc("batt_to_grid")],
    )
    groups += battery
    rb.update(battery_bounds)
    if p.export_limit_kw is not None and p.battery_export:
        groups.append(
            ("export_limit", n, [(t, fc("pv_to_grid"), one), (t, fc("batt_to_grid"), one)])
        )
        rb["export_limit"] = (-np.inf * one, np.full(n, p.export_limit_kw))
    return groups, rb, cb


#: Blocks that make up grid import, grid export, battery discharge and PV sent to the battery,
#: per form.
_PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "detailed": {
        "import": ("grid_to_load", "grid_to_batt"),
        "export": ("pv_to_grid", "batt_to_grid"),
        "discharge": ("batt_to_load", "batt_to_grid"),
    },
    "aggregated": {"import": ("imp",), "export": ("exp",), "discharge": ("dis",)},
}


def use_aggregated(problem: SiteProblem) -> bool:
    """Whether ``form="auto"`` builds the aggregated form: yes unless the renewable-share target
    (which depends on how PV is split between load and battery) is set."""
    return problem.targets.min_renewable_share is None


def build_lp(
    problem: SiteProblem, *, assumed_cycles_per_year: float = 300.0, form: str = "auto"
) -> LPModel:
    """Assemble the LP of ``problem``.

    Parameters
    ----------
    problem
        The site problem.
    assumed_cycles_per_year
        Equivalent full cycles per year used to date the battery replacement when the battery
        gives no fixed replacement year [-]; :func:`optimize_dispatch` re-solves with the cycles
        found.
    form
        ``"aggregated"`` (per interval PV used, import, export, charge, discharge, SOC; see
        :mod:`peakzero.optimize.aggregate`), ``"detailed"`` (one column per flow) or ``"auto"``
        (aggregated unless a renewable-share target is set). Both forms have the same optimum.
    """
    if form == "auto":
        form = "aggregated" if use_aggregated(problem) else "detailed"
    if form == "aggregated" and not use_aggregated(problem):
        raise ValueError("the aggregated form cannot express the renewable-share target")
    if form == "aggregated":
        blocks = aggregated_blocks(problem)
        groups, row_bounds, col_bounds = aggregated_matrix(problem, blocks)
    elif form == "detailed":
        blocks = FLOWS
        groups, row_bounds, col_bounds = _detailed_matrix(problem)
    else:
        raise ValueError(f"form = {form!r}: allowed auto, aggregated, detailed")
    parts = {k: tuple(x for x in v if x in blocks) for k, v in _PARTS[form].items()}
    p, b, e, tg = problem, problem.battery, problem.economics, problem.targets
    n, dt = p.n, p.dt_hours
    t = np.arange(n)
    nb = len(blocks)

    def fc(name: str) -> NDArray[np.int64]:
        return 3 + blocks.index(name) * n + t

    months = np.unique(p.month)
    has_demand = p.demand_charge_yuan_per_kw_month > 0.0
    n_peak = months.size if has_demand else 0
    n_col = 3 + nb * n + n_peak
    pwf_b, pwf_o = e.pwf_bill, e.pwf_om
    rep = replacement_year(b, assumed_cycles_per_year, e.analysis_years)

    # --- objective -------------------------------------------------------------------------
    c = np.zeros(n_col)
    c[0] = p.pv.capex_yuan_per_kwp + p.pv.om_yuan_per_kwp_year * pwf_o
    c[1] = b.capex_yuan_per_kw + b.om_yuan_per_kw_year * pwf_o
    c[2] = kwh_cost_yuan(p, rep)
    for k in parts["import"]:
        c[fc(k)] = p.import_price_yuan_per_kwh * dt * pwf_b
    for k in parts["export"]:
        c[fc(k)] = -p.export_credit_yuan_per_kwh * dt * pwf_b
    if has_demand:
        c[3 + nb * n :] = p.demand_charge_yuan_per_kw_month * pwf_b
    offset = p.fixed_charges_yuan_per_year * pwf_b

    # --- bounds ----------------------------------------------------------------------------
    lo = np.zeros(n_col)
    hi = np.full(n_col, np.inf)
    lo[0], hi[0] = _size_bounds(p.pv.fixed_kwp, p.pv.min_kwp, p.pv.max_kwp)
    lo[1], hi[1] = _size_bounds(b.fixed_kw, b.min_kw, b.max_kw)
    lo[2], hi[2] = _size_bounds(b.fixed_kwh, b.min_kwh, b.max_kwh)
    for k, (low, high) in col_bounds.items():
        lo[fc(k)], hi[fc(k)] = low, high

    # --- rows: built as COO triplets, group by group ---------------------------------------
    ri: list[NDArray[np.int64]] = []
    ci: list[NDArray[np.int64]] = []
    vi: list[FloatArray] = []
    rlo: list[FloatArray] = []
    rhi: list[FloatArray] = []
    names: dict[str, slice] = {}
    n_row = 0

    def add(name: str, rows: int, entries: Entries, low: FloatArray, high: FloatArray) -> None:
        nonlocal n_row
        for r, cc, v in entries:
            ri.append(r + n_row)
            ci.append(cc)
            vi.append(np.broadcast_to(np.asarray(v, dtype=float), r.shape))
        rlo.append(np.broadcast_to(low, (rows,)).astype(float))
        rhi.append(np.broadcast_to(high, (rows,)).astype(float))
        names[name] = slice(n_row, n_row + rows)
        n_row += rows

    for name, rows, entries in groups:
        add(name, rows, entries, *row_bounds[name])
    one = np.ones(n)
    if has_demand:
        peak_col = 3 + nb * n + np.searchsorted(months, p.month)
        add(
            "monthly_peak",
            n,
            [(t, fc(k), one) for k in parts["import"]] + [(t, peak_col.astype(np.int64), -one)],
            -np.inf * one,
            np.zeros(n),
        )
    if b.max_cycles_per_day is not None:
        days, day_row = np.unique(p.day, return_inverse=True)
        nd = days.size
        ones_d = np.ones(nd)
        add(
            "cycle_limit",
            nd,
            [(day_row, fc(k), dt * one) for k in parts["discharge"]]
            + [(np.arange(nd), np.full(nd, 2, dtype=np.int64), -b.max_cycles_per_day * ones_d)],
            -np.inf * np.ones(nd),
            np.zeros(nd),
        )
    total_load_kwh = float(p.load_kw.sum() * dt)
    z = np.zeros(n, dtype=np.int64)
    if tg.min_co2_reduction_fraction is not None:
        add(
            "co2",
            1,
            [(z, fc(k), dt * one) for k in parts["import"]],
            np.array([-np.inf]),
            np.array([(1 - tg.min_co2_reduction_fraction) * total_load_kwh]),
        )
    if tg.min_renewable_share is not None:
        add(
            "renewable",
            1,
            [
                (z, fc("pv_to_load"), dt * one),
                (z, fc("pv_to_batt"), b.round_trip_efficiency * dt * one),
            ],
            np.array([tg.min_renewable_share * total_load_kwh]),
            np.array([np.inf]),
        )
    if tg.capex_budget_yuan is not None:
        z3 = np.zeros(3, dtype=np.int64)
        add(
            "budget",
            1,
            [
                (
                    z3,
                    np.arange(3),
                    np.array([p.pv.capex_yuan_per_kwp, b.capex_yuan_per_kw, b.capex_yuan_per_kwh]),
                )
            ],
            np.array([-np.inf]),
            np.array([tg.capex_budget_yuan]),
        )

    a = sp.csc_matrix(
        (np.concatenate(vi), (np.concatenate(ri), np.concatenate(ci))), shape=(n_row, n_col)
    )
    return LPModel(
        c=c,
        a=a,
        col_lower=lo,
        col_upper=hi,
        row_lower=np.concatenate(rlo),
        row_upper=np.concatenate(rhi),
        offset=offset,
        n=n,
        months=months if has_demand else np.zeros(0, dtype=np.int64),
        rows=names,
        replacement_year=rep,
        blocks=blocks,
    )


def drop_rows(model: LPModel, names: tuple[str, ...]) -> LPModel:
    """The same model with the row groups ``names`` relaxed to free rows (for diagnosis)."""
    lo, hi = model.row_lower.copy(), model.row_upper.copy()
    for name in names:
        if name in model.rows:
            lo[model.rows[name]] = -np.inf
            hi[model.rows[name]] = np.inf
    return LPModel(
        c=model.c,
        a=model.a,
        col_lower=model.col_lower,
        col_upper=model.col_upper,
        row_lower=lo,
        row_upper=hi,
        offset=model.offset,
        n=model.n,
        months=model.months,
        rows=model.rows,
        replacement_year=model.replacement_year,
        blocks=model.blocks,
    )
