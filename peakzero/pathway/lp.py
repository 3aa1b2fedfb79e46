"""The pathway linear programme: build sparse matrices, solve with HiGHS, read back.

Variables (all continuous):

* ``x[m, v] >= 0``: units of measure ``m`` installed in year ``v`` (at most ``max_units_per_year``,
  fixed to 0 before ``earliest_year``); a unit is active for ``lifetime_years`` years;
* ``g[y]``, ``n[y]`` (free): gross and net emissions [tCO2].

Rows, for every year ``y`` (``A`` = the effect of the active units on that year):

* source ``s``:     ``sum direct x <= base_s[y]`` (abatement cannot exceed the source's emissions);
* electricity:     ``sum grid_mwh x <= base_mwh[y]`` (purchased electricity stays >= 0);
* gross:           ``g[y] + sum (direct + grid_mwh EF[y]) x = base_gross[y]``;
* net:             ``n[y] - g[y] + sum (sink + offset) x = 0``;
* stock of ``m``:  ``sum_{active} x <= max_units_total``;
* peak:            ``b[y+1] - (1 - d) b[y] <= 0`` for ``y >= peak_year`` (``b`` = gross or net);
* neutrality:      ``n[y] <= 0`` for ``y >= neutral_year``;
* caps:            ``b[year] <= max_t``;
* budget:          ``sum capex(v) x[:, v] <= budget`` (investment spent in year ``v``).

Objective: discounted total cost at the base year [yuan], ``sum c[m, v] x[m, v]`` where
``c`` is the present value of one unit's capex (at install, minus linear salvage of the life left
after the horizon; or annuitised over the active years inside the horizon) plus its opex.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Literal

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from peakzero.highs import highs_lp, quiet_highs
from peakzero.pathway.measures import FloatArray, Measure

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
class Targets:
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
    """

    years: npt.NDArray[np.int64]
    base_direct_t: dict[str, FloatArray]
    base_electricity_mwh: FloatArray
    ef_t_per_mwh: FloatArray
    measures: tuple[Measure, ...]
    targets: Targets = field(default_factory=Targets)
    discount_rate: float = 0.06
    capex_mode: CapexMode = "upfront_salvage"

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
class BuiltLp:
    """The assembled LP in HiGHS form plus the bookkeeping to read it back."""

    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    matrix: sp.csc_matrix
    row_lower: FloatArray
    row_upper: FloatArray
    blocks: dict[str, RowBlock]
    n_x: int
    capex_yuan: FloatArray  # (M, N) undiscounted capex per unit installed in each year
    unit_cost_pv_yuan: FloatArray  # (M, N) objective coefficient of x


@dataclass(frozen=True)
class LpSolution:
    """Solution of the pathway LP."""

    status: str  # "optimal", "infeasible", "unbounded" or HiGHS' status text
    objective_yuan: float
    units_installed: FloatArray  # (M, N)
    gross_t: FloatArray
    net_t: FloatArray
    row_dual: FloatArray
    build_seconds: float
    solve_seconds: float

    @property
    def optimal(self) -> bool:
        """True when HiGHS proved optimality."""
        return self.status == "optimal"


def _unit_costs(problem: PathwayProblem) -> tuple[FloatArray, FloatArray]:
    """(capex per unit installed each year, PV cost per unit installed each year) (M, N) [yuan]."""
    n = problem.n_years
    df = problem.discount_factors()
    cum = np.concatenate([[0.0], np.cumsum(df[:n])])  # cum[k] = sum df[0:k]
    v = np.arange(n)
    capex = np.zeros((len(problem.measures), n))
    pv = np.zeros((len(problem.measures), n))
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
    return capex, pv


def build_lp(problem: PathwayProblem) -> BuiltLp:
    """Assemble the LP of ``problem`` as sparse matrices (see the module docstring)."""
    n = problem.n_years
    measures = problem.measures
    n_m = len(measures)
    n_x = n_m * n
    col_g = n_x
    col_n = n_x + n
    n_cols = n_x + 2 * n
    years = problem.years
    base_year = int(years[0])
    ef = problem.ef_t_per_mwh

    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    vals: list[FloatArray] = []
    lower: list[FloatArray] = []
    upper: list[FloatArray] = []
    blocks: dict[str, RowBlock] = {}
    n_rows = 0

    def add_block(key: str, lo: FloatArray, up: FloatArray, yrs: npt.ArrayLike, label: str) -> int:
        nonlocal n_rows
        start = n_rows
        count = len(lo)
        blocks[key] = RowBlock(
            np.arange(start, start + count, dtype=np.int64),
            np.asarray(yrs, dtype=np.int64),
            label,
        )
        lower.append(np.asarray(lo, dtype=float))
        upper.append(np.asarray(up, dtype=float))
        n_rows += count
        return start

    def add(r: npt.ArrayLike, c: npt.ArrayLike, v: npt.ArrayLike) -> None:
        rows.append(np.asarray(r, dtype=np.int64))
        cols.append(np.asarray(c, dtype=np.int64))
        vals.append(np.asarray(v, dtype=float))

    # (install year v, active year y, age a) triples per measure, inside the horizon
    triples = []
    for i, m in enumerate(measures):
        first = max(m.earliest_year - base_year, 0)
        vv, aa = np.meshgrid(np.arange(first, n), np.arange(m.lifetime_years), indexing="ij")
        yy = vv + aa
        keep = yy < n
        triples.append((i, vv[keep], yy[keep], aa[keep]))

    def effect_entries(
        kind: int, scale_by_ef: bool = False, only_source: str | None = None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]:
        """(year, column, value) of effect ``kind`` (0 direct, 1 grid, 2 sink, 3 offset)."""
        out_y: list[npt.NDArray[np.int64]] = []
        out_c: list[npt.NDArray[np.int64]] = []
        out_v: list[FloatArray] = []
        for i, vv, yy, aa in triples:
            m = measures[i]
            if only_source is not None and m.acts_on != only_source:
                continue
            eff = m.effects()[kind][aa]
            if scale_by_ef:
                eff = eff * ef[yy]
            nz = eff != 0
            out_y.append(yy[nz])
            out_c.append(i * n + vv[nz])
            out_v.append(eff[nz])
        if not out_y:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(out_y), np.concatenate(out_c), np.concatenate(out_v)

    all_years = np.arange(n)
    inf = math.inf
    # abatement of each direct source within its emissions
    for name, base in problem.base_direct_t.items():
        yy, cc, ev = effect_entries(0, only_source=name)
        if len(yy):
            start = add_block(f"source:{name}", np.full(n, -inf), base, years, name)
            add(start + yy, cc, ev)
    # purchased electricity stays >= 0
    yy, cc, ev = effect_entries(1)
    if len(yy):
        start = add_block(
            "source:electricity", np.full(n, -inf), problem.base_electricity_mwh, years, ""
        )
        add(start + yy, cc, ev)
    # gross definition
    base_gross = problem.baseline_gross_t()
    start_g = add_block("gross", base_gross, base_gross, years, "")
    add(start_g + all_years, col_g + all_years, np.ones(n))
    for kind, by_ef in ((0, False), (1, True)):
        yy, cc, ev = effect_entries(kind, scale_by_ef=by_ef)
        add(start_g + yy, cc, ev)
    # net definition
    start_n = add_block("net", np.zeros(n), np.zeros(n), years, "")
    add(start_n + all_years, col_n + all_years, np.ones(n))
    add(start_n + all_years, col_g + all_years, -np.ones(n))
    for kind in (2, 3):
        yy, cc, ev = effect_entries(kind)
        add(start_n + yy, cc, ev)
    # stock limits
    for i, vv_i, yy_i, _ in triples:
        m = measures[i]
        if math.isfinite(m.max_units_total):
            start = add_block(
                f"stock:{m.name}", np.full(n, -inf), np.full(n, m.max_units_total), years, m.name
            )
            add(start + yy_i, i * n + vv_i, np.ones(len(yy_i)))

    t = problem.targets
    col_b = {"gross": col_g, "net": col_n}
    if t.peak_year is not None:
        k0 = max(t.peak_year - base_year, 0)
        ks = np.arange(k0, n - 1)
        if len(ks):
            start = add_block(
                "peak", np.full(len(ks), -inf), np.zeros(len(ks)), years[ks + 1], "peak"
            )
            cb = col_b[t.peak_basis]
            local = np.arange(len(ks))
            add(start + local, cb + ks + 1, np.ones(len(ks)))
            add(start + local, cb + ks, np.full(len(ks), -(1.0 - t.peak_min_decline_per_year)))
    if t.neutral_year is not None:
        ks = np.arange(max(t.neutral_year - base_year, 0), n)
        if len(ks):
            start = add_block(
                "neutral", np.full(len(ks), -inf), np.zeros(len(ks)), years[ks], "neutral"
            )
            add(start + np.arange(len(ks)), col_n + ks, np.ones(len(ks)))
    for j, cap in enumerate(t.caps):
        k = cap.year - base_year
        start = add_block(
            f"cap:{j}", np.array([-inf]), np.array([cap.max_t]), [cap.year], cap.label
        )
        add([start], [col_b[cap.basis] + k], [1.0])

    capex, unit_pv = _unit_costs(problem)
    if t.budget_yuan_per_year is not None:
        start = add_block(
            "budget", np.full(n, -inf), np.full(n, t.budget_yuan_per_year), years, "budget"
        )
        for i, vv_i, _, aa_i in triples:
            v0 = vv_i[aa_i == 0]
            add(start + v0, i * n + v0, capex[i, v0])

    matrix = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n_cols),
    )
    matrix.sum_duplicates()
    col_lower = np.concatenate([np.zeros(n_x), np.full(2 * n, -inf)])
    col_upper = np.full(n_cols, inf)
    for i, m in enumerate(measures):
        allowed = years >= m.earliest_year
        col_upper[i * n : (i + 1) * n] = np.where(allowed, m.max_units_per_year, 0.0)
    cost = np.concatenate([unit_pv.ravel(), np.zeros(2 * n)])
    return BuiltLp(
        cost=cost,
        col_lower=col_lower,
        col_upper=col_upper,
        matrix=matrix,
        row_lower=np.concatenate(lower),
        row_upper=np.concatenate(upper),
        blocks=blocks,
        n_x=n_x,
        capex_yuan=capex,
        unit_cost_pv_yuan=unit_pv,
    )


def _quiet_highs() -> highspy.Highs:
    """A quiet HiGHS instance (see :func:`peakzero.highs.quiet_highs`), presolve off."""
    h = quiet_highs()
    # Presolve costs ~15x the simplex itself on these small, dense-column LPs (measured on the
    # 35-year x 12-measure benchmark: 30 ms with presolve, 2 ms without).
    h.setOptionValue("presolve", "off")
    return h


def solve_built(built: BuiltLp, n_measures: int, n_years: int) -> LpSolution:
    """Solve an assembled LP with HiGHS (simplex, presolve off)."""
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
    nan = np.full(n_years, np.nan)
    if status != "optimal":
        return LpSolution(
            status, math.nan, np.full((n_measures, n_years), np.nan), nan, nan,
            np.zeros(0), 0.0, solve_seconds,
        )  # fmt: skip
    sol = h.getSolution()
    col = np.asarray(sol.col_value, dtype=float)
    n_x = built.n_x
    return LpSolution(
        status=status,
        objective_yuan=float(h.getInfo().objective_function_value),
        units_installed=np.maximum(col[:n_x].reshape(n_measures, n_years), 0.0),
        gross_t=col[n_x : n_x + n_years],
        net_t=col[n_x + n_years : n_x + 2 * n_years],
        row_dual=np.asarray(sol.row_dual, dtype=float),
        build_seconds=0.0,
        solve_seconds=solve_seconds,
    )


def solve_lp(problem: PathwayProblem) -> tuple[BuiltLp, LpSolution]:
    """Build and solve ``problem``; the solution records the build and solve times [s]."""
    t0 = time.perf_counter()
    built = build_lp(problem)
    build_seconds = time.perf_counter() - t0
    sol = solve_built(built, len(problem.measures), problem.n_years)
    return built, LpSolution(
        sol.status,
        sol.objective_yuan,
        sol.units_installed,
        sol.gross_t,
        sol.net_t,
        sol.row_dual,
        build_seconds,
        sol.solve_seconds,
    )
