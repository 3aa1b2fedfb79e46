"""Project economics: NPV, IRR, payback, LCOE, yearly cash flows and business models.

Business models: owner self-investment (自投, :func:`project_cash_flows`) and the energy
management contract (合同能源管理, :func:`emc_cash_flows`).
"""

from __future__ import annotations

from peakzero.finance.cashflow import (
    COLUMNS,
    escalation_factors,
    output_factors,
    project_cash_flows,
)
from peakzero.finance.emc import EmcResult, emc_cash_flows
from peakzero.finance.metrics import (
    discount_factors,
    discounted_payback_years,
    irr,
    lcoe_yuan_per_kwh,
    npv,
    simple_payback_years,
)

__all__ = [
    "COLUMNS",
    "EmcResult",
    "discount_factors",
    "discounted_payback_years",
    "emc_cash_flows",
    "escalation_factors",
    "irr",
    "lcoe_yuan_per_kwh",
    "npv",
    "output_factors",
    "project_cash_flows",
    "simple_payback_years",
]
