"""The named LP layout and sparse builder, the site and pathway LPs read through it by name,
and the shape checks of the problems at construction."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from site_cases import tiny

from peakzero.errors import PeakzeroError
from peakzero.layout import Layout, LpBuilder
from peakzero.optimize import (
    SIZES,
    build_site_lp,
    optimize_dispatch,
    read_dispatch,
    solve_site_lp,
)
from peakzero.pathway import PathwayProblem, PathwayTargets, build_pathway_lp, solve_pathway_lp
from peakzero.pathway.measures import Measure

# Matrix coefficients are products of two or three inputs: 1e-12 relative covers round-off.
COEF_RTOL = 1e-12


def test_layout_positions_by_hand() -> None:
    cols = Layout()
    assert cols.add("a") == slice(0, 1)
    assert cols.add("b", 4) == slice(1, 5)
    assert cols.add("m", (2, 3)) == slice(5, 11)
    assert cols.size == 11 and list(cols) == ["a", "b", "m"]
    assert cols.index("a") == 0
    assert cols.indices("b", [0, 3]).tolist() == [1, 4]
    # entry (i, j) of a (2, 3) block at start + 3 i + j
    assert cols.indices("m", ([0, 1, 1], [2, 0, 2])).tolist() == [7, 8, 10]
    x = np.arange(11.0)
    assert cols.value(x, "a") == 0.0
    np.testing.assert_array_equal(cols.take(x, "m"), [[5, 6, 7], [8, 9, 10]])
    with pytest.raises(ValueError, match="not a scalar"):
        cols.index("b")
    with pytest.raises(ValueError, match="already"):
        cols.add("a")


def test_builder_assembles_families_by_hand() -> None:
    cols = Layout()
    cols.add("k")
    cols.add("s", 3)
    lp = LpBuilder(cols)
    t = np.arange(3)
    # s_t - s_{t-1} - 2 k = 0 (cyclic), then one row: s_0 + s_1 + s_2 <= 9
    lp.family("dyn", np.zeros(3), np.zeros(3)).term("s", 1.0).term("s", -1.0, at=(t - 1) % 3).term(
        "k", -2.0
    )
    lp.family("sum", [-np.inf], [9.0]).term("s", 1.0, rows=np.zeros(3, dtype=np.int64))
    lp.set_cost("s", [1.0, 2.0, 3.0])
    lp.set_bounds("k", 1.0, 1.0)
    expected = [
        [-2.0, 1.0, 0.0, -1.0],
        [-2.0, -1.0, 1.0, 0.0],
        [-2.0, 0.0, -1.0, 1.0],
        [0.0, 1.0, 1.0, 1.0],
    ]
    np.testing.assert_array_equal(lp.matrix().toarray(), expected)
    assert lp.rows["dyn"] == slice(0, 3) and lp.rows["sum"] == slice(3, 4)
    np.testing.assert_array_equal(lp.row_upper, [0, 0, 0, 9])
    np.testing.assert_array_equal(lp.cost, [0, 1, 2, 3])
    np.testing.assert_array_equal(lp.col_lower, [1, 0, 0, 0])


def test_site_lp_rows_read_by_name_match_their_equations() -> None:
    p = tiny(3)
    lp = build_site_lp(p, form="detailed")
    a = lp.a.tocsr()
    cols, rows = lp.columns, lp.rows
    t = 5
    row = a[rows["soc_dynamics"].start + t].toarray().ravel()
    b, dt = p.battery, p.dt_hours
    # s_t - s_{t-1} - eta_c dt (pv_to_batt + grid_to_batt) + dt / eta_d (batt_to_load + ...)
    assert row[cols.indices("soc", [t])[0]] == 1.0
    assert row[cols.indices("soc", [t - 1])[0]] == -1.0
    for k in ("pv_to_batt", "grid_to_batt"):
        got = row[cols.indices(k, [t])[0]]
        assert got == pytest.approx(-b.charge_efficiency * dt, rel=COEF_RTOL)
    for k in ("batt_to_load", "batt_to_grid"):
        got = row[cols.indices(k, [t])[0]]
        assert got == pytest.approx(dt / b.discharge_efficiency, rel=COEF_RTOL)
    assert np.count_nonzero(row) == 6
    # monthly peak: import_t - D_m(t) <= 0
    peak = a[rows["monthly_peak"].start + t].toarray().ravel()
    assert peak[cols.indices("peak_kw", [p.month[t]])[0]] == -1.0
    assert peak[cols.indices("grid_to_load", [t])[0]] == 1.0
    # the sizes come first, by name
    assert [cols.index(k) for k in SIZES] == [0, 1, 2]


def test_site_solution_read_by_name_and_carries_its_index() -> None:
    index = pd.date_range("2025-01-01", periods=48, freq="h", tz="Etc/GMT-8")
    p = dataclasses.replace(tiny(2), index=index)
    model = build_site_lp(p)
    d = read_dispatch(p, model, solve_site_lp(model))
    assert d.index is index
    frame = d.to_frame()
    assert frame.index.equals(index) and frame.index.name == "time"
    np.testing.assert_array_equal(frame["soc"].to_numpy(), d.flows["soc"])
    assert optimize_dispatch(tiny(2)).dispatch.to_frame().index.name == "interval"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"pv_kw_per_kwp": np.zeros(47)}, "pv_kw_per_kwp", "shape (47,) but load_kw has 48"),
        ({"import_price_yuan_per_kwh": np.zeros((48, 1))}, "import_price_yuan_per_kwh", "(48,)"),
        ({"load_kw": np.zeros((2, 24))}, "load_kw", "shape (2, 24)"),
        ({"month": np.full(48, 12, dtype=np.int64)}, "month", "0 (January) to 11"),
        ({"day": np.full(48, -1, dtype=np.int64)}, "day", ">= 0"),
        ({"dt_hours": 0.0}, "dt_hours", "> 0.0"),
        ({"demand_charge_yuan_per_kw_month": -1.0}, "demand_charge_yuan_per_kw_month", ">= 0"),
        ({"index": pd.date_range("2025-01-01", periods=24, freq="h")}, "index", "24 entries"),
    ],
)
def test_site_problem_checks_shapes_at_construction(
    change: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(PeakzeroError) as err:
        dataclasses.replace(tiny(0), **change)  # type: ignore[arg-type]
    assert err.value.field == field
    assert words in str(err.value)


def test_site_problem_rejects_nan_naming_the_interval() -> None:
    load = tiny(0).load_kw.copy()
    load[7] = np.nan
    with pytest.raises(PeakzeroError, match=r"load_kw\[7\] = nan"):
        dataclasses.replace(tiny(0), load_kw=load)


def _offset(price: float) -> Measure:
    return Measure("ccer", "ccer", "t", 0.0, price, 1, 2025, 1e6, offset_t_by_age=(1.0,))


def test_pathway_lp_read_by_name() -> None:
    years = np.arange(2025, 2028)
    p = PathwayProblem(
        years,
        {"fuels": np.full(3, 100.0)},
        np.zeros(3),
        np.full(3, 0.5),
        (_offset(80.0),),
        PathwayTargets(peak_year=None, neutral_year=2027),
        discount_rate=0.0,
    )
    built, sol = solve_pathway_lp(p)
    assert built.columns.shape("units") == (1, 3)
    # net definition in 2026: net - gross + offset units = 0
    row = built.matrix.tocsr()[built.blocks["net"].rows[1]].toarray().ravel()
    cols = built.columns
    assert row[cols.indices("net", [1])[0]] == 1.0
    assert row[cols.indices("gross", [1])[0]] == -1.0
    assert row[cols.indices("units", ([0], [1]))[0]] == 1.0
    # buy 100 t of offsets in 2027 only, at 80 yuan/t (no discounting)
    np.testing.assert_allclose(sol.units_installed, [[0.0, 0.0, 100.0]], atol=1e-6)
    assert sol.objective_yuan == pytest.approx(8000.0, rel=1e-9)  # HiGHS tolerance 1e-9
    np.testing.assert_array_equal(sol.years, years)
    assert build_pathway_lp(p).blocks["neutral"].years.tolist() == [2027]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"years": np.array([2025, 2027, 2028])}, "years"),
        ({"base_electricity_mwh": np.zeros(2)}, "base_electricity_mwh"),
        ({"ef_t_per_mwh": np.array([0.5, np.nan, 0.5])}, "ef_t_per_mwh"),
        ({"base_direct_t": {"fuels": np.zeros(4)}}, "base_direct_t"),
    ],
)
def test_pathway_problem_checks_lengths(change: dict[str, object], field: str) -> None:
    base = dict(
        years=np.arange(2025, 2028),
        base_direct_t={"fuels": np.full(3, 100.0)},
        base_electricity_mwh=np.zeros(3),
        ef_t_per_mwh=np.full(3, 0.5),
        measures=(_offset(80.0),),
    )
    with pytest.raises(PeakzeroError) as err:
        PathwayProblem(**{**base, **change})  # type: ignore[arg-type]
    assert err.value.field == field
