"""Bank loan: annuity repayment schedule and the owner's (equity) cash flows with the loan.

A loan of ``principal`` at yearly ``rate`` over ``years`` is repaid in equal yearly payments
(annuity, end of year):

    A = P r / (1 - (1 + r) ** -n)        (A = P / n when r = 0)

interest of year t = r x balance at the end of year t - 1, principal = A - interest. Chinese bank
loans for C&I PV are usually 5-10 years at a margin over the 5-year loan prime rate (LPR).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError, check_range
from peakzero.finance.tax import TaxSettings, after_tax_cash_flows

#: 5-year loan prime rate from 20 May 2025: 3.5 % (People's Bank of China / National Interbank
#: Funding Center LPR announcement, 20 May 2025) [unverified]; an editable default.
LPR_5Y_2025 = 0.035

LOAN_COLUMNS: tuple[str, ...] = (
    "year",
    "payment_yuan",
    "interest_yuan",
    "principal_yuan",
    "balance_yuan",
)


def annuity_payment_yuan(principal_yuan: float, rate: float, years: int) -> float:
    """Equal yearly payment that repays ``principal_yuan`` in ``years`` at ``rate`` [yuan/year].

    >>> round(annuity_payment_yuan(1_000_000.0, 0.05, 10), 2)
    129504.57
    >>> annuity_payment_yuan(1000.0, 0.0, 4)
    250.0
    """
    check_range("loan_principal_yuan", principal_yuan, 0.0, 1e12, unit="yuan")
    check_range("loan_rate", rate, 0.0, 0.5, fix="e.g. 0.035 for 3.5 %/year")
    if not 1 <= years <= 40:
        raise PeakzeroError(
            f"loan_years = {years} is out of range: allowed 1 to 40", field="loan_years"
        )
    if rate == 0.0:
        return principal_yuan / years
    return float(principal_yuan * rate / (1.0 - (1.0 + rate) ** -years))


def loan_schedule(principal_yuan: float, rate: float, years: int) -> pd.DataFrame:
    """Yearly annuity schedule, rows for years 0..``years``.

    Year 0 holds the drawdown as the balance; years 1..n the payment, its interest and principal
    parts and the balance after the payment (0 at the end, up to round-off).

    >>> s = loan_schedule(1000.0, 0.10, 2)
    >>> s["interest_yuan"].round(2).tolist()
    [0.0, 100.0, 52.38]
    """
    payment = annuity_payment_yuan(principal_yuan, rate, years)
    t = np.arange(1, years + 1, dtype=float)
    # closed form of the balance after payment t: P (1+r)^t - A ((1+r)^t - 1) / r
    if rate == 0.0:
        balance = principal_yuan - payment * t
    else:
        growth = (1.0 + rate) ** t
        balance = principal_yuan * growth - payment * (growth - 1.0) / rate
    balance = np.where(np.abs(balance) < 1e-9 * max(principal_yuan, 1.0), 0.0, balance)
    before = np.r_[principal_yuan, balance[:-1]]
    interest = rate * before
    frame = pd.DataFrame({"year": np.arange(years + 1)})
    frame["payment_yuan"] = np.r_[0.0, np.full(years, payment)]
    frame["interest_yuan"] = np.r_[0.0, interest]
    frame["principal_yuan"] = np.r_[0.0, payment - interest]
    frame["balance_yuan"] = np.r_[principal_yuan, balance]
    return frame[list(LOAN_COLUMNS)]


def equity_cash_flows(
    project: pd.DataFrame, loan: pd.DataFrame, *, tax: TaxSettings | None = None
) -> pd.DataFrame:
    """The owner's cash flows when part of the capex is borrowed.

    Parameters
    ----------
    project
        Project cash flows of :func:`peakzero.finance.project_cash_flows` (``year``,
        ``net_yuan``, ...), years 0..N.
    loan
        :func:`loan_schedule` whose year 0 balance is the amount borrowed; its term must not
        exceed N.
    tax
        With tax settings, the project flow is the owner's after-tax flow with the loan
        interest deducted (:func:`peakzero.finance.tax.after_tax_cash_flows`); None: pre-tax.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``project_net_yuan``, ``loan_drawdown_yuan`` (year 0), ``debt_service_yuan``
        (payment), ``interest_yuan``, ``equity_net_yuan`` = project + drawdown - debt service and
        ``equity_cumulative_yuan``.
    """
    years = len(project) - 1
    term = len(loan) - 1
    if term > years:
        raise PeakzeroError(
            f"loan_years = {term} exceeds the analysis period of {years} years; shorten the loan",
            field="loan_years",
        )
    pad = np.zeros(years - term)
    frame = pd.DataFrame({"year": project["year"].to_numpy()})
    frame["loan_drawdown_yuan"] = np.r_[float(loan["balance_yuan"].iloc[0]), np.zeros(years)]
    frame["debt_service_yuan"] = np.r_[loan["payment_yuan"].to_numpy(dtype=float), pad]
    frame["interest_yuan"] = np.r_[loan["interest_yuan"].to_numpy(dtype=float), pad]
    if tax is None:
        frame["project_net_yuan"] = project["net_yuan"].to_numpy(dtype=float)
    else:
        interest = frame["interest_yuan"].to_numpy(dtype=float)
        after_tax = after_tax_cash_flows(project, tax, interest_yuan=interest)
        frame["project_net_yuan"] = after_tax["after_tax_net_yuan"].to_numpy(dtype=float)
    frame["equity_net_yuan"] = (
        frame["project_net_yuan"] + frame["loan_drawdown_yuan"] - frame["debt_service_yuan"]
    )
    frame["equity_cumulative_yuan"] = frame["equity_net_yuan"].cumsum()
    return frame
