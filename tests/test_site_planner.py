"""The site planner end to end on an example site: consistency of bills, cash flows and carbon."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peakzero.optimize import bill_parts
from peakzero.site import SiteResult, load_site, optimize_site
from peakzero.tariff import compute_bill

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sites"
# HiGHS tolerance 1e-9 on objectives of ~1e7-1e8 yuan; sums over 8,760 hours
REL_TOL = 1e-7
KW_TOL = 1e-6


@pytest.fixture(scope="module")
def jinan() -> SiteResult:
    return optimize_site(load_site(EXAMPLES / "jinan_cold_storage" / "SITE.toml"))


def test_fixed_battery_budget_and_target_hold(jinan: SiteResult) -> None:
    d = jinan.dispatch
    assert (d.battery_kw, d.battery_kwh) == pytest.approx((500.0, 1000.0))
    assert jinan.capex_yuan <= 5_000_000.0 * (1 + REL_TOL)
    assert jinan.carbon.scope2_reduction_fraction >= 0.10 - 1e-9
    assert d.grid_export_kw.max() <= 300.0 + KW_TOL


def test_energy_balance_every_hour(jinan: SiteResult) -> None:
    f, load = jinan.dispatch.flows, jinan.data.load_kw
    np.testing.assert_allclose(
        f["pv_to_load"] + f["grid_to_load"] + f["batt_to_load"], load, atol=KW_TOL
    )
    assert len(load) == 8760


def test_lp_bill_equals_tariff_bill(jinan: SiteResult) -> None:
    p, d = jinan.data.problem, jinan.dispatch
    energy, demand, revenue, _ = bill_parts(p, d.grid_import_kw, d.grid_export_kw)
    lp_bill = energy + demand - revenue + p.fixed_charges_yuan_per_year
    assert lp_bill == pytest.approx(jinan.bill.total_yuan, rel=REL_TOL)
    bau = compute_bill(jinan.data.tariff, jinan.data.index, jinan.data.load_kw)
    assert bau.total_yuan == pytest.approx(jinan.bill_bau.total_yuan, rel=1e-12)


def test_npv_of_cash_flows_equals_lp_saving(jinan: SiteResult) -> None:
    # the cash flows are built so that their NPV is BAU lifecycle cost minus the LP optimum
    assert jinan.npv_yuan == pytest.approx(
        jinan.objective_bau_yuan - jinan.objective_yuan, rel=1e-6
    )
    assert jinan.npv_yuan > 0 and jinan.irr is not None and jinan.irr > 0.06


def test_carbon_and_summary_keys(jinan: SiteResult) -> None:
    out = jinan.to_dict()
    for key in (
        "pv_kwp",
        "battery_kw",
        "battery_kwh",
        "capex_yuan",
        "npv_yuan",
        "irr",
        "payback_years",
        "lcoe_yuan_per_kwh",
        "annual_bill_bau_yuan",
        "annual_bill_yuan",
        "self_consumption_fraction",
        "co2_avoided_t_per_year",
        "co2_avoided_t_lifetime",
        "status",
        "solve_seconds",
    ):
        assert key in out
    d, p = jinan.dispatch, jinan.data.problem
    displaced_kwh = jinan.data.load_kw.sum() - d.grid_import_kw.sum() + d.grid_export_kw.sum()
    ef = float(jinan.carbon.ef_t_per_mwh[0])
    # year 1 = representative year / levelisation factor (PV output of year 1)
    assert out["co2_avoided_t_per_year"] == pytest.approx(
        displaced_kwh * ef / 1000 / p.pv_levelisation, rel=1e-6
    )
    # certificates sold: no market-based claim
    assert out["co2_avoided_market_t_per_year"] == 0.0
    assert len(out["typical_summer_day"]["load_kw"]) == 24
    assert 0.0 < out["self_consumption_fraction"] <= 1.0
