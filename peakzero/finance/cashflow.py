"""Yearly project cash flows for owner self-investment (自投).

Year 0 carries the capex; years 1..N the savings on the electricity bill, export revenue and
optional carbon revenue, less O&M and replacements. Savings and export revenue of year t scale
with the PV output factor ``(1 - degradation_per_year) ** (t - 1)`` and the tariff factor
``(1 + tariff_escalation) ** (t - 1)``: year-1 values are given as simulated for year 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError, check_range
from peakzero.finance.metrics import discount_factors

COLUMNS: tuple[str, ...] = (
    "year",
    "capex_yuan",
    "replacement_yuan",
    "om_yuan",
    "savings_yuan",
    "export_revenue_yuan",
    "carbon_revenue_yuan",
    "net_yuan",
    "cumulative_yuan",
    "discounted_yuan",
    "cumulative_discounted_yuan",
)


def output_factors(years: int, degradation_per_year: float) -> np.ndarray:
    """PV output of years 1..N relative to year 1: ``(1 - d) ** (t - 1)``.

    >>> output_factors(3, 0.01).round(6).tolist()
    [1.0, 0.99, 0.9801]
    """
    check_range("degradation_per_year", degradation_per_year, 0.0, 0.2, fix="e.g. 0.004")
    return np.asarray((1.0 - degradation_per_year) ** np.arange(years, dtype=float))


def escalation_factors(years: int, escalation: float) -> np.ndarray:
    """Price level of years 1..N relative to year 1: ``(1 + e) ** (t - 1)``."""
    check_range("escalation", escalation, -0.2, 0.5, fix="e.g. 0.0 or 0.02 per year")
    return np.asarray((1.0 + escalation) ** np.arange(years, dtype=float))


def _per_year(name: str, values: Sequence[float] | np.ndarray | None, years: int) -> np.ndarray:
    if values is None:
        return np.zeros(years)
    arr = np.asarray(values, dtype=float)
    if arr.shape != (years,) or not np.all(np.isfinite(arr)):
        raise PeakzeroError(
            f"{name} must hold {years} finite values (years 1..{years}); got shape {arr.shape}",
            field=name,
        )
    return arr


def project_cash_flows(
    *,
    capex_yuan: float,
    savings_year1_yuan: float,
    years: int = 25,
    discount_rate: float = 0.06,
    om_year1_yuan: float = 0.0,
    om_escalation: float = 0.0,
    degradation_per_year: float = 0.0,
    tariff_escalation: float = 0.0,
    export_revenue_year1_yuan: float = 0.0,
    replacement_yuan: Mapping[int, float] | None = None,
    carbon_revenue_yuan: Sequence[float] | np.ndarray | None = None,
    degrading_savings_fraction: float = 1.0,
) -> pd.DataFrame:
    """Yearly cash flows of a PV (+ battery) project owned by the site.

    Parameters
    ----------
    capex_yuan
        Investment at year 0 [yuan].
    savings_year1_yuan
        Bill saving in year 1, business-as-usual bill minus bill with the system [yuan].
    years
        Analysis period N [years].
    discount_rate
        Real or nominal discount rate for the discounted columns (e.g. 0.06).
    om_year1_yuan, om_escalation
        O&M cost in year 1 [yuan] and its yearly escalation.
    degradation_per_year
        PV output loss per year (e.g. 0.004); scales savings and export revenue.
    tariff_escalation
        Yearly change of electricity prices; scales savings and export revenue.
    export_revenue_year1_yuan
        Export revenue in year 1 [yuan] when not already netted in the saving.
    replacement_yuan
        Replacement costs by year, e.g. ``{12: 300000.0}`` for a battery [yuan].
    carbon_revenue_yuan
        Carbon revenue for years 1..N [yuan] (CEA/CCER), already at each year's price.
    degrading_savings_fraction
        Share of the saving that degrades with the PV (1.0 = all; a battery's arbitrage
        saving does not follow PV degradation, so a PV + battery project may pass e.g. 0.8).

    Returns
    -------
    pandas.DataFrame
        Rows for years 0..N with :data:`COLUMNS`. Costs (capex, replacement, O&M) are positive
        numbers; ``net_yuan`` = savings + export + carbon - capex - replacement - O&M.

    Examples
    --------
    >>> cf = project_cash_flows(capex_yuan=1000.0, savings_year1_yuan=200.0, years=3,
    ...                         discount_rate=0.0, om_year1_yuan=20.0)
    >>> cf["net_yuan"].tolist()
    [-1000.0, 180.0, 180.0, 180.0]
    """
    if not 1 <= years <= 60:
        raise PeakzeroError(f"years = {years} must be 1-60", field="years")
    check_range("capex_yuan", capex_yuan, 0.0, 1e12, unit="yuan")
    check_range("degrading_savings_fraction", degrading_savings_fraction, 0.0, 1.0)
    deg = output_factors(years, degradation_per_year)
    esc = escalation_factors(years, tariff_escalation)
    om_esc = escalation_factors(years, om_escalation)
    saving_factor = (degrading_savings_fraction * deg + (1.0 - degrading_savings_fraction)) * esc

    replacement = np.zeros(years + 1)
    for year, cost in (replacement_yuan or {}).items():
        if not 1 <= year <= years:
            raise PeakzeroError(
                f"replacement year {year} is outside the analysis period 1-{years}",
                field="replacement_yuan",
            )
        replacement[year] += cost

    frame = pd.DataFrame({"year": np.arange(years + 1)})
    frame["capex_yuan"] = np.r_[capex_yuan, np.zeros(years)]
    frame["replacement_yuan"] = replacement
    frame["om_yuan"] = np.r_[0.0, om_year1_yuan * om_esc]
    frame["savings_yuan"] = np.r_[0.0, savings_year1_yuan * saving_factor]
    frame["export_revenue_yuan"] = np.r_[0.0, export_revenue_year1_yuan * deg * esc]
    frame["carbon_revenue_yuan"] = np.r_[
        0.0, _per_year("carbon_revenue_yuan", carbon_revenue_yuan, years)
    ]
    return _close(frame, discount_rate)


def _close(frame: pd.DataFrame, discount_rate: float) -> pd.DataFrame:
    """Add net, cumulative and discounted columns."""
    frame["net_yuan"] = (
        frame["savings_yuan"]
        + frame["export_revenue_yuan"]
        + frame["carbon_revenue_yuan"]
        - frame["capex_yuan"]
        - frame["replacement_yuan"]
        - frame["om_yuan"]
    )
    frame["cumulative_yuan"] = frame["net_yuan"].cumsum()
    frame["discounted_yuan"] = frame["net_yuan"] * discount_factors(discount_rate, len(frame))
    frame["cumulative_discounted_yuan"] = frame["discounted_yuan"].cumsum()
    return frame[list(COLUMNS)]
