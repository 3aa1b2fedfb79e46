"""Risk and uncertainty: P50 / P90 yield, payback at each, and the sensitivity (tornado) table.

Yield. The annual PV yield of a typical year is the P50 (median) estimate; with a normal
inter-annual variability of relative standard deviation sigma, the yield exceeded with
probability p in one year is ``P50 x (1 - z_p x sigma)``, z_p the standard normal quantile
(z = 1.2816 for P90); averaged over n years sigma shrinks to sigma / sqrt(n). Only the weather's
variability is counted here, not the model's or the data's uncertainty.

Money. A :class:`ProjectCase` holds the year-1 figures the cash flows are built from
(:func:`peakzero.finance.project_cash_flows`); an :class:`Operation` holds the hourly load, the
available PV and the battery's schedule, and re-bills them with the tariff engine
(:func:`peakzero.tariff.compute_bill`) under a changed yield, price level, peak-valley spread or
export price, with the battery schedule kept as dispatched (a fixed-dispatch re-evaluation: a
re-optimised battery would do at least as well, so the low cases are slightly pessimistic). The
ratio of each re-billed saving to the base saving scales the case's year-1 saving.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm

from peakzero.errors import PeakzeroError, check_range
from peakzero.finance.cashflow import project_cash_flows
from peakzero.finance.metrics import npv, simple_payback_years
from peakzero.tariff import Tariff, compute_bill

#: Inter-annual variability of annual global irradiation, 1 sigma [-]: 4 %, an editable default.
#: Gueymard and Wilcox (2011), "Assessment of spatial and temporal variability in the US solar
#: resource", Solar Energy 85(5), 1068-1084, find 2-5 % for annual GHI at long-record stations;
#: no multi-year Chinese series is bundled (CSWD is a typical year), so the Chinese figure is
#: [unverified].
GHI_INTERANNUAL_SIGMA = 0.04
GHI_INTERANNUAL_SIGMA_SOURCE = (
    "Gueymard & Wilcox 2011, Solar Energy 85(5):1068-1084: annual GHI varies 2-5 % (1 sigma) "
    "year to year; 4 % taken for East China [unverified]"
)

#: NDRC/NEA Fa Gai Jia Ge [2025] No. 136 (Notice on deepening the market reform of new-energy
#: on-grid prices, 27 Jan 2025): PV connected from 1 June 2025 sells at market prices, with a
#: "mechanism price" set by provincial bidding. Shandong's first bidding (Sept 2025) cleared PV
#: at 0.225 yuan/kWh [unverified]; the low export case uses it.
MARKET_EXPORT_PRICE_YUAN_PER_KWH = 0.225
MARKET_EXPORT_SOURCE = (
    "NDRC/NEA Fa Gai Jia Ge [2025] No. 136: new PV from 1 June 2025 sells at market prices; "
    "Shandong 2025 mechanism-price bidding cleared PV at 0.225 yuan/kWh [unverified]"
)


def z_score(exceedance: float) -> float:
    """Standard normal quantile of a probability of exceedance: 1.2816 for 0.9.

    >>> round(z_score(0.9), 4)
    1.2816
    """
    check_range("exceedance", exceedance, 0.5, 0.999)
    return float(norm.ppf(exceedance))


def exceedance_yield(
    p50: float, sigma: float = GHI_INTERANNUAL_SIGMA, exceedance: float = 0.9, years: int = 1
) -> float:
    """Yield exceeded with probability ``exceedance`` (same unit as ``p50``).

    ``P50 x (1 - z x sigma / sqrt(years))``.

    >>> round(exceedance_yield(1000.0, 0.04), 2)
    948.74
    """
    check_range("sigma", sigma, 0.0, 0.5, fix="e.g. 0.04 for 4 % inter-annual variability")
    if years < 1:
        raise PeakzeroError(f"years = {years}: must be >= 1", field="years")
    return p50 * (1.0 - z_score(exceedance) * sigma / math.sqrt(years))


@dataclass(frozen=True)
class ProjectCase:
    """Year-1 figures of a self-investment project (arguments of ``project_cash_flows``).

    Amounts in [yuan]; rates as fractions per year; ``carbon_revenue_yuan`` for years 1..N
    (not scaled by any driver).
    """

    capex_yuan: float
    savings_year1_yuan: float
    export_revenue_year1_yuan: float = 0.0
    om_year1_yuan: float = 0.0
    years: int = 25
    discount_rate: float = 0.06
    degradation_per_year: float = 0.0
    tariff_escalation: float = 0.0
    om_escalation: float = 0.0
    replacement_yuan: Mapping[int, float] = field(default_factory=dict)
    carbon_revenue_yuan: tuple[float, ...] | None = None

    def cash_flows(self) -> pd.DataFrame:
        """Yearly cash flows, :func:`peakzero.finance.project_cash_flows`."""
        return project_cash_flows(
            capex_yuan=self.capex_yuan,
            savings_year1_yuan=self.savings_year1_yuan,
            export_revenue_year1_yuan=self.export_revenue_year1_yuan,
            om_year1_yuan=self.om_year1_yuan,
            years=self.years,
            discount_rate=self.discount_rate,
            degradation_per_year=self.degradation_per_year,
            tariff_escalation=self.tariff_escalation,
            om_escalation=self.om_escalation,
            replacement_yuan=dict(self.replacement_yuan),
            carbon_revenue_yuan=self.carbon_revenue_yuan,
        )

    def payback_and_npv(self) -> tuple[float | None, float]:
        """Simple payback [years] (None if never) and NPV [yuan]."""
        net = self.cash_flows()["net_yuan"].to_numpy()
        return simple_payback_years(net), npv(self.discount_rate, net)

    def scaled(
        self, *, capex: float = 1.0, savings: float = 1.0, export: float = 1.0
    ) -> ProjectCase:
        """The case with capex, year-1 saving and export revenue multiplied by these factors."""
        return dataclasses.replace(
            self,
            capex_yuan=self.capex_yuan * capex,
            savings_year1_yuan=self.savings_year1_yuan * savings,
            export_revenue_year1_yuan=self.export_revenue_year1_yuan * export,
        )


@dataclass(frozen=True, eq=False)
class Operation:
    """One year of hourly operation to re-bill.

    Parameters
    ----------
    tariff, index
        The tariff and the regular time index of one calendar year.
    load_kw, pv_kw
        Load and PV available at the design size [kW], (T,).
    charge_kw, discharge_kw
        Battery charge and discharge as dispatched [kW], (T,) (zeros without a battery).
    """

    tariff: Tariff
    index: pd.DatetimeIndex
    load_kw: np.ndarray
    pv_kw: np.ndarray
    charge_kw: np.ndarray
    discharge_kw: np.ndarray

    def grid_flows(self, yield_factor: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Grid import, export and curtailed PV [kW] with the PV scaled by ``yield_factor``.

        Net demand = load + charge - discharge - PV x factor; import is its positive part;
        the surplus is exported up to the tariff's export limit and curtailed above it.
        """
        net = self.load_kw + self.charge_kw - self.discharge_kw - yield_factor * self.pv_kw
        imp = np.maximum(net, 0.0)
        surplus = np.maximum(-net, 0.0)
        limit = self.tariff.export_limit_kw
        exp = surplus if limit is None else np.minimum(surplus, limit)
        return imp, exp, surplus - exp


def scaled_tariff(
    tariff: Tariff,
    *,
    price_factor: float = 1.0,
    spread_factor: float = 1.0,
    export_price_yuan_per_kwh: float | None = None,
) -> Tariff:
    """The tariff with every price level x ``price_factor`` and the periods' spread around flat
    x ``spread_factor`` (multiplier m -> 1 + spread x (m - 1)); optionally a new export price.

    Energy, demand and capacity prices all scale with ``price_factor``; the export price only
    changes when given.
    """
    check_range("price_factor", price_factor, 0.1, 5.0)
    check_range("spread_factor", spread_factor, 0.0, 3.0)

    def spread(m: Mapping[str, float]) -> dict[str, float]:
        return {k: 1.0 + spread_factor * (v - 1.0) for k, v in m.items()}

    def scale(value: float | None) -> float | None:
        return None if value is None else value * price_factor

    return dataclasses.replace(
        tariff,
        flat_price_yuan_per_kwh=tariff.flat_price_yuan_per_kwh * price_factor,
        multipliers=spread(tariff.multipliers),
        seasons=tuple(
            dataclasses.replace(s, multipliers=spread(s.multipliers)) for s in tariff.seasons
        ),
        demand_charge_yuan_per_kw_month=scale(tariff.demand_charge_yuan_per_kw_month),
        capacity_charge_yuan_per_kva_month=scale(tariff.capacity_charge_yuan_per_kva_month),
        export_price_yuan_per_kwh=(
            tariff.export_price_yuan_per_kwh
            if export_price_yuan_per_kwh is None
            else export_price_yuan_per_kwh
        ),
    )


def rebilled_saving(
    op: Operation,
    *,
    yield_factor: float = 1.0,
    price_factor: float = 1.0,
    spread_factor: float = 1.0,
    export_price_yuan_per_kwh: float | None = None,
) -> tuple[float, float]:
    """Year saving on the bill excluding export [yuan] and export credit [yuan] under changes.

    Saving = bill without the system - (bill with it + export credit), both billed by
    :func:`peakzero.tariff.compute_bill` under :func:`scaled_tariff`.
    """
    check_range("yield_factor", yield_factor, 0.0, 2.0)
    tariff = scaled_tariff(
        op.tariff,
        price_factor=price_factor,
        spread_factor=spread_factor,
        export_price_yuan_per_kwh=export_price_yuan_per_kwh,
    )
    imp, exp, _ = op.grid_flows(yield_factor)
    bau = compute_bill(tariff, op.index, op.load_kw)
    with_system = compute_bill(tariff, op.index, imp, exp)
    credit = float(with_system.monthly["export_credit_yuan"].sum())
    return bau.total_yuan - with_system.total_yuan - credit, credit


def _ratio(new: float, base: float) -> float:
    return new / base if base != 0 else 1.0


def yield_cases(
    case: ProjectCase,
    op: Operation,
    *,
    sigma: float = GHI_INTERANNUAL_SIGMA,
    exceedances: tuple[float, ...] = (0.5, 0.9),
) -> pd.DataFrame:
    """Annual PV yield, year-1 saving, payback and NPV at each probability of exceedance.

    Returns rows indexed ``P50``, ``P90`` ... with ``yield_factor``, ``pv_kwh``,
    ``savings_year1_yuan``, ``export_revenue_year1_yuan``, ``payback_years`` and ``npv_yuan``.
    """
    base_saving, base_credit = rebilled_saving(op)
    dt_h = float((op.index[1] - op.index[0]) / pd.Timedelta(hours=1))
    pv_kwh = float(op.pv_kw.sum() * dt_h)
    rows = {}
    for p in exceedances:
        f = exceedance_yield(1.0, sigma, p)
        saving, credit = rebilled_saving(op, yield_factor=f)
        scaled = case.scaled(
            savings=_ratio(saving, base_saving), export=_ratio(credit, base_credit)
        )
        payback, value = scaled.payback_and_npv()
        rows[f"P{round(p * 100)}"] = {
            "yield_factor": f,
            "pv_kwh": pv_kwh * f,
            "savings_year1_yuan": scaled.savings_year1_yuan,
            "export_revenue_year1_yuan": scaled.export_revenue_year1_yuan,
            "payback_years": payback,
            "npv_yuan": value,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


#: Tornado drivers: key -> (low, high) settings; see :func:`sensitivity_table`.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "tariff_level": (0.9, 1.1),
    "peak_valley_spread": (0.8, 1.2),
    "capex": (1.1, 0.9),
    "pv_yield": (-1.0, 1.0),  # in units of z_90 x sigma: P90 and P10
}


def sensitivity_table(
    case: ProjectCase,
    op: Operation,
    *,
    sigma: float = GHI_INTERANNUAL_SIGMA,
    market_export_price_yuan_per_kwh: float = MARKET_EXPORT_PRICE_YUAN_PER_KWH,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Payback and NPV when one driver moves at a time (the tornado chart's data).

    Drivers (low case first, ``ranges`` overrides the factors):

    - ``tariff_level``: every price x 0.9 / x 1.1;
    - ``peak_valley_spread``: the spread of the periods around flat x 0.8 / x 1.2;
    - ``capex``: investment x 1.1 / x 0.9;
    - ``pv_yield``: the P90 / P10 year (``1 -/+ 1.2816 sigma``);
    - ``export_market_price``: export paid ``market_export_price_yuan_per_kwh`` (NDRC/NEA 2025
      No. 136) / as today; no effect on a zero-export site.

    Returns
    -------
    pandas.DataFrame
        One row per driver with ``low_setting``, ``high_setting``, ``payback_low_years``,
        ``payback_high_years``, ``npv_low_yuan``, ``npv_high_yuan`` and ``npv_swing_yuan``
        (|high - low|), sorted by swing (largest first), plus the base case's figures in the
        attrs ``base_payback_years`` and ``base_npv_yuan``.
    """
    r = {**DEFAULT_RANGES, **(ranges or {})}
    base_saving, base_credit = rebilled_saving(op)
    base_payback, base_npv = case.payback_and_npv()

    def run(**kwargs: float) -> tuple[float | None, float]:
        saving, credit = rebilled_saving(op, **kwargs)
        scaled = case.scaled(
            savings=_ratio(saving, base_saving), export=_ratio(credit, base_credit)
        )
        return scaled.payback_and_npv()

    z = z_score(0.9)
    cases: dict[str, tuple[float, float, tuple[float | None, float], tuple[float | None, float]]]
    cases = {}
    lo, hi = r["tariff_level"]
    cases["tariff_level"] = (lo, hi, run(price_factor=lo), run(price_factor=hi))
    lo, hi = r["peak_valley_spread"]
    cases["peak_valley_spread"] = (lo, hi, run(spread_factor=lo), run(spread_factor=hi))
    lo, hi = r["capex"]
    cases["capex"] = (
        lo,
        hi,
        case.scaled(capex=lo).payback_and_npv(),
        case.scaled(capex=hi).payback_and_npv(),
    )
    lo, hi = r["pv_yield"]
    f_lo, f_hi = 1.0 + lo * z * sigma, 1.0 + hi * z * sigma
    cases["pv_yield"] = (f_lo, f_hi, run(yield_factor=f_lo), run(yield_factor=f_hi))
    today = op.tariff.export_price_yuan_per_kwh
    cases["export_market_price"] = (
        market_export_price_yuan_per_kwh,
        today,
        run(export_price_yuan_per_kwh=market_export_price_yuan_per_kwh),
        (base_payback, base_npv),
    )
    rows = [
        {
            "driver": key,
            "low_setting": low,
            "high_setting": high,
            "payback_low_years": res_lo[0],
            "payback_high_years": res_hi[0],
            "npv_low_yuan": res_lo[1],
            "npv_high_yuan": res_hi[1],
            "npv_swing_yuan": abs(res_hi[1] - res_lo[1]),
        }
        for key, (low, high, res_lo, res_hi) in cases.items()
    ]
    frame = pd.DataFrame(rows).sort_values("npv_swing_yuan", ascending=False, kind="stable")
    frame = frame.reset_index(drop=True)
    frame.attrs["base_payback_years"] = base_payback
    frame.attrs["base_npv_yuan"] = base_npv
    return frame
