"""Proposal adapters on an optimised example site: every table agrees with the site result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peakzero.site import SiteResult, load_site, optimize_site
from peakzero.site.proposal import (
    monthly_tables,
    operation,
    project_case,
    rounded_design,
    site_loss_waterfall,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sites"
#: Sums over 8,760 hours in another order than the result's own sums.
SUM_RTOL = 1e-10
#: Flows are rebuilt from the LP's flows; solver noise below 1e-6 kW passes.
KW_TOL = 1e-6


@pytest.fixture(scope="module")
def jinan() -> SiteResult:
    return optimize_site(load_site(EXAMPLES / "jinan_cold_storage" / "SITE.toml"))


def test_monthly_tables_sum_to_the_result(jinan: SiteResult) -> None:
    tables = monthly_tables(jinan)
    out = jinan.to_dict()
    # results.json rounds kWh to 0.1 and yuan to the cent: compare to half of that
    assert tables.balance["pv_kwh"].sum() == pytest.approx(out["pv_generation_kwh"], abs=0.05)
    assert tables.bills["total_after_yuan"].sum() == pytest.approx(
        jinan.bill.total_yuan, rel=SUM_RTOL
    )
    assert tables.bills["total_after_yuan"].sum() == pytest.approx(
        out["annual_bill_yuan"], abs=0.005
    )
    assert tables.bills["total_before_yuan"].sum() == pytest.approx(
        jinan.bill_bau.total_yuan, rel=SUM_RTOL
    )
    assert tables.bills["demand_saving_yuan"].sum() == pytest.approx(
        out["bill_components_bau_yuan"]["demand_yuan"] - out["bill_components_yuan"]["demand_yuan"],
        abs=0.02,  # the result rounds each component to the cent
    )
    assert tables.demand["change_yuan"].sum() == pytest.approx(
        -tables.bills["demand_saving_yuan"].sum(), rel=1e-9
    )


def test_risk_inputs_reproduce_the_result(jinan: SiteResult) -> None:
    case = project_case(jinan)
    np.testing.assert_allclose(
        case.cash_flows()["net_yuan"], jinan.cash_flows["net_yuan"], rtol=1e-12
    )
    payback, value = case.payback_and_npv()
    assert payback == pytest.approx(jinan.payback_years, rel=1e-12)
    assert value == pytest.approx(jinan.npv_yuan, rel=1e-12)
    imp, exp, curtailed = operation(jinan).grid_flows(1.0)
    d = jinan.dispatch
    np.testing.assert_allclose(imp, d.grid_import_kw, atol=KW_TOL)
    np.testing.assert_allclose(exp, d.grid_export_kw, atol=KW_TOL)
    np.testing.assert_allclose(curtailed, d.flows["pv_curtailed"], atol=KW_TOL)


def test_loss_waterfall_and_rounding(jinan: SiteResult) -> None:
    wf = site_loss_waterfall(jinan)
    profile = jinan.data.profile
    assert profile is not None
    kwp = jinan.dispatch.pv_kwp
    assert wf.loc["ac_after_clipping", "value"] == pytest.approx(
        profile.specific_yield_kwh_per_kwp * kwp, rel=1e-9
    )
    pv, battery = rounded_design(jinan)
    assert pv is not None and battery is not None
    assert pv.kwp == pv.modules * pv.module.power_w / 1000.0
    assert abs(pv.kwp - kwp) <= pv.modules_per_string * pv.module.power_w / 1000.0 / 2 + 1e-9
