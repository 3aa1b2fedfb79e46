"""One meter, one direction per interval: the LP never sells PV while buying the load back.

When the export price (coal benchmark) exceeds the import price (a midday valley), separate
import and export columns would let an LP export all PV and import the load in the same hour.
The LP credits export at min(export, import price); the chosen design is billed on the tariff.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peakzero.optimize import (
    Economics,
    PVOptions,
    SiteProblem,
    bill_parts,
    build_site_lp,
    read_dispatch,
    solve_site_lp,
)
from peakzero.site import load_site, optimize_site
from peakzero.storage import Battery

ROOT = Path(__file__).resolve().parents[1]
#: Flows below this are solver noise [kW] (HiGHS feasibility tolerance 1e-9 on ~1e2 kW).
KW_TOL = 1e-6


def _two_hours() -> SiteProblem:
    """Hour 0: load 100 kW, PV 150 kW, valley 0.1 yuan/kWh; hour 1: load 100 kW, no PV, 1.0."""
    return SiteProblem(
        load_kw=np.array([100.0, 100.0]),
        pv_kw_per_kwp=np.array([1.5, 0.0]),
        import_price_yuan_per_kwh=np.array([0.1, 1.0]),
        month=np.zeros(2, dtype=np.int64),
        day=np.zeros(2, dtype=np.int64),
        export_price_yuan_per_kwh=0.4,
        export_limit_kw=None,
        pv=PVOptions(
            capex_yuan_per_kwp=10.0,
            om_yuan_per_kwp_year=0.0,
            max_kwp=100.0,
            fixed_kwp=100.0,
            degradation_per_year=0.0,
        ),
        battery=Battery(fixed_kw=0.0, fixed_kwh=0.0),
        economics=Economics(analysis_years=1, discount_rate=0.0),
    )


@pytest.mark.parametrize("form", ["aggregated", "detailed"])
def test_surplus_only_is_exported_by_hand(form: str) -> None:
    p = _two_hours()
    model = build_site_lp(p, form=form)  # type: ignore[arg-type]
    sol = solve_site_lp(model)
    d = read_dispatch(p, model, sol)
    f = d.flows
    # Hour 0: PV serves the 100 kW load, the 50 kW surplus is exported; nothing is imported.
    assert f["pv_to_load"][0] == pytest.approx(100.0, abs=KW_TOL)
    assert f["pv_to_grid"][0] == pytest.approx(50.0, abs=KW_TOL)
    assert d.grid_import_kw[0] == pytest.approx(0.0, abs=KW_TOL)
    # Hour 1: the grid serves the load.
    assert d.grid_import_kw[1] == pytest.approx(100.0, abs=KW_TOL)
    energy, demand, revenue, _ = bill_parts(p, d.grid_import_kw, d.grid_export_kw)
    # Bill by hand: 100 kWh x 1.0 - 50 kWh x 0.4 = 80 yuan (one year, no discounting).
    assert energy - revenue + demand == pytest.approx(80.0, abs=1e-6)
    # Lifecycle cost: capex 100 kWp x 10 yuan + the 80 yuan bill; the LP itself priced the
    # export at the 0.1 valley price: 1000 + 100 - 50 x 0.1 = 1095 yuan.
    assert d.objective_yuan == pytest.approx(1080.0, abs=1e-6)
    assert d.lp_objective_yuan == pytest.approx(1095.0, abs=1e-6)


def test_no_interval_imports_and_exports_at_once_in_jinan() -> None:
    """Jinan (Shandong): midday deep valley 0.062 yuan/kWh below the 0.3949 export price."""
    site = optimize_site(
        load_site(ROOT / "examples" / "sites" / "jinan_cold_storage" / "SITE.toml")
    )
    d = site.dispatch
    both = (d.grid_import_kw > KW_TOL) & (d.grid_export_kw > KW_TOL)
    assert int(both.sum()) == 0
    # The bill of the design is the tariff's, on the same flows.
    p = site.data.problem
    energy, demand, revenue, _ = bill_parts(p, d.grid_import_kw, d.grid_export_kw)
    assert energy + demand - revenue + p.fixed_charges_yuan_per_year == pytest.approx(
        site.bill.total_yuan, rel=1e-9
    )
