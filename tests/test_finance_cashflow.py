"""Yearly cash flows (self-investment) and the EMC split between host and investor."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.errors import PeakzeroError
from peakzero.finance import COLUMNS, emc_cash_flows, irr, npv, project_cash_flows

YUAN_TOL = 1e-6  # sums of a few dozen products of exact inputs


def test_project_cash_flows_by_hand() -> None:
    """capex 1000; saving 200 in year 1, degrading 1 %/yr and escalating 2 %/yr; O&M 20 rising 3 %;
    export 10 in year 1 (same factors); battery replacement 150 in year 2; carbon 5, 6, 7.
    Year 2: saving 200 x 0.99 x 1.02 = 201.96; export 10 x 0.99 x 1.02 = 10.098;
    O&M 20 x 1.03 = 20.6; net 201.96 + 10.098 + 6 - 20.6 - 150 = 47.458.
    Year 3: saving 200 x 0.9801 x 1.0404 = 200 x 1.01969604 = 203.939208; export 10.1969604;
    O&M 20 x 1.03^2 = 21.218; net 203.939208 + 10.1969604 + 7 - 21.218 = 199.9181684.
    """
    cf = project_cash_flows(
        capex_yuan=1000.0,
        savings_year1_yuan=200.0,
        years=3,
        discount_rate=0.1,
        om_year1_yuan=20.0,
        om_escalation=0.03,
        degradation_per_year=0.01,
        tariff_escalation=0.02,
        export_revenue_year1_yuan=10.0,
        replacement_yuan={2: 150.0},
        carbon_revenue_yuan=[5.0, 6.0, 7.0],
    )
    assert list(cf.columns) == list(COLUMNS)
    assert cf["year"].tolist() == [0, 1, 2, 3]
    net = cf["net_yuan"].to_numpy()
    assert net[0] == -1000.0
    assert net[1] == pytest.approx(200.0 + 10.0 + 5.0 - 20.0, abs=YUAN_TOL)
    assert net[2] == pytest.approx(47.458, abs=YUAN_TOL)
    assert net[3] == pytest.approx(199.9181684, abs=YUAN_TOL)
    assert cf["cumulative_yuan"].iloc[-1] == pytest.approx(net.sum(), abs=YUAN_TOL)
    assert cf["cumulative_discounted_yuan"].iloc[-1] == pytest.approx(npv(0.1, net), abs=YUAN_TOL)


def test_battery_share_does_not_degrade() -> None:
    cf = project_cash_flows(
        capex_yuan=0.0,
        savings_year1_yuan=100.0,
        years=2,
        degradation_per_year=0.1,
        degrading_savings_fraction=0.6,
    )
    # year 2: 60 x 0.9 (PV share) + 40 (battery share) = 94
    assert cf["savings_yuan"].tolist() == pytest.approx([0.0, 100.0, 94.0])


def test_cash_flow_errors() -> None:
    with pytest.raises(PeakzeroError, match="replacement year 30"):
        project_cash_flows(capex_yuan=1.0, savings_year1_yuan=1.0, replacement_yuan={30: 5.0})
    with pytest.raises(PeakzeroError, match="carbon_revenue_yuan"):
        project_cash_flows(capex_yuan=1.0, savings_year1_yuan=1.0, carbon_revenue_yuan=[1.0])
    with pytest.raises(PeakzeroError, match="degradation"):
        project_cash_flows(capex_yuan=1.0, savings_year1_yuan=1.0, degradation_per_year=0.5)


def test_emc_split_is_consistent() -> None:
    """Host saving + investor energy sales = value of the PV energy, every contract year."""
    r = emc_cash_flows(
        capex_yuan=2_800_000.0,
        pv_value_year1_yuan=700_000.0,
        discount_fraction=0.15,
        contract_years=20,
        years=25,
        investor_discount_rate=0.08,
        host_discount_rate=0.06,
        om_year1_yuan=40_000.0,
        degradation_per_year=0.004,
        tariff_escalation=0.01,
        export_revenue_year1_yuan=30_000.0,
    )
    host, inv = r.host, r.investor
    contract = (host["year"] >= 1) & (host["year"] <= 20)
    total_value = host["pv_value_yuan"][contract]
    split = host["savings_yuan"][contract] + inv["energy_sales_yuan"][contract]
    assert np.allclose(split, total_value, rtol=0, atol=YUAN_TOL)
    # the host saves 15 % of the value during the contract
    assert np.allclose(host["savings_yuan"][contract], 0.15 * total_value, atol=YUAN_TOL)
    # year 1 value and sales by hand: 700000 and 0.85 x 700000 = 595000
    assert inv["energy_sales_yuan"].iloc[1] == pytest.approx(595_000.0, abs=YUAN_TOL)
    # after the contract the host owns everything: value + export - O&M, investor nothing
    year21 = 700_000.0 * 0.996**20 * 1.01**20
    assert host["net_yuan"].iloc[21] == pytest.approx(
        year21 + 30_000.0 * 0.996**20 * 1.01**20 - 40_000.0, rel=1e-12
    )
    assert (inv["net_yuan"].iloc[21:] == 0).all()
    # investor metrics agree with the generic functions on its own flows
    flows = inv["net_yuan"].to_numpy()
    assert r.investor_npv_yuan == pytest.approx(npv(0.08, flows), rel=1e-12)
    assert r.investor_irr == pytest.approx(irr(flows), abs=1e-12)
    assert r.investor_irr is not None and 0.08 < r.investor_irr < 0.30
    assert r.host_npv_yuan > 0 and r.host_savings_contract_yuan < r.host_savings_total_yuan


def test_emc_errors() -> None:
    with pytest.raises(PeakzeroError, match="contract_years"):
        emc_cash_flows(
            capex_yuan=1.0, pv_value_year1_yuan=1.0, discount_fraction=0.1, contract_years=30
        )
    with pytest.raises(PeakzeroError, match="discount_fraction"):
        emc_cash_flows(
            capex_yuan=1.0, pv_value_year1_yuan=1.0, discount_fraction=1.5, contract_years=5
        )
