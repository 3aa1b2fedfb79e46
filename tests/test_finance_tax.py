"""VAT and corporate income tax: hand-computed after-tax flows."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.errors import PeakzeroError
from peakzero.finance import project_cash_flows
from peakzero.finance.loan import loan_schedule
from peakzero.finance.tax import (
    CIT_RATE_CN,
    VAT_RATE_CN,
    TaxSettings,
    after_tax_cash_flows,
    straight_line_depreciation,
)


def test_china_defaults() -> None:
    assert (VAT_RATE_CN, CIT_RATE_CN) == (0.13, 0.25)
    assert TaxSettings().depreciation_years == 20


def test_hand_computed_year() -> None:
    # capex 11,300,000 incl. VAT -> 10,000,000 net; saving 2,260,000 incl. -> 2,000,000;
    # O&M 113,000 incl. -> 100,000; depreciation 10,000,000 x 0.95 / 20 = 475,000;
    # taxable 2,000,000 - 100,000 - 475,000 = 1,425,000; CIT 25 % = 356,250;
    # after-tax flow 2,000,000 - 100,000 - 356,250 = 1,543,750.
    project = project_cash_flows(
        capex_yuan=11_300_000.0,
        savings_year1_yuan=2_260_000.0,
        om_year1_yuan=113_000.0,
        years=25,
        discount_rate=0.0,
    )
    t = after_tax_cash_flows(project, TaxSettings())
    assert t.loc[0, "after_tax_net_yuan"] == pytest.approx(-10_000_000.0)
    assert t.loc[0, "vat_credit_yuan"] == pytest.approx(1_300_000.0)
    assert t.loc[1, "depreciation_yuan"] == pytest.approx(475_000.0)
    assert t.loc[1, "taxable_income_yuan"] == pytest.approx(1_425_000.0)
    assert t.loc[1, "cit_yuan"] == pytest.approx(356_250.0)
    assert t.loc[1, "after_tax_net_yuan"] == pytest.approx(1_543_750.0)
    # years 21-25: fully depreciated, CIT on 1,900,000 = 475,000
    assert t.loc[21, "depreciation_yuan"] == 0.0
    assert t.loc[21, "cit_yuan"] == pytest.approx(475_000.0)


def test_off_rates_give_pre_tax_flows() -> None:
    project = project_cash_flows(capex_yuan=1000.0, savings_year1_yuan=150.0, years=10)
    t = after_tax_cash_flows(project, TaxSettings(vat_rate=0.0, cit_rate=0.0))
    np.testing.assert_allclose(t["after_tax_net_yuan"], project["net_yuan"], atol=1e-9)


def test_interest_is_deductible() -> None:
    project = project_cash_flows(capex_yuan=1000.0, savings_year1_yuan=150.0, years=10)
    loan = loan_schedule(500.0, 0.05, 5)
    base = after_tax_cash_flows(project, TaxSettings())
    levered = after_tax_cash_flows(
        project, TaxSettings(), interest_yuan=loan["interest_yuan"].to_numpy().tolist() + [0.0] * 5
    )
    # year 1 interest 25 yuan saves 25 % x 25 = 6.25 yuan of CIT
    assert base.loc[1, "cit_yuan"] - levered.loc[1, "cit_yuan"] == pytest.approx(6.25)


def test_losses_without_offset_pay_no_tax() -> None:
    project = project_cash_flows(capex_yuan=1000.0, savings_year1_yuan=10.0, years=5)
    t = after_tax_cash_flows(
        project, TaxSettings(depreciation_years=5, loss_offsets_other_profit=False)
    )
    assert (t["cit_yuan"] >= 0).all()


def test_replacement_is_depreciated_over_the_rest() -> None:
    dep = straight_line_depreciation(100.0, 4, 0.0, 10, start=7)
    assert dep.tolist() == [0, 0, 0, 0, 0, 0, 0, 25.0, 25.0, 25.0, 25.0]


def test_bad_settings_name_the_field() -> None:
    with pytest.raises(PeakzeroError, match="cit_rate"):
        TaxSettings(cit_rate=0.9)
    with pytest.raises(PeakzeroError, match="depreciation_years"):
        TaxSettings(depreciation_years=0)
