"""Optional VAT and corporate income tax (CIT) for the owner's after-tax cash flows.

Off by default: peakzero's cash flows are pre-tax unless a :class:`TaxSettings` is given.

VAT. Chinese C&I tariffs and equipment prices are quoted VAT-inclusive. A general VAT taxpayer
deducts the input VAT on equipment (fixed assets, since the 2009 VAT reform) and on the
electricity it buys, and pays output VAT on electricity it sells, so for such an owner every
amount counts net of VAT: ``net = gross / (1 + rate)``. This assumes the owner has enough output
VAT to use the input credit in the year it arises (a profitable factory does); a small-scale
taxpayer cannot deduct and should leave VAT off. Rates: 13 % on goods (equipment) and on
electricity supply (Announcement No. 39 [2019] of the Ministry of Finance, State Taxation
Administration and General Administration of Customs: 16 % -> 13 % from 1 April 2019).

CIT. 25 % of taxable income (Enterprise Income Tax Law of the PRC, 2007, Art. 4). The project's
taxable income is savings + export and carbon revenue - O&M - depreciation - loan interest
(interest is deductible, Implementing Regulations Art. 38). Depreciation is straight line over
``depreciation_years`` to a residual value (Implementing Regulations Art. 59; Art. 60 sets the
minimum life of machinery and production equipment at 10 years). A negative taxable income
lowers the tax on the rest of the owner's profits (``loss_offsets_other_profit=True``, a
profitable factory) or is lost. Replacements are capitalised and depreciated straight line over
the remaining years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError, check_range

#: VAT on equipment and electricity: MoF/STA/GAC Announcement No. 39 [2019].
VAT_RATE_CN = 0.13

#: Corporate income tax: Enterprise Income Tax Law of the PRC (2007), Art. 4.
CIT_RATE_CN = 0.25

TAX_COLUMNS: tuple[str, ...] = (
    "year",
    "vat_credit_yuan",
    "depreciation_yuan",
    "taxable_income_yuan",
    "cit_yuan",
    "after_tax_net_yuan",
    "after_tax_cumulative_yuan",
)


@dataclass(frozen=True)
class TaxSettings:
    """Tax treatment of the owner (editable; pass None anywhere for pre-tax).

    Parameters
    ----------
    vat_rate
        VAT on equipment and electricity [-] (0 to switch VAT off).
    cit_rate
        Corporate income tax rate [-] (0 to switch CIT off; 0.15 for a High and New Technology
        Enterprise).
    depreciation_years
        Straight-line depreciation life [years], >= 1.
    residual_fraction
        Residual value at the end of the life [-] of the depreciable base.
    loss_offsets_other_profit
        Whether a negative taxable income lowers the owner's other tax.
    """

    vat_rate: float = VAT_RATE_CN
    cit_rate: float = CIT_RATE_CN
    depreciation_years: int = 20
    residual_fraction: float = 0.05
    loss_offsets_other_profit: bool = True

    def __post_init__(self) -> None:
        check_range("vat_rate", self.vat_rate, 0.0, 0.3)
        check_range("cit_rate", self.cit_rate, 0.0, 0.5)
        check_range("residual_fraction", self.residual_fraction, 0.0, 0.5)
        if not 1 <= self.depreciation_years <= 60:
            raise PeakzeroError(
                f"depreciation_years = {self.depreciation_years} is out of range: allowed 1 to 60",
                field="depreciation_years",
            )


def straight_line_depreciation(
    cost_yuan: float, life_years: int, residual_fraction: float, horizon_years: int, start: int = 1
) -> np.ndarray:
    """Yearly depreciation of years 0..``horizon_years`` for an asset put in service in ``start``.

    ``cost x (1 - residual) / life`` in each of the years ``start .. start + life - 1`` that fall
    inside the horizon.

    >>> straight_line_depreciation(1000.0, 4, 0.0, 5).tolist()
    [0.0, 250.0, 250.0, 250.0, 250.0, 0.0]
    """
    out = np.zeros(horizon_years + 1)
    end = min(start + life_years, horizon_years + 1)
    out[start:end] = cost_yuan * (1.0 - residual_fraction) / life_years
    return out


def after_tax_cash_flows(
    project: pd.DataFrame,
    tax: TaxSettings,
    *,
    interest_yuan: np.ndarray | None = None,
) -> pd.DataFrame:
    """Owner's after-tax cash flows of a self-investment project.

    Parameters
    ----------
    project
        :func:`peakzero.finance.project_cash_flows` output (VAT-inclusive amounts), years 0..N.
    tax
        The tax settings.
    interest_yuan
        Loan interest of years 0..N [yuan] (from :func:`peakzero.finance.loan.loan_schedule`),
        deductible; None for no loan. The debt flows themselves are not in the result: add them
        as :func:`peakzero.finance.loan.equity_cash_flows` does.

    Returns
    -------
    pandas.DataFrame
        :data:`TAX_COLUMNS`: ``vat_credit_yuan`` = VAT-exclusive net flow - VAT-inclusive net flow
        (positive in year 0: input VAT on the capex recovered; negative later: the saving is
        worth less net of VAT), depreciation, taxable income, CIT (negative = tax saved on
        other profit) and ``after_tax_net_yuan`` = VAT-exclusive project flow - CIT. With a
        loan, the owner's after-tax equity flow is this + drawdown - debt service
        (:func:`peakzero.finance.loan.equity_cash_flows` with ``tax``).

    Examples
    --------
    One year, 1,130 capex and 226 saving (VAT-inclusive), 13 % VAT, 25 % CIT, 1-year life:
    net capex 1,000, saving 200, depreciation 1,000, taxable income -800, CIT -200 (saved
    elsewhere); after tax: year 0 -1,000, year 1 200 + 200 = 400.

    >>> cf = pd.DataFrame({"year": [0, 1], "capex_yuan": [1130.0, 0.0],
    ...     "replacement_yuan": [0.0, 0.0], "om_yuan": [0.0, 0.0],
    ...     "savings_yuan": [0.0, 226.0], "export_revenue_yuan": [0.0, 0.0],
    ...     "carbon_revenue_yuan": [0.0, 0.0], "net_yuan": [-1130.0, 226.0]})
    >>> t = after_tax_cash_flows(cf, TaxSettings(depreciation_years=1, residual_fraction=0.0))
    >>> t["after_tax_net_yuan"].round(6).tolist()
    [-1000.0, 400.0]
    """
    years = len(project) - 1
    vat = 1.0 + tax.vat_rate

    def col(name: str) -> np.ndarray:
        return np.asarray(project[name].to_numpy(dtype=float)) / vat

    # Carbon revenue (CEA/CCER sales) is also VAT-able at 6 % as a modern service in principle;
    # it is treated like the other revenue here (all at vat_rate) [simplification].
    capex, repl, om = col("capex_yuan"), col("replacement_yuan"), col("om_yuan")
    revenue = col("savings_yuan") + col("export_revenue_yuan") + col("carbon_revenue_yuan")
    net_ex_vat = revenue - capex - repl - om
    vat_effect = net_ex_vat - project["net_yuan"].to_numpy(dtype=float)
    life, residual = tax.depreciation_years, tax.residual_fraction
    depreciation = straight_line_depreciation(capex[0], life, residual, years)
    for year in np.flatnonzero(repl):
        remaining = max(1, min(life, years - int(year)))
        depreciation += straight_line_depreciation(
            repl[year], remaining, residual, years, start=int(year) + 1
        )
    interest = np.zeros(years + 1) if interest_yuan is None else np.asarray(interest_yuan, float)
    if interest.shape != (years + 1,):
        raise PeakzeroError(
            f"interest_yuan has shape {interest.shape}; expected ({years + 1},) "
            f"for years 0..{years}",
            field="interest_yuan",
        )
    taxable = revenue - om - depreciation - interest
    cit = tax.cit_rate * (taxable if tax.loss_offsets_other_profit else np.maximum(taxable, 0.0))
    frame = pd.DataFrame({"year": project["year"].to_numpy()})
    frame["vat_credit_yuan"] = vat_effect
    frame["depreciation_yuan"] = depreciation
    frame["taxable_income_yuan"] = taxable
    frame["cit_yuan"] = cit
    frame["after_tax_net_yuan"] = net_ex_vat - cit
    frame["after_tax_cumulative_yuan"] = frame["after_tax_net_yuan"].cumsum()
    return frame[list(TAX_COLUMNS)]
