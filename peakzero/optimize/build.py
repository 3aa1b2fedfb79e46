"""Build the site LP as sparse matrices (numpy + scipy.sparse), vectorised over intervals.

Two equivalent forms (same feasible set projected on the sizes and the bill, same optimum):
the *aggregated* form (default; per interval PV used, import, export, charge, discharge, SOC; see
:mod:`peakzero.optimize.aggregate`, about 45 % fewer columns) and the *detailed* form (one
column block per flow in :data:`FLOWS`), used when a renewable-share target needs the PV split.

Columns (:func:`site_columns`, a :class:`peakzero.layout.Layout`): the sizes ``pv_kwp``,
``batt_kw``, ``batt_kwh``; one block of T per flow or aggregate [kW] (``soc`` [kWh]); then
``peak_kw``, one monthly peak import per month present [kW], when there is a demand charge.

Rows, one family each (equations in :mod:`peakzero.optimize.families` and
:mod:`peakzero.optimize.aggregate`): PV split, load balance, SOC dynamics (cyclic), SOC window,
converter power, export limit or routing, monthly peak, daily cycle limit, then the optional
scalar targets (CO2, renewable share, capex budget).

Minimised objective (:func:`lifecycle_cost`): lifecycle cost [yuan] = capex + O&M and battery
replacement in present worth + present worth of the representative year's bill (see
:mod:`peakzero.optimize.problem`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from peakzero.layout import Layout, LpBuilder
from peakzero.optimize.aggregate import aggregated_blocks, aggregated_rows
from peakzero.optimize.families import (
    SIZES,
    capex_budget,
    co2_target,
    converter_power,
    cycle_limit,
    export_limit,
    import_limit,
    load_balance_detailed,
    monthly_peak,
    pv_split_detailed,
    renewable_target,
    soc_dynamics,
    soc_window,
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

__all__ = ["FLOWS", "SIZES", "SiteLp", "build_site_lp", "drop_rows", "kwh_cost_yuan"]


@dataclass(frozen=True)
class SiteLp:
    """A built site LP: ``min c x + offset`` s.t. ``row_lower <= A x <= row_upper`` and bounds.

    ``columns`` and ``rows`` are the named layouts (:class:`peakzero.layout.Layout`): a block,
    size or constraint family by name -> its slice, so a solution is read and a family relaxed
    by name (infeasibility diagnosis).
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
    rows: Layout
    replacement_year: int | None
    columns: Layout
    blocks: tuple[str, ...] = FLOWS

    @property
    def aggregated(self) -> bool:
        """Whether the columns are the aggregates of :mod:`peakzero.optimize.aggregate`."""
        return self.blocks != FLOWS

    @property
    def size_columns(self) -> NDArray[np.int32]:
        """Column indices of :data:`SIZES`, in that order."""
        return np.array([self.columns.index(k) for k in SIZES], dtype=np.int32)


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


#: Blocks that make up grid import, grid export, battery charge and discharge, per form.
_PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "detailed": {
        "import": ("grid_to_load", "grid_to_batt"),
        "export": ("pv_to_grid", "batt_to_grid"),
        "charge": ("pv_to_batt", "grid_to_batt"),
        "discharge": ("batt_to_load", "batt_to_grid"),
    },
    "aggregated": {
        "import": ("imp",),
        "export": ("exp",),
        "charge": ("ch",),
        "discharge": ("dis",),
    },
}


def use_aggregated(problem: SiteProblem) -> bool:
    """Whether ``form="auto"`` builds the aggregated form: yes unless the renewable-share target
    (which depends on how PV is split between load and battery) is set."""
    return problem.targets.min_renewable_share is None


def has_demand_charge(problem: SiteProblem) -> bool:
    """Whether the LP has monthly peak columns (a demand charge above zero)."""
    return problem.demand_charge_yuan_per_kw_month > 0.0


def site_columns(problem: SiteProblem, blocks: tuple[str, ...]) -> Layout:
    """Column layout: sizes, one block of T per name in ``blocks``, monthly peaks if charged."""
    columns = Layout()
    for name in SIZES:
        columns.add(name)
    for name in blocks:
        columns.add(name, problem.n)
    if has_demand_charge(problem):
        columns.add("peak_kw", np.unique(problem.month).size)
    return columns


def _size_bounds(fixed: float | None, low: float, high: float) -> tuple[float, float]:
    return (fixed, fixed) if fixed is not None else (low, high)


def size_bounds(lp: LpBuilder, p: SiteProblem) -> None:
    """``min <= size <= max`` for each size, or ``size = fixed`` when fixed."""
    b = p.battery
    lp.set_bounds("pv_kwp", *_size_bounds(p.pv.fixed_kwp, p.pv.min_kwp, p.pv.max_kwp))
    lp.set_bounds("batt_kw", *_size_bounds(b.fixed_kw, b.min_kw, b.max_kw))
    lp.set_bounds("batt_kwh", *_size_bounds(b.fixed_kwh, b.min_kwh, b.max_kwh))


def detailed_flow_bounds(lp: LpBuilder, p: SiteProblem) -> None:
    """Flows switched off by the options: ``grid_to_batt = 0`` without grid charging,
    ``batt_to_grid = 0`` without battery export; ``pv_to_grid`` within the export and grid
    limits (:attr:`SiteProblem.export_cap_kw`) when only PV exports."""
    if not p.battery.grid_charging:
        lp.set_bounds("grid_to_batt", 0.0, 0.0)
    if not p.battery_export:
        lp.set_bounds("batt_to_grid", 0.0, 0.0)
    if p.export_cap_kw is not None and not p.battery_export:
        lp.set_bounds("pv_to_grid", 0.0, p.export_cap_kw)


def detailed_rows(lp: LpBuilder, p: SiteProblem) -> None:
    """Block bounds and per-interval rows of the detailed form."""
    detailed_flow_bounds(lp, p)
    pv_split_detailed(lp, p)
    load_balance_detailed(lp, p)
    parts = _PARTS["detailed"]
    soc_dynamics(lp, p, parts["charge"], parts["discharge"])
    soc_window(lp, p)
    converter_power(lp, p, parts["charge"], parts["discharge"])
    if p.export_cap_kw is not None and p.battery_export:
        export_limit(lp, p)
    if p.import_cap_kw is not None:
        import_limit(lp, p)


def lifecycle_cost(
    lp: LpBuilder, p: SiteProblem, parts: dict[str, tuple[str, ...]], rep: int | None
) -> float:
    """Set the objective; return its constant part [yuan]::

        (capex_pv + om_pv pwf_om) P + (capex_kw + om_kw pwf_om) K + kwh_cost E
        + pwf_bill [ sum_t dt (price_t imp_t - credit_t exp_t) + demand_charge sum_m D_m
        + fixed_charges ]

    with ``kwh_cost`` from :func:`kwh_cost_yuan` and ``credit_t`` the export credit
    :attr:`SiteProblem.export_credit_yuan_per_kwh`.
    """
    b, e = p.battery, p.economics
    pwf_b, pwf_o = e.pwf_bill, e.pwf_om
    lp.set_cost("pv_kwp", p.pv.capex_yuan_per_kwp + p.pv.om_yuan_per_kwp_year * pwf_o)
    lp.set_cost("batt_kw", b.capex_yuan_per_kw + b.om_yuan_per_kw_year * pwf_o)
    lp.set_cost("batt_kwh", kwh_cost_yuan(p, rep))
    for k in parts["import"]:
        lp.set_cost(k, p.import_price_yuan_per_kwh * p.dt_hours * pwf_b)
    for k in parts["export"]:
        lp.set_cost(k, -p.export_credit_yuan_per_kwh * p.dt_hours * pwf_b)
    if "peak_kw" in lp.columns:
        lp.set_cost("peak_kw", p.demand_charge_yuan_per_kw_month * pwf_b)
    return p.fixed_charges_yuan_per_year * pwf_b


def build_site_lp(
    problem: SiteProblem, *, assumed_cycles_per_year: float = 300.0, form: str = "auto"
) -> SiteLp:
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
    elif form == "detailed":
        blocks = FLOWS
    else:
        raise ValueError(f"form = {form!r}: allowed auto, aggregated, detailed")
    p, tg = problem, problem.targets
    parts = {k: tuple(x for x in v if x in blocks) for k, v in _PARTS[form].items()}
    rep = replacement_year(p.battery, assumed_cycles_per_year, p.economics.analysis_years)
    lp = LpBuilder(site_columns(p, blocks))
    offset = lifecycle_cost(lp, p, parts, rep)
    size_bounds(lp, p)
    if form == "aggregated":
        aggregated_rows(lp, p)
    else:
        detailed_rows(lp, p)
    if has_demand_charge(p):
        monthly_peak(lp, p, parts["import"])
    if p.battery.max_cycles_per_day is not None:
        cycle_limit(lp, p, parts["discharge"])
    if tg.min_co2_reduction_fraction is not None:
        co2_target(lp, p, parts["import"])
    if tg.min_renewable_share is not None:
        renewable_target(lp, p)
    if tg.capex_budget_yuan is not None:
        capex_budget(lp, p)
    return SiteLp(
        c=lp.cost,
        a=lp.matrix(),
        col_lower=lp.col_lower,
        col_upper=lp.col_upper,
        row_lower=lp.row_lower,
        row_upper=lp.row_upper,
        offset=offset,
        n=p.n,
        months=np.unique(p.month) if has_demand_charge(p) else np.zeros(0, dtype=np.int64),
        rows=lp.rows,
        replacement_year=rep,
        columns=lp.columns,
        blocks=blocks,
    )


def drop_rows(model: SiteLp, names: tuple[str, ...]) -> SiteLp:
    """The same model with the row families ``names`` relaxed to free rows (for diagnosis)."""
    lo, hi = model.row_lower.copy(), model.row_upper.copy()
    for name in names:
        if name in model.rows:
            lo[model.rows[name]] = -np.inf
            hi[model.rows[name]] = np.inf
    return replace(model, row_lower=lo, row_upper=hi)
