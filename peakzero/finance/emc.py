"""Energy management contract (合同能源管理, EMC) cash flows for host and investor.

An investor builds and owns the PV system on the host's roof. For ``contract_years`` the host
buys the PV electricity it consumes at ``(1 - discount_fraction)`` of its grid price; the investor
keeps the export revenue and pays O&M and replacements. At the end of the contract the system
passes to the host (``transfer_to_host=True``, the common arrangement) who then keeps the whole
value and pays the O&M, or is removed.

Consistency, every contract year t: host saving + investor energy sales = value of the PV energy
the host consumed at its grid price.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError, check_range
from peakzero.finance.cashflow import escalation_factors, output_factors
from peakzero.finance.metrics import (
    discount_factors,
    discounted_payback_years,
    irr,
    npv,
    simple_payback_years,
)


@dataclass(frozen=True)
class EmcResult:
    """Outcome of an EMC deal.

    Attributes
    ----------
    host, investor
        Yearly rows 0..N. ``host``: ``pv_value_yuan``, ``payment_to_investor_yuan``,
        ``savings_yuan``, ``om_yuan``, ``replacement_yuan``, ``export_revenue_yuan``,
        ``net_yuan``, ``cumulative_yuan``, ``discounted_yuan``. ``investor``: ``capex_yuan``,
        ``energy_sales_yuan``, ``export_revenue_yuan``, ``om_yuan``, ``replacement_yuan``,
        ``net_yuan``, ``cumulative_yuan``, ``discounted_yuan`` [yuan].
    host_npv_yuan
        Present value of the host's net gains at ``host_discount_rate`` [yuan] (no investment).
    host_savings_contract_yuan, host_savings_total_yuan
        Undiscounted host savings during the contract and over the analysis period [yuan].
    investor_npv_yuan, investor_irr, investor_payback_years, investor_discounted_payback_years
        The investor's metrics on its own flows.
    """

    host: pd.DataFrame
    investor: pd.DataFrame
    host_npv_yuan: float
    host_savings_contract_yuan: float
    host_savings_total_yuan: float
    investor_npv_yuan: float
    investor_irr: float | None
    investor_payback_years: float | None
    investor_discounted_payback_years: float | None


def emc_cash_flows(
    *,
    capex_yuan: float,
    pv_value_year1_yuan: float,
    discount_fraction: float,
    contract_years: int,
    years: int = 25,
    investor_discount_rate: float = 0.08,
    host_discount_rate: float = 0.06,
    om_year1_yuan: float = 0.0,
    om_escalation: float = 0.0,
    degradation_per_year: float = 0.0,
    tariff_escalation: float = 0.0,
    export_revenue_year1_yuan: float = 0.0,
    replacement_yuan: Mapping[int, float] | None = None,
    transfer_to_host: bool = True,
) -> EmcResult:
    """Split the value of a PV system between host and investor under an EMC.

    Parameters
    ----------
    capex_yuan
        Investor's investment at year 0 [yuan].
    pv_value_year1_yuan
        Year-1 value of the PV energy the host consumes, priced at the host's grid energy
        price interval by interval (sum of PV-to-load kWh x price) [yuan].
    discount_fraction
        Discount on the grid price granted to the host (0.1-0.2 is common; 0.15 means the host
        pays 85 %).
    contract_years
        Length of the contract [years], at most ``years``.
    years
        Analysis period [years].
    investor_discount_rate, host_discount_rate
        Discount rates of the two parties.
    om_year1_yuan, om_escalation, degradation_per_year, tariff_escalation
        As in :func:`peakzero.finance.project_cash_flows`.
    export_revenue_year1_yuan
        Year-1 export revenue; the owner of the system (investor, then host) receives it [yuan].
    replacement_yuan
        Replacement costs by year, paid by the owner of that year [yuan].
    transfer_to_host
        The system passes to the host after the contract (else it is removed).

    Examples
    --------
    >>> r = emc_cash_flows(capex_yuan=1000.0, pv_value_year1_yuan=300.0, discount_fraction=0.1,
    ...                    contract_years=5, years=5, investor_discount_rate=0.0)
    >>> r.host["savings_yuan"].tolist()[:2], r.investor_npv_yuan
    ([0.0, 30.0], 350.0)
    """
    if not 1 <= years <= 60:
        raise PeakzeroError(f"years = {years} must be 1-60", field="years")
    if not 1 <= contract_years <= years:
        raise PeakzeroError(
            f"contract_years = {contract_years} must be between 1 and the analysis period {years}",
            field="contract_years",
        )
    check_range("discount_fraction", discount_fraction, 0.0, 1.0, fix="e.g. 0.15 for 15 % off")
    check_range("capex_yuan", capex_yuan, 0.0, 1e12, unit="yuan")
    factor = output_factors(years, degradation_per_year) * escalation_factors(
        years, tariff_escalation
    )
    value = np.r_[0.0, pv_value_year1_yuan * factor]
    export = np.r_[0.0, export_revenue_year1_yuan * factor]
    om = np.r_[0.0, om_year1_yuan * escalation_factors(years, om_escalation)]
    repl = np.zeros(years + 1)
    for year, cost in (replacement_yuan or {}).items():
        if not 1 <= year <= years:
            raise PeakzeroError(
                f"replacement year {year} is outside 1-{years}", field="replacement_yuan"
            )
        repl[year] += cost

    t = np.arange(years + 1)
    in_contract = (t >= 1) & (t <= contract_years)
    after = t > contract_years
    host_owns = after & transfer_to_host

    payment = np.where(in_contract, (1.0 - discount_fraction) * value, 0.0)
    host = pd.DataFrame({"year": t})
    host["pv_value_yuan"] = np.where(in_contract | host_owns, value, 0.0)
    host["payment_to_investor_yuan"] = payment
    host["savings_yuan"] = host["pv_value_yuan"] - payment
    host["om_yuan"] = np.where(host_owns, om, 0.0)
    host["replacement_yuan"] = np.where(host_owns, repl, 0.0)
    host["export_revenue_yuan"] = np.where(host_owns, export, 0.0)
    host["net_yuan"] = (
        host["savings_yuan"]
        + host["export_revenue_yuan"]
        - host["om_yuan"]
        - host["replacement_yuan"]
    )
    host["cumulative_yuan"] = host["net_yuan"].cumsum()
    host["discounted_yuan"] = host["net_yuan"] * discount_factors(host_discount_rate, years + 1)

    inv = pd.DataFrame({"year": t})
    inv["capex_yuan"] = np.r_[capex_yuan, np.zeros(years)]
    inv["energy_sales_yuan"] = payment
    inv["export_revenue_yuan"] = np.where(in_contract, export, 0.0)
    inv["om_yuan"] = np.where(in_contract, om, 0.0)
    inv["replacement_yuan"] = np.where(in_contract, repl, 0.0)
    inv["net_yuan"] = (
        inv["energy_sales_yuan"]
        + inv["export_revenue_yuan"]
        - inv["capex_yuan"]
        - inv["om_yuan"]
        - inv["replacement_yuan"]
    )
    inv["cumulative_yuan"] = inv["net_yuan"].cumsum()
    inv["discounted_yuan"] = inv["net_yuan"] * discount_factors(investor_discount_rate, years + 1)

    inv_net = inv["net_yuan"].to_numpy()
    return EmcResult(
        host=host,
        investor=inv,
        host_npv_yuan=npv(host_discount_rate, host["net_yuan"].to_numpy()),
        host_savings_contract_yuan=float(host["savings_yuan"][in_contract].sum()),
        host_savings_total_yuan=float(host["savings_yuan"].sum()),
        investor_npv_yuan=npv(investor_discount_rate, inv_net),
        investor_irr=irr(inv_net),
        investor_payback_years=simple_payback_years(inv_net),
        investor_discounted_payback_years=discounted_payback_years(investor_discount_rate, inv_net),
    )
