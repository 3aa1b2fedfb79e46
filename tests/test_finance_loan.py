"""Bank loan: annuity schedule against a hand-computed one; equity flows."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.errors import PeakzeroError
from peakzero.finance import project_cash_flows
from peakzero.finance.loan import annuity_payment_yuan, equity_cash_flows, loan_schedule

#: Hand values below are written to the cent; compare to half a cent.
CENT = 0.005


def test_annuity_hand_computed() -> None:
    # 10,000,000 yuan at 4.2 % over 5 years:
    # 1.042^5 = 1.2283960..., 1.042^-5 = 0.8140697...; A = 420,000 / 0.1859303 = 2,258,906.78
    a = annuity_payment_yuan(10_000_000.0, 0.042, 5)
    assert a == pytest.approx(2_258_906.78, abs=CENT)
    s = loan_schedule(10_000_000.0, 0.042, 5)
    # year 1: interest 420,000.00, principal 1,838,906.78, balance 8,161,093.22
    # year 2: interest 0.042 x 8,161,093.22 = 342,765.92, principal 1,916,140.86,
    #         balance 6,244,952.35
    assert s.loc[1, "interest_yuan"] == pytest.approx(420_000.00, abs=CENT)
    assert s.loc[1, "principal_yuan"] == pytest.approx(1_838_906.78, abs=CENT)
    assert s.loc[1, "balance_yuan"] == pytest.approx(8_161_093.22, abs=CENT)
    assert s.loc[2, "interest_yuan"] == pytest.approx(342_765.92, abs=CENT)
    assert s.loc[2, "balance_yuan"] == pytest.approx(6_244_952.35, abs=CENT)
    # the principal parts repay the loan; payments = principal + interest
    assert s["principal_yuan"].sum() == pytest.approx(10_000_000.0, abs=CENT)
    assert s.loc[5, "balance_yuan"] == 0.0
    np.testing.assert_allclose(
        s["payment_yuan"], s["interest_yuan"] + s["principal_yuan"], atol=1e-6
    )


def test_zero_rate_is_equal_instalments() -> None:
    s = loan_schedule(1200.0, 0.0, 3)
    assert s["payment_yuan"].tolist() == [0.0, 400.0, 400.0, 400.0]
    assert s["interest_yuan"].sum() == 0.0


def test_equity_flows() -> None:
    project = project_cash_flows(
        capex_yuan=1000.0, savings_year1_yuan=200.0, years=10, discount_rate=0.0
    )
    loan = loan_schedule(700.0, 0.05, 5)
    eq = equity_cash_flows(project, loan)
    # year 0: -1000 + 700 borrowed = -300 equity
    assert eq.loc[0, "equity_net_yuan"] == pytest.approx(-300.0)
    pay = annuity_payment_yuan(700.0, 0.05, 5)
    assert eq.loc[3, "equity_net_yuan"] == pytest.approx(200.0 - pay)
    assert eq.loc[6, "equity_net_yuan"] == pytest.approx(200.0)
    # total equity = total project flow - total interest
    assert eq["equity_net_yuan"].sum() == pytest.approx(
        project["net_yuan"].sum() - loan["interest_yuan"].sum()
    )


def test_bad_loan_inputs_name_the_field() -> None:
    with pytest.raises(PeakzeroError, match="loan_years"):
        annuity_payment_yuan(1.0, 0.05, 0)
    with pytest.raises(PeakzeroError, match="loan_rate"):
        annuity_payment_yuan(1.0, -0.01, 5)
    project = project_cash_flows(capex_yuan=1.0, savings_year1_yuan=1.0, years=3)
    with pytest.raises(PeakzeroError, match="loan_years"):
        equity_cash_flows(project, loan_schedule(1.0, 0.05, 5))


def test_equity_flows_after_tax_deduct_the_interest() -> None:
    """With tax, the project flow is the after-tax flow with the loan interest deducted: by hand
    in year 6 (loan repaid, nothing deducted) and year 1 (interest 35 deductible at 25 % CIT)."""
    from peakzero.finance.tax import TaxSettings, after_tax_cash_flows

    project = project_cash_flows(
        capex_yuan=1000.0, savings_year1_yuan=200.0, years=10, discount_rate=0.0
    )
    loan = loan_schedule(700.0, 0.05, 5)
    tax = TaxSettings()
    eq = equity_cash_flows(project, loan, tax=tax)
    plain = after_tax_cash_flows(project, tax)["after_tax_net_yuan"]
    pay = annuity_payment_yuan(700.0, 0.05, 5)
    assert eq.loc[0, "equity_net_yuan"] == pytest.approx(plain[0] + 700.0)
    assert eq.loc[6, "equity_net_yuan"] == pytest.approx(plain[6])
    # year 1: interest 0.05 x 700 = 35 lowers the taxable income, so CIT falls by 35 x cit_rate
    assert eq.loc[1, "equity_net_yuan"] == pytest.approx(plain[1] + 35.0 * tax.cit_rate - pay)
