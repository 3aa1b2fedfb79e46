"""Transformer (grid) limit on import and export, and the demand-increase limit, in both LP
forms; a grid limit no design can meet is refused with its figures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from site_cases import tiny

from peakzero.errors import PeakzeroError
from peakzero.optimize import (
    SiteProblem,
    build_site_lp,
    optimize_dispatch,
    read_dispatch,
    solve_site_lp,
)

# HiGHS feasibility tolerance 1e-9 on flows of ~1e2 kW: 1e-6 kW is ample and still negligible.
KW_TOL = 1e-6
# Both forms are the same LP projected (see peakzero.optimize.aggregate): optima agree to the
# solver tolerance, 1e-9 relative.
OBJ_RTOL = 1e-9


def _both_forms(p: SiteProblem) -> tuple[float, float, np.ndarray, np.ndarray]:
    out = []
    for form in ("aggregated", "detailed"):
        model = build_site_lp(p, form=form)
        d = read_dispatch(p, model, solve_site_lp(model))
        out.append((d.objective_yuan, d))
    (obj_a, da), (obj_d, dd) = out
    assert obj_a == pytest.approx(obj_d, rel=OBJ_RTOL)
    return obj_a, obj_d, da.grid_import_kw, dd.grid_import_kw


def _arbitrage(seed: int) -> SiteProblem:
    # no demand charge, export allowed, cheap battery: charging in the 0.3 yuan/kWh valley is
    # worth it, at whatever import peak it takes
    return tiny(seed, demand=0.0, export_limit_kw=None, battery_export=True)


def test_grid_limit_bounds_import_and_export() -> None:
    free = _arbitrage(1)
    base = optimize_dispatch(free).dispatch
    peak = float(max(base.grid_import_kw.max(), base.grid_export_kw.max()))
    limit = 0.8 * peak
    p = dataclasses.replace(free, grid_limit_kw=limit)
    obj_a, _, imp_a, imp_d = _both_forms(p)
    d = optimize_dispatch(p).dispatch
    assert d.grid_import_kw.max() <= limit + KW_TOL
    assert d.grid_export_kw.max() <= limit + KW_TOL
    assert imp_a.max() <= limit + KW_TOL and imp_d.max() <= limit + KW_TOL
    assert obj_a >= base.objective_yuan * (1 - OBJ_RTOL)


def test_demand_increase_zero_keeps_each_month_at_its_peak_load() -> None:
    free = _arbitrage(2)
    raised = optimize_dispatch(free).dispatch
    months = free.month
    month_peak_load = {m: free.load_kw[months == m].max() for m in np.unique(months)}
    # the case this test is about: the free optimum charges from the grid above the peak load
    assert any(
        raised.grid_import_kw[months == m].max() > month_peak_load[m] + 1.0 for m in month_peak_load
    )
    p = dataclasses.replace(free, max_demand_increase_kw=0.0)
    obj, _, imp_a, imp_d = _both_forms(p)
    for m, peak in month_peak_load.items():
        for imp in (imp_a, imp_d):
            assert imp[months == m].max() <= peak + KW_TOL
    assert obj >= raised.objective_yuan * (1 - OBJ_RTOL)
    # an allowance of 10 kW above the peak load, by hand
    q = dataclasses.replace(free, max_demand_increase_kw=10.0)
    np.testing.assert_array_equal(q.import_cap_kw, q.bau_monthly_peak_kw + 10.0)
    imp = optimize_dispatch(q).dispatch.grid_import_kw
    assert imp.max() <= max(month_peak_load.values()) + 10.0 + KW_TOL


def test_caps_by_hand() -> None:
    p = dataclasses.replace(tiny(0), export_limit_kw=50.0, grid_limit_kw=30.0)
    assert p.export_cap_kw == 30.0
    np.testing.assert_array_equal(p.import_cap_kw, np.full(p.n, 30.0))
    assert dataclasses.replace(tiny(0), export_limit_kw=None).import_cap_kw is None
    assert dataclasses.replace(tiny(0), export_limit_kw=None).export_cap_kw is None


def test_grid_limit_no_design_can_meet_is_refused_with_figures() -> None:
    p = dataclasses.replace(tiny(3, max_kwp=0.0), grid_limit_kw=50.0)
    p = dataclasses.replace(p, battery=dataclasses.replace(p.battery, max_kw=10.0))
    with pytest.raises(PeakzeroError) as err:
        optimize_dispatch(p)
    assert err.value.field == "grid_limit_kw"
    message = str(err.value)
    first = int(np.flatnonzero(p.load_kw - 10.0 > 50.0)[0])
    assert f"interval {first}" in message and f"{p.load_kw[first]:,.1f} kW" in message
    assert "battery (10.0 kW)" in message


def test_limits_must_be_non_negative() -> None:
    with pytest.raises(PeakzeroError, match="grid_limit_kw = -1"):
        dataclasses.replace(tiny(0), grid_limit_kw=-1.0)
    with pytest.raises(PeakzeroError, match="max_demand_increase_kw"):
        dataclasses.replace(tiny(0), max_demand_increase_kw=float("nan"))
