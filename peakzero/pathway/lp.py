"""The pathway linear programme: build sparse matrices, solve with HiGHS, read back.

Columns (:func:`pathway_columns`, a :class:`peakzero.layout.Layout`), all continuous:

* ``units[m, v] >= 0``: units of measure ``m`` installed in year ``v`` (at most
  ``max_units_per_year``, fixed to 0 before ``earliest_year``); a unit is active for
  ``lifetime_years`` years;
* ``gross[y]``, ``net[y]`` (free): gross and net emissions [tCO2].

Rows, one family each (``A`` = the effect of the active units on year ``y``; each function's
docstring gives its equation): source limits, electricity limit, gross and net definitions,
stock limits, peak, neutrality, caps, budget.

Objective (:func:`unit_costs`): discounted total cost at the base year [yuan],
``sum c[m, v] units[m, v]`` where ``c`` is the present value of one unit's capex (at install,
minus linear salvage of the life left after the horizon; or annuitised over the active years
inside the horizon) plus its opex.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Literal

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from peakzero.errors import PeakzeroError
from peakzero.highs import highs_lp, quiet_highs
from peakzero.layout import Family, Layout, LpBuilder
from peakzero.pathway.measures import EFFECTS, FloatArray, Measure

Basis = Literal["gross", "net"]
CapexMode = Literal["upfront_salvage", "annuity"]


@dataclass(frozen=True)
class Cap:
    """An intermediate cap: ``basis`` emissions in ``year`` at most ``max_t`` [tCO2]."""

    year: int
    max_t: float
    basis: Basis = "net"
    label: str = ""


@dataclass(frozen=True)
class PathwayTargets:
    """The targets and limits of one plan.

    Attributes
    ----------
    peak_year
        Emissions (``peak_basis``) do not rise from this year on; None: no peak target.
    neutral_year
        Net emissions <= 0 from this year on; None: no neutrality target.
    peak_basis
        ``"gross"`` (default) or ``"net"`` emissions for the peak constraint.
    peak_min_decline_per_year
        Required fractional fall per year after the peak year (0: non-increasing).
    caps
        Intermediate caps.
    budget_yuan_per_year
        Most capex spent in any one year [yuan]; None: unlimited.
    """

    peak_year: int | None = 2030
    neutral_year: int | None = 2060
    peak_basis: Basis = "gross"
    peak_min_decline_per_year: float = 0.0
    caps: tuple[Cap, ...] = ()
    budget_yuan_per_year: float | None = None


@dataclass(frozen=True)
class PathwayProblem:
    """Everything the LP needs, as plain arrays (validated by the caller).

    Attributes
    ----------
    years
        Consecutive calendar years, base year first.
    base_direct_t
        Baseline emissions of each direct source per year [tCO2].
    base_electricity_mwh
        Baseline purchased electricity per year [MWh] (zeros when none).
    ef_t_per_mwh
        Grid emission factor per year [tCO2/MWh].
    measures
        The menu of measures.
    targets
        Targets and limits.
    discount_rate
        Real discount rate per year.
    capex_mode
        ``"upfront_salvage"`` or ``"annuity"``.
    integer_units
        Whether measures counted in whole things (:attr:`Measure.discrete`, e.g. vehicles)
        are deployed in whole units: their columns are integer and the problem a small MIP
        (:func:`solve_built`); False solves the pure LP (fractional vehicles).
    """

    years: npt.NDArray[np.int64]
    base_direct_t: dict[str, FloatArray]
    base_electricity_mwh: FloatArray
    ef_t_per_mwh: FloatArray
    measures: tuple[Measure, ...]
    targets: PathwayTargets = field(default_factory=PathwayTargets)
    discount_rate: float = 0.06
    capex_mode: CapexMode = "upfront_salvage"
    integer_units: bool = True

    def __post_init__(self) -> None:
        years = np.asarray(self.years)
        if years.ndim != 1 or years.size == 0 or np.any(np.diff(years) != 1):
            raise PeakzeroError(
                f"years = {years.tolist()}: give consecutive calendar years, base year first",
                field="years",
            )
        n = years.size
        series = {f"base_direct_t[{k!r}]": v for k, v in self.base_direct_t.items()}
        series["base_electricity_mwh"] = self.base_electricity_mwh
        series["ef_t_per_mwh"] = self.ef_t_per_mwh
        for name, values in series.items():
            arr = np.asarray(values)
            if arr.shape != (n,):
                raise PeakzeroError(
                    f"{name} has shape {arr.shape} but the horizon has {n} years "
                    f"({int(years[0])}-{int(years[-1])}): give one value per year",
                    field=name.split("[")[0],
                )
            if not np.all(np.isfinite(arr)):
                raise PeakzeroError(f"{name} holds non-finite values", field=name.split("[")[0])
        if not self.discount_rate > -1.0:
            raise PeakzeroError(
                f"discount_rate = {self.discount_rate}: must be > -1", field="discount_rate"
            )

    @property
    def n_years(self) -> int:
        """Number of years in the horizon."""
        return len(self.years)

    def baseline_gross_t(self) -> FloatArray:
        """Baseline gross emissions per year, direct sources + electricity x EF [tCO2]."""
        total = self.base_electricity_mwh * self.ef_t_per_mwh
        for values in self.base_direct_t.values():
            total = total + values
        return np.asarray(total, dtype=float)

    def discount_factors(self) -> FloatArray:
        """``(1 + r) ** -(t)`` for t = 0 .. N (one past the horizon, for salvage)."""
        return np.asarray(
            (1.0 + self.discount_rate) ** -np.arange(self.n_years + 1, dtype=float), dtype=float
        )


@dataclass(frozen=True)
class RowBlock:
    """Rows of one constraint family: row indices and the year (or measure) of each."""

    rows: npt.NDArray[np.int64]
    years: npt.NDArray[np.int64]
    label: str = ""


@dataclass(frozen=True)
class PathwayLp:
    """The assembled LP in HiGHS form plus the bookkeeping to read it back (``columns`` by
    name; ``blocks`` the row families with the year of each row)."""

    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    matrix: sp.csc_matrix
    row_lower: FloatArray
    row_upper: FloatArray
    blocks: dict[str, RowBlock]
    columns: Layout
    years: npt.NDArray[np.int64]
    capex_yuan: FloatArray  # (M, N) undiscounted capex per unit installed in each year
    unit_cost_pv_yuan: FloatArray  # (M, N) objective coefficient of units
    salvage_pv_yuan: FloatArray  # (M, N) salvage credit per unit, present value at base year
    # columns of whole-unit measures (integer); empty for a pure LP
    integer_columns: npt.NDArray[np.int32] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int32)
    )


@dataclass(frozen=True)
class PathwayLpSolution:
    """Solution of the pathway LP."""

    status: str  # "optimal", "infeasible", "unbounded" or HiGHS' status text
    objective_yuan: float
    units_installed: FloatArray  # (M, N)
    gross_t: FloatArray
    net_t: FloatArray
    row_dual: FloatArray
    build_seconds: float
    solve_seconds: float
    years: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def optimal(self) -> bool:
        """True when HiGHS proved optimality."""
        return self.status == "optimal"


@dataclass(frozen=True)
class UnitCosts:
    """Per unit of measure ``m`` installed in year index ``v``, arrays (M, N) [yuan].

    Attributes
    ----------
    capex_yuan
        Capex paid at install, undiscounted (after learning).
    cost_pv_yuan
        The objective coefficient: present value at the base year of the unit's capex, less its
        salvage credit, plus its opex over the active years inside the horizon.
    salvage_pv_yuan
        Salvage credit in present value at the base year: ``capex df[v]`` less the capex part of
        ``cost_pv_yuan``. With ``upfront_salvage`` the linear value of the life left after the
        horizon, ``capex left df[N]``; with ``annuity`` the annuities falling after it.
    """

    capex_yuan: FloatArray
    cost_pv_yuan: FloatArray
    salvage_pv_yuan: FloatArray


def unit_costs(problem: PathwayProblem) -> UnitCosts:
    """Capex, objective coefficient and salvage credit of one unit, per measure and year.

    ``c[m, v] = capex[m, v] df[v] - salvage[m, v] + opex[m] sum_{y=v}^{min(v+life, N)-1} df[y]``
    with ``df[k] = (1 + r)**-k`` and ``salvage = capex[m, v] left[m, v] df[N]`` (``left``: the
    fraction of the life after the horizon, linear salvage) or, for ``capex_mode = "annuity"``,
    ``salvage = capex[m, v] (df[v] - crf(r, life) sum_{active y} df[y])``.
    """
    n = problem.n_years
    df = problem.discount_factors()
    cum = np.concatenate([[0.0], np.cumsum(df[:n])])  # cum[k] = sum df[0:k]
    v = np.arange(n)
    capex = np.zeros((len(problem.measures), n))
    pv = np.zeros((len(problem.measures), n))
    salvage = np.zeros((len(problem.measures), n))
    r = problem.discount_rate
    for i, m in enumerate(problem.measures):
        life = m.lifetime_years
        capex[i] = m.capex_in(problem.years, int(problem.years[0]))
        last = np.minimum(v + life, n)  # active years v .. last-1 inside the horizon
        active_df = cum[last] - cum[v]
        opex_pv = m.opex_yuan_per_unit_year * active_df
        if problem.capex_mode == "annuity":
            crf = 1.0 / life if r == 0 else r / (1.0 - (1.0 + r) ** -life)
            capex_pv = capex[i] * crf * active_df
        else:
            left = np.maximum(v + life - n, 0) / life  # fraction of life after the horizon
            capex_pv = capex[i] * (df[v] - left * df[n])
        pv[i] = capex_pv + opex_pv
        salvage[i] = capex[i] * df[v] - capex_pv
    return UnitCosts(capex, pv, salvage)


IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ActiveUnits:
    """Where each measure's installs are active inside the horizon, as flat arrays.

    Entry ``k``: measure ``measure[k]`` installed in year index ``install[k]`` is active, at age
    ``age[k]``, in year index ``year[k]``; ``effect[name][k]`` is one unit's effect there
    (:data:`peakzero.pathway.measures.EFFECTS`).
    """

    measure: IntArray
    install: IntArray
    year: IntArray
    age: IntArray
    effect: dict[str, FloatArray]

    @classmethod
    def of(cls, problem: PathwayProblem) -> ActiveUnits:
        """The active (measure, install year, year, age) entries of ``problem``."""
        n, base_year = problem.n_years, int(problem.years[0])
        parts: list[tuple[IntArray, ...]] = []
        effects: dict[str, list[FloatArray]] = {name: [] for name in EFFECTS}
        for i, m in enumerate(problem.measures):
            first = max(m.earliest_year - base_year, 0)
            vv, aa = np.meshgrid(np.arange(first, n), np.arange(m.lifetime_years), indexing="ij")
            yy = vv + aa
            keep = yy < n
            aa = aa[keep]
            parts.append((np.full(aa.size, i, dtype=np.int64), vv[keep], yy[keep], aa))
            for name in EFFECTS:
                effects[name].append(m.effect(name)[aa])
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, {k: np.zeros(0) for k in EFFECTS})
        measure, install, year, age = (np.concatenate([q[k] for q in parts]) for k in range(4))
        effect = {k: np.concatenate(v) for k, v in effects.items()}
        return cls(measure, install, year, age, effect)

    def of_measure(self, i: int) -> npt.NDArray[np.bool_]:
        """Mask of measure ``i``'s entries."""
        return np.asarray(self.measure == i, dtype=bool)


def pathway_columns(problem: PathwayProblem) -> Layout:
    """Column layout: ``units`` (measures x years), then ``gross`` and ``net`` (years)."""
    columns = Layout()
    columns.add("units", (len(problem.measures), problem.n_years))
    columns.add("gross", problem.n_years)
    columns.add("net", problem.n_years)
    return columns


class _Rows:
    """The builder plus each family's years and label (for the duals read-back)."""

    def __init__(self, lp: LpBuilder) -> None:
        self.lp = lp
        self.blocks: dict[str, RowBlock] = {}

    def family(
        self, key: str, lower: FloatArray, upper: FloatArray, years: npt.ArrayLike, label: str
    ) -> Family:
        f = self.lp.family(key, lower, upper)
        rows = self.lp.rows[key]
        self.blocks[key] = RowBlock(
            np.arange(rows.start, rows.stop, dtype=np.int64),
            np.asarray(years, dtype=np.int64),
            label,
        )
        return f


def _effect_term(
    f: Family,
    act: ActiveUnits,
    name: str,
    mask: npt.NDArray[np.bool_] | None = None,
    scale: FloatArray | None = None,
) -> None:
    """Add ``effect[name]`` of the active units (``mask``ed, times ``scale[year]``) to ``f``."""
    eff = act.effect[name]
    if scale is not None:
        eff = eff * scale[act.year]
    nz = eff != 0 if mask is None else (eff != 0) & mask
    f.term("units", eff[nz], rows=act.year[nz], at=(act.measure[nz], act.install[nz]))


def source_limits(rows: _Rows, p: PathwayProblem, act: ActiveUnits) -> None:
    """Abatement of each direct source ``s`` within its emissions, every year ``y``:

    sum_{m acts on s} sum_{active v} direct[m, y - v] units[m, v] <= base_s[y]
    """
    n, inf = p.n_years, math.inf
    acts_on = np.array([m.acts_on for m in p.measures], dtype=object)
    for name, base in p.base_direct_t.items():
        mask = (acts_on == name)[act.measure] if act.measure.size else np.zeros(0, dtype=bool)
        if np.any(mask & (act.effect["direct"] != 0)):
            f = rows.family(f"source:{name}", np.full(n, -inf), base, p.years, name)
            _effect_term(f, act, "direct", mask)


def electricity_limit(rows: _Rows, p: PathwayProblem, act: ActiveUnits) -> None:
    """Purchased electricity stays >= 0, every year ``y``:

    sum_m sum_{active v} grid_mwh[m, y - v] units[m, v] <= base_mwh[y]
    """
    if np.any(act.effect["grid"] != 0):
        n = p.n_years
        f = rows.family(
            "source:electricity", np.full(n, -math.inf), p.base_electricity_mwh, p.years, ""
        )
        _effect_term(f, act, "grid")


def gross_definition(rows: _Rows, p: PathwayProblem, act: ActiveUnits) -> None:
    """Gross emissions, every year ``y``:

    gross[y] + sum (direct[m, y - v] + grid_mwh[m, y - v] EF[y]) units[m, v] = base_gross[y]
    """
    base_gross = p.baseline_gross_t()
    f = rows.family("gross", base_gross, base_gross, p.years, "")
    f.term("gross", 1.0)
    _effect_term(f, act, "direct")
    _effect_term(f, act, "grid", scale=p.ef_t_per_mwh)


def net_definition(rows: _Rows, p: PathwayProblem, act: ActiveUnits) -> None:
    """Net emissions, every year ``y``:

    net[y] - gross[y] + sum (sink[m, y - v] + offset[m, y - v]) units[m, v] = 0
    """
    n = p.n_years
    f = rows.family("net", np.zeros(n), np.zeros(n), p.years, "")
    f.term("net", 1.0).term("gross", -1.0)
    _effect_term(f, act, "sink")
    _effect_term(f, act, "offset")


def stock_limits(rows: _Rows, p: PathwayProblem, act: ActiveUnits) -> None:
    """At most ``max_units_total`` units of measure ``m`` active in any year ``y``:

    sum_{v <= y < v + life} units[m, v] <= max_units_total[m]
    """
    n = p.n_years
    for i, m in enumerate(p.measures):
        if math.isfinite(m.max_units_total):
            f = rows.family(
                f"stock:{m.name}",
                np.full(n, -math.inf),
                np.full(n, m.max_units_total),
                p.years,
                m.name,
            )
            mask = act.of_measure(i)
            f.term("units", 1.0, rows=act.year[mask], at=(act.measure[mask], act.install[mask]))


def peak_target(rows: _Rows, p: PathwayProblem) -> None:
    """Emissions ``b`` (gross or net, ``peak_basis``) do not rise from the peak year on and
    fall by at least ``d`` a year, for ``peak_year <= y < last``:

    b[y + 1] - (1 - d) b[y] <= 0
    """
    t = p.targets
    assert t.peak_year is not None
    ks = np.arange(max(t.peak_year - int(p.years[0]), 0), p.n_years - 1)
    if len(ks):
        f = rows.family(
            "peak", np.full(len(ks), -math.inf), np.zeros(len(ks)), p.years[ks + 1], "peak"
        )
        f.term(t.peak_basis, 1.0, at=ks + 1)
        f.term(t.peak_basis, -(1.0 - t.peak_min_decline_per_year), at=ks)


def neutrality_target(rows: _Rows, p: PathwayProblem) -> None:
    """Net zero from the neutral year on, for ``y >= neutral_year``:

    net[y] <= 0
    """
    t = p.targets
    assert t.neutral_year is not None
    ks = np.arange(max(t.neutral_year - int(p.years[0]), 0), p.n_years)
    if len(ks):
        f = rows.family(
            "neutral", np.full(len(ks), -math.inf), np.zeros(len(ks)), p.years[ks], "neutral"
        )
        f.term("net", 1.0, at=ks)


def caps(rows: _Rows, p: PathwayProblem) -> None:
    """Intermediate caps, each on its year and basis:

    b[cap.year] <= cap.max_t
    """
    for j, cap in enumerate(p.targets.caps):
        f = rows.family(
            f"cap:{j}", np.array([-math.inf]), np.array([cap.max_t]), [cap.year], cap.label
        )
        f.term(cap.basis, 1.0, at=[cap.year - int(p.years[0])])


def budget(rows: _Rows, p: PathwayProblem, act: ActiveUnits, capex: FloatArray) -> None:
    """Capex spent in each year ``v`` within the yearly budget:

    sum_m capex[m, v] units[m, v] <= budget_yuan_per_year
    """
    n, limit = p.n_years, p.targets.budget_yuan_per_year
    assert limit is not None
    f = rows.family("budget", np.full(n, -math.inf), np.full(n, limit), p.years, "budget")
    new = act.age == 0
    i, v = act.measure[new], act.install[new]
    f.term("units", capex[i, v], rows=v, at=(i, v))


def build_pathway_lp(problem: PathwayProblem) -> PathwayLp:
    """Assemble the LP of ``problem`` as sparse matrices (see the module docstring)."""
    p, t = problem, problem.targets
    act = ActiveUnits.of(p)
    lp = LpBuilder(pathway_columns(p))
    rows = _Rows(lp)
    source_limits(rows, p, act)
    electricity_limit(rows, p, act)
    gross_definition(rows, p, act)
    net_definition(rows, p, act)
    stock_limits(rows, p, act)
    if t.peak_year is not None:
        peak_target(rows, p)
    if t.neutral_year is not None:
        neutrality_target(rows, p)
    caps(rows, p)
    costs = unit_costs(p)
    if t.budget_yuan_per_year is not None:
        budget(rows, p, act, costs.capex_yuan)
    allowed = p.years[None, :] >= np.array([m.earliest_year for m in p.measures])[:, None]
    per_year = np.array([m.max_units_per_year for m in p.measures], dtype=float)[:, None]
    lp.set_bounds("units", 0.0, np.where(allowed, per_year, 0.0).ravel())
    lp.set_bounds("gross", -math.inf, math.inf)
    lp.set_bounds("net", -math.inf, math.inf)
    lp.set_cost("units", costs.cost_pv_yuan.ravel())
    whole = [i for i, m in enumerate(p.measures) if m.discrete] if p.integer_units else []
    n_years = p.n_years
    at = (
        np.repeat(np.asarray(whole, dtype=np.int64), n_years),
        np.tile(np.arange(n_years), len(whole)),
    )
    integer = lp.columns.indices("units", at).astype(np.int32) if whole else np.zeros(0, np.int32)
    return PathwayLp(
        cost=lp.cost,
        col_lower=lp.col_lower,
        col_upper=lp.col_upper,
        matrix=lp.matrix(),
        row_lower=lp.row_lower,
        row_upper=lp.row_upper,
        blocks=rows.blocks,
        columns=lp.columns,
        years=p.years,
        capex_yuan=costs.capex_yuan,
        unit_cost_pv_yuan=costs.cost_pv_yuan,
        salvage_pv_yuan=costs.salvage_pv_yuan,
        integer_columns=integer,
    )


def _quiet_highs() -> highspy.Highs:
    """A quiet HiGHS instance (see :func:`peakzero.highs.quiet_highs`), presolve off."""
    h = quiet_highs()
    # Presolve costs ~15x the simplex itself on these small, dense-column LPs (measured on the
    # 35-year x 12-measure benchmark: 30 ms with presolve, 2 ms without).
    h.setOptionValue("presolve", "off")
    return h


#: Relative MIP gap of the whole-unit solve: the few integer columns (vehicles per year) make
#: a MIP small enough to close to this gap in milliseconds (the default 1e-4 would leave up to
#: 0.01 % of the cost on the table) [-].
MIP_REL_GAP = 1e-9


def _solve_whole_units(h: highspy.Highs, whole: npt.NDArray[np.int32]) -> None:
    """Solve with the columns ``whole`` integer (branch and bound), then fix them at their
    whole values and re-solve the LP of the rest: the same optimum, with the row duals
    (the target prices) of the plan with those whole deployments."""
    kind = highspy.HighsVarType
    h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    h.changeColsIntegrality(whole.size, whole, np.full(whole.size, kind.kInteger))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return
    values = np.round(np.asarray(h.getSolution().col_value, dtype=float)[whole])
    h.changeColsIntegrality(whole.size, whole, np.full(whole.size, kind.kContinuous))
    h.changeColsBounds(whole.size, whole, values, values)
    h.run()


def solve_built(built: PathwayLp) -> PathwayLpSolution:
    """Solve an assembled LP with HiGHS (simplex, presolve off); with whole-unit columns
    (:attr:`PathwayLp.integer_columns`) a MIP first (:func:`_solve_whole_units`)."""
    t0 = time.perf_counter()
    h = _quiet_highs()
    h.passModel(
        highs_lp(
            built.cost,
            built.col_lower,
            built.col_upper,
            built.matrix,
            built.row_lower,
            built.row_upper,
        )
    )
    whole = built.integer_columns
    if whole.size:
        _solve_whole_units(h, whole)
    else:
        h.run()
    model_status = h.getModelStatus()
    solve_seconds = time.perf_counter() - t0
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif model_status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        status = "infeasible"
    elif model_status == highspy.HighsModelStatus.kUnbounded:
        status = "unbounded"
    else:
        status = h.modelStatusToString(model_status)
    cols = built.columns
    n_years = cols.shape("gross")[0]
    nan = np.full(n_years, np.nan)
    if status != "optimal":
        return PathwayLpSolution(
            status, math.nan, np.full(cols.shape("units"), np.nan), nan, nan,
            np.zeros(0), 0.0, solve_seconds, built.years,
        )  # fmt: skip
    sol = h.getSolution()
    col = np.asarray(sol.col_value, dtype=float)
    return PathwayLpSolution(
        status=status,
        objective_yuan=float(h.getInfo().objective_function_value),
        units_installed=np.maximum(cols.take(col, "units"), 0.0),
        gross_t=cols.take(col, "gross"),
        net_t=cols.take(col, "net"),
        row_dual=np.asarray(sol.row_dual, dtype=float),
        build_seconds=0.0,
        solve_seconds=solve_seconds,
        years=built.years,
    )


def solve_pathway_lp(problem: PathwayProblem) -> tuple[PathwayLp, PathwayLpSolution]:
    """Build and solve ``problem``; the solution records the build and solve times [s]."""
    t0 = time.perf_counter()
    built = build_pathway_lp(problem)
    build_seconds = time.perf_counter() - t0
    sol = solve_built(built)
    return built, replace(sol, build_seconds=build_seconds)
