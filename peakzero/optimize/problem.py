"""The site sizing-and-dispatch problem as plain arrays and numbers (no files, no tariff objects).

The planner (:mod:`peakzero.site.planner`) turns a site file into a :class:`SiteProblem`; the LP
builder (:mod:`peakzero.optimize.build`) turns the problem into matrices.

Lifecycle approximation (as in NREL REopt)
------------------------------------------
One representative year of dispatch stands for every year of the analysis period. Its yearly
bill (energy, demand, export credit) is multiplied by the present-worth factor
``pwf_bill = sum_{y=1..N} (1 + e)**(y-1) / (1 + r)**y`` (tariff escalation ``e``, discount rate
``r``, year-1 prices as given); PV output is multiplied by the levelisation factor
``sum_y w_y (1 - d)**(y-1) / sum_y w_y`` with ``w_y = (1 + e)**(y-1) / (1 + r)**y`` (PV
degradation ``d``), i.e. the bill-weighted average of the
degraded output, so that a proportional saving is valued exactly; O&M uses
``pwf_om = sum_y (1 + e_om)**(y-1) / (1 + r)**y``. The same conventions as
:func:`peakzero.finance.project_cash_flows`, so the cash flows' NPV equals the LP's saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from peakzero.errors import PeakzeroError
from peakzero.params import default
from peakzero.storage import Battery

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def present_worth_factor(rate: float, escalation: float, years: int) -> float:
    """Sum over years 1..N of ``(1 + escalation)**(y - 1) / (1 + rate)**y`` [-].

    >>> round(present_worth_factor(0.0, 0.0, 25), 9)
    25.0
    >>> round(present_worth_factor(0.1, 0.0, 2), 6)  # 1/1.1 + 1/1.21
    1.735537
    """
    y = np.arange(1, years + 1, dtype=float)
    return float(np.sum((1.0 + escalation) ** (y - 1) / (1.0 + rate) ** y))


def degradation_levelisation(
    rate: float, escalation: float, degradation: float, years: int
) -> float:
    """Bill-weighted average of the PV output factor ``(1 - d)**(y - 1)`` over years 1..N [-].

    >>> degradation_levelisation(0.06, 0.0, 0.0, 25)
    1.0
    """
    y = np.arange(1, years + 1, dtype=float)
    w = (1.0 + escalation) ** (y - 1) / (1.0 + rate) ** y
    return float(np.sum(w * (1.0 - degradation) ** (y - 1)) / np.sum(w))


#: Largest tie-breaking cut in the export credit [yuan/kWh] (see
#: :attr:`SiteProblem.export_credit_yuan_per_kwh`): far above the solver's dual tolerance on
#: objective coefficients of ~10 yuan/kWh (1e-9), far below any price step (0.001 yuan/kWh).
TIE_BREAK_YUAN_PER_KWH = 2e-6


def tie_break_yuan_per_kwh(n: int) -> FloatArray:
    """Tie-breaking cut per interval [yuan/kWh]: distinct over each week (a golden-ratio
    sequence), between 1e-6 and 2e-6, the same on every run.

    >>> bool(np.unique(tie_break_yuan_per_kwh(168)).size == 168)
    True
    """
    phase = np.mod(np.arange(n) * 0.6180339887498949, 1.0)
    return np.asarray(TIE_BREAK_YUAN_PER_KWH * (0.5 + 0.5 * phase), dtype=float)


def within_interval_excess(meter_kw: FloatArray, steps: int) -> tuple[FloatArray, FloatArray]:
    """Mean load per interval of ``steps`` meter readings and the excess of the highest reading
    over that mean [kW], both shape (T,) with ``T = len(meter_kw) / steps``.

    >>> mean, excess = within_interval_excess(np.array([1.0, 3.0, 2.0, 2.0]), 2)
    >>> mean.tolist(), excess.tolist()
    ([2.0, 2.0], [1.0, 0.0])
    """
    if steps < 1 or meter_kw.size % steps:
        raise PeakzeroError(
            f"{meter_kw.size} meter readings do not split into intervals of {steps}",
            field="load_kw",
        )
    blocks = meter_kw.reshape(-1, steps)
    mean = blocks.mean(axis=1)
    return mean, blocks.max(axis=1) - mean


@dataclass(frozen=True)
class PVOptions:
    """PV sizing and cost inputs.

    Parameters
    ----------
    capex_yuan_per_kwp
        Installed cost [yuan/kWp].
    om_yuan_per_kwp_year
        Fixed O&M [yuan/kWp/year].
    max_kwp, min_kwp
        Size bounds [kWp]; ``max_kwp`` is the roof maximum.

    Defaults are the parameter schema's (``peakzero/data/params/fields.csv``, ``PVInput.*``).
    fixed_kwp
        Fixed size [kWp], or ``None`` to optimise.
    degradation_per_year
        Yearly output loss [fraction/year].
    """

    capex_yuan_per_kwp: float = default("PVInput.capex_yuan_per_kwp")
    om_yuan_per_kwp_year: float = default("PVInput.om_yuan_per_kwp_year")
    max_kwp: float = 1000.0  # engine-only placeholder: a site always states its roof maximum
    min_kwp: float = default("PVInput.min_kwp")
    fixed_kwp: float | None = None
    degradation_per_year: float = default("PVInput.degradation_per_year")


@dataclass(frozen=True)
class Economics:
    """Discounting inputs shared by the LP objective and the cash flows.

    Parameters
    ----------
    analysis_years
        Analysis period [year].
    discount_rate
        Real or nominal discount rate, consistent with the escalations [-/year].
    tariff_escalation
        Yearly growth of electricity prices [-/year].
    om_escalation
        Yearly growth of O&M costs [-/year].

    Defaults are the parameter schema's (``EconomicsInput.*``).
    """

    analysis_years: int = default("EconomicsInput.analysis_years")
    discount_rate: float = default("EconomicsInput.discount_rate")
    tariff_escalation: float = default("EconomicsInput.tariff_escalation")
    om_escalation: float = default("EconomicsInput.om_escalation")

    @property
    def pwf_bill(self) -> float:
        """Present-worth factor of a yearly bill [-]."""
        return present_worth_factor(self.discount_rate, self.tariff_escalation, self.analysis_years)

    @property
    def pwf_om(self) -> float:
        """Present-worth factor of a yearly O&M cost [-]."""
        return present_worth_factor(self.discount_rate, self.om_escalation, self.analysis_years)


@dataclass(frozen=True)
class SiteTargets:
    """Optional constraints; ``None`` switches one off.

    Parameters
    ----------
    min_co2_reduction_fraction
        Minimum cut in grid imports (location-based scope 2 CO2 with one grid factor) [-].
    min_renewable_share
        Minimum share of the load met by PV, directly or through the battery [-].
    capex_budget_yuan
        Maximum initial capex [yuan].
    """

    min_co2_reduction_fraction: float | None = None
    min_renewable_share: float | None = None
    capex_budget_yuan: float | None = None


@dataclass(frozen=True)
class SiteProblem:
    """Everything the LP needs, in plain arrays.

    Parameters
    ----------
    load_kw
        Site load per interval [kW], shape (T,).
    pv_kw_per_kwp
        AC PV output per kWp in year 1 [kW/kWp], shape (T,).
    import_price_yuan_per_kwh
        Energy price per interval [yuan/kWh], shape (T,).
    export_price_yuan_per_kwh
        Price paid for exported energy [yuan/kWh].
    month
        Month number (0-based) of each interval for the demand charge, shape (T,).
    day
        Day number (0-based) of each interval for the cycle limit, shape (T,).
    demand_charge_yuan_per_kw_month
        Demand charge on the monthly maximum import [yuan/kW/month]; 0 for none.
    demand_excess_kw
        Per interval, how far the load's highest meter reading inside the interval (a
        15-minute reading in an hour) stands above the interval's mean load [kW], shape (T,);
        added to the import in the demand rows so that hourly energy is billed on the meter's
        own demand interval (:func:`within_interval_excess`). ``None``: the interval is the
        meter's.
    fixed_charges_yuan_per_year
        Charges the design cannot change (capacity charge), added to both bills [yuan/year].
    dt_hours
        Interval length [h].
    export_limit_kw
        Maximum export [kW]; ``None`` unlimited, 0 anti-backflow.
    battery_export
        Whether the battery may discharge to the grid.
    grid_limit_kw
        Most power through the grid connection either way [kW]: the transformer's kVA times
        its power factor; ``None`` unlimited. Bounds import and export every interval.
    max_demand_increase_kw
        Most the design may raise a month's peak import above that month's peak load (the
        business-as-usual demand) [kW]; ``None`` unlimited, 0 forbids raising it (a battery
        charging from the grid at night then cannot set a new monthly peak).
    relaxed_export_credit
        Credit export at the tariff's export price in every interval (a lower bound on the
        exact one-meter optimum; see :attr:`export_credit_yuan_per_kwh`) instead of the
        conservative ``min(export, import)`` price.
    index
        Start of each interval (tz-aware, China Standard Time), length T; ``None`` for a
        problem given as bare arrays. Carried through to :class:`~peakzero.optimize.Dispatch`.

    Raises
    ------
    PeakzeroError
        At construction, naming the field: a per-interval array that is not one-dimensional
        with T entries, non-finite values, a month outside 0-11, a negative day, ``dt_hours``
        not positive, negative charges or export limit, or an index of another length.
    """

    load_kw: FloatArray
    pv_kw_per_kwp: FloatArray
    import_price_yuan_per_kwh: FloatArray
    month: IntArray
    day: IntArray
    export_price_yuan_per_kwh: float = 0.0
    demand_charge_yuan_per_kw_month: float = 0.0
    fixed_charges_yuan_per_year: float = 0.0
    dt_hours: float = 1.0
    export_limit_kw: float | None = None
    battery_export: bool = False
    grid_limit_kw: float | None = None
    demand_excess_kw: FloatArray | None = None
    max_demand_increase_kw: float | None = None
    relaxed_export_credit: bool = False
    pv: PVOptions = field(default_factory=PVOptions)
    battery: Battery = field(default_factory=Battery)
    economics: Economics = field(default_factory=Economics)
    targets: SiteTargets = field(default_factory=SiteTargets)
    index: pd.DatetimeIndex | None = None

    def __post_init__(self) -> None:
        load = np.asarray(self.load_kw)
        if load.ndim != 1 or load.size == 0:
            raise PeakzeroError(
                f"load_kw has shape {load.shape}: give one value per interval, shape (T,) "
                "with T >= 1",
                field="load_kw",
            )
        n = load.size
        per_interval = ["load_kw", "pv_kw_per_kwp", "import_price_yuan_per_kwh", "month", "day"]
        if self.demand_excess_kw is not None:
            per_interval.append("demand_excess_kw")
        for name in per_interval:
            values = np.asarray(getattr(self, name))
            if values.shape != (n,):
                raise PeakzeroError(
                    f"{name} has shape {values.shape} but load_kw has {n} intervals: give one "
                    f"value per interval, shape ({n},)",
                    field=name,
                )
            if not np.all(np.isfinite(values)):
                bad = int(np.flatnonzero(~np.isfinite(values))[0])
                raise PeakzeroError(
                    f"{name}[{bad}] = {values[bad]}: every value must be finite",
                    field=name,
                )
        if self.demand_excess_kw is not None and np.any(np.asarray(self.demand_excess_kw) < 0):
            raise PeakzeroError(
                "demand_excess_kw holds negative values: the highest reading in an interval is "
                "never below its mean",
                field="demand_excess_kw",
            )
        month, day = np.asarray(self.month), np.asarray(self.day)
        if np.any(month != np.round(month)) or month.min() < 0 or month.max() > 11:
            raise PeakzeroError(
                f"month holds {month.min()} to {month.max()}: allowed whole numbers 0 "
                "(January) to 11 (December)",
                field="month",
            )
        if np.any(day != np.round(day)) or day.min() < 0:
            raise PeakzeroError(
                f"day holds {day.min()} to {day.max()}: allowed whole numbers >= 0 (day of year, "
                "0-based)",
                field="day",
            )
        checks = (
            ("dt_hours", self.dt_hours, 0.0, False),
            ("export_price_yuan_per_kwh", self.export_price_yuan_per_kwh, None, True),
            ("demand_charge_yuan_per_kw_month", self.demand_charge_yuan_per_kw_month, 0.0, True),
            ("fixed_charges_yuan_per_year", self.fixed_charges_yuan_per_year, 0.0, True),
            ("export_limit_kw", self.export_limit_kw, 0.0, True),
            ("grid_limit_kw", self.grid_limit_kw, 0.0, True),
            ("max_demand_increase_kw", self.max_demand_increase_kw, 0.0, True),
        )
        for name, value, low, closed in checks:
            if value is None:
                continue
            ok = bool(np.isfinite(value)) and (
                low is None or (value >= low if closed else value > low)
            )
            if not ok:
                bound = "" if low is None else (f" and >= {low}" if closed else f" and > {low}")
                raise PeakzeroError(f"{name} = {value}: must be finite{bound}", field=name)
        if self.index is not None and len(self.index) != n:
            raise PeakzeroError(
                f"index has {len(self.index)} entries but load_kw has {n} intervals: give one "
                "timestamp per interval",
                field="index",
            )

    @property
    def export_credit_yuan_per_kwh(self) -> FloatArray:
        """Export credit the LP uses per interval: min(export price, import price) [yuan/kWh].

        At one meter, power flows one way in an interval, so when the export price exceeds the
        import price (a midday valley under a coal-benchmark export price) the true cost of net
        exchange is concave and no LP can price it exactly: with separate import and export
        columns it would sell PV and buy the load back in the same hour. Crediting export at
        the lower of the two prices is the tightest linear price that never rewards that; it
        undervalues true surplus export in those intervals (a conservative design). The bill of
        the chosen design uses the tariff's own export price on the netted flows.

        Reproducible figures: in those intervals many dispatches tie at the LP optimum (PV
        exported now and the battery charged from the grid later at the same price, or PV
        stored) while their exact bills differ. The credit there is lowered by a tiny,
        interval-dependent amount (:func:`tie_break_yuan_per_kwh`, at most 2e-6 yuan/kWh), so
        the optimum exports the least in those intervals that the LP optimum allows, whatever
        path the solver takes, and the exact bill of the reported design is the same.

        With :attr:`relaxed_export_credit`, the tariff's export price in every interval: that
        LP may buy and sell in the same interval and so bounds the exact optimum from below.
        """
        if self.relaxed_export_credit:
            return np.full(self.n, float(self.export_price_yuan_per_kwh))
        price = np.asarray(self.import_price_yuan_per_kwh, dtype=float)
        above = self.export_price_yuan_per_kwh > price
        credit = np.where(
            above, price - tie_break_yuan_per_kwh(self.n), self.export_price_yuan_per_kwh
        )
        return np.asarray(credit, dtype=float)

    @property
    def export_cap_kw(self) -> float | None:
        """Most export per interval: the lower of the export and grid limits [kW]."""
        limits = [v for v in (self.export_limit_kw, self.grid_limit_kw) if v is not None]
        return min(limits) if limits else None

    @property
    def excess_kw(self) -> FloatArray:
        """:attr:`demand_excess_kw`, zeros when not given [kW], shape (T,)."""
        if self.demand_excess_kw is None:
            return np.zeros(self.n)
        return np.asarray(self.demand_excess_kw, dtype=float)

    @property
    def bau_monthly_peak_kw(self) -> FloatArray:
        """Peak demand of each interval's month without a design, per interval [kW]: the
        highest load on the meter's interval (load plus :attr:`demand_excess_kw`)."""
        months, where = np.unique(self.month, return_inverse=True)
        peaks = np.zeros(months.size)
        np.maximum.at(peaks, where, self.load_kw + self.excess_kw)
        return np.asarray(peaks[where], dtype=float)

    @property
    def import_cap_kw(self) -> FloatArray | None:
        """Most import per interval from the grid limit and the demand-increase limit [kW];
        ``None`` when neither is set. Both bound the import on the meter's interval, so the
        within-interval excess (:attr:`demand_excess_kw`) is taken off the cap:
        ``imp_t <= min(grid_limit_kw, M_m(t) + max_demand_increase_kw) - x_t``."""
        cap = np.full(self.n, np.inf)
        if self.grid_limit_kw is not None:
            cap = np.minimum(cap, self.grid_limit_kw)
        if self.max_demand_increase_kw is not None:
            cap = np.minimum(cap, self.bau_monthly_peak_kw + self.max_demand_increase_kw)
        if np.all(np.isinf(cap)):
            return None
        return np.asarray(cap - self.excess_kw, dtype=float)

    @property
    def n(self) -> int:
        """Number of intervals."""
        return int(self.load_kw.shape[0])

    @property
    def pv_levelisation(self) -> float:
        """Factor applied to year-1 PV output in the representative year [-]."""
        e = self.economics
        return degradation_levelisation(
            e.discount_rate, e.tariff_escalation, self.pv.degradation_per_year, e.analysis_years
        )
