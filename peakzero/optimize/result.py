"""Read an LP solution back into sizes, hourly flows and the representative year's bill.

An aggregated model's flows are recovered with :func:`peakzero.optimize.aggregate.allocate_flows`
(its allocation rule); a detailed model's are read as solved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from peakzero.optimize.aggregate import allocate_flows
from peakzero.optimize.build import FLOWS, SiteLp
from peakzero.optimize.problem import FloatArray, SiteProblem
from peakzero.optimize.solve import SiteLpSolution

if TYPE_CHECKING:
    import pandas as pd

#: Flows below this are solver noise and reported as zero [kW].
FLOW_NOISE_KW = 1e-7


@dataclass(frozen=True)
class Dispatch:
    """Optimal sizes and flows of the representative year.

    Attributes
    ----------
    pv_kwp, battery_kw, battery_kwh
        Sizes [kWp], [kW], [kWh].
    flows
        Flow name (see :data:`peakzero.optimize.build.FLOWS`) to array (T,) [kW] (``soc`` [kWh]).
    pv_kw
        PV output available in the representative year (levelised) [kW], shape (T,).
    monthly_peak_kw
        Peak import per month present, from the flows [kW].
    energy_cost_yuan, demand_cost_yuan, export_revenue_yuan
        Representative-year bill parts [yuan/year].
    objective_yuan
        Lifecycle cost of the design [yuan]: the LP optimum with export re-priced at the
        tariff's export price (see :attr:`SiteProblem.export_credit_yuan_per_kwh`).
    lp_objective_yuan
        The LP optimum (export credited at min(export, import price), without the tie-break
        of :attr:`SiteProblem.export_credit_yuan_per_kwh`) [yuan].
    index
        Start of each interval, the problem's :attr:`SiteProblem.index` (``None`` when the
        problem was given as bare arrays).
    """

    pv_kwp: float
    battery_kw: float
    battery_kwh: float
    flows: dict[str, FloatArray]
    pv_kw: FloatArray
    monthly_peak_kw: FloatArray
    energy_cost_yuan: float
    demand_cost_yuan: float
    export_revenue_yuan: float
    objective_yuan: float
    lp_objective_yuan: float = float("nan")
    index: pd.DatetimeIndex | None = None

    def to_frame(self) -> pd.DataFrame:
        """Flows per interval [kW] (``soc`` [kWh]) and the PV available, indexed by
        :attr:`index` (or by interval number when there is none)."""
        import pandas as pd

        frame = pd.DataFrame({"pv_available_kw": self.pv_kw, **self.flows}, index=self.index)
        frame.index.name = "time" if self.index is not None else "interval"
        return frame

    @property
    def grid_import_kw(self) -> FloatArray:
        """Import per interval [kW]."""
        return self.flows["grid_to_load"] + self.flows["grid_to_batt"]

    @property
    def grid_export_kw(self) -> FloatArray:
        """Export per interval [kW]."""
        return self.flows["pv_to_grid"] + self.flows["batt_to_grid"]

    @property
    def charge_kw(self) -> FloatArray:
        """Battery charging per interval [kW]."""
        return self.flows["pv_to_batt"] + self.flows["grid_to_batt"]

    @property
    def discharge_kw(self) -> FloatArray:
        """Battery discharging per interval [kW]."""
        return self.flows["batt_to_load"] + self.flows["batt_to_grid"]


def bill_parts(
    problem: SiteProblem, import_kw: FloatArray, export_kw: FloatArray
) -> tuple[float, float, float, FloatArray]:
    """Energy cost, demand cost, export revenue [yuan] and monthly peaks [kW] of one year.

    The same bill the LP prices (without the fixed capacity charge): the peaks on the import
    plus the within-interval load excess when the problem gives one.
    """
    dt = problem.dt_hours
    energy = float(np.sum(problem.import_price_yuan_per_kwh * import_kw) * dt)
    months = np.unique(problem.month)
    peaks = np.zeros(months.size)
    demand_kw = (
        import_kw if problem.demand_excess_kw is None else import_kw + problem.demand_excess_kw
    )
    np.maximum.at(peaks, np.searchsorted(months, problem.month), demand_kw)
    demand = float(problem.demand_charge_yuan_per_kw_month * peaks.sum())
    revenue = float(problem.export_price_yuan_per_kwh * np.sum(export_kw) * dt)
    return energy, demand, revenue, peaks


def read_dispatch(problem: SiteProblem, model: SiteLp, solution: SiteLpSolution) -> Dispatch:
    """Sizes, flows and bill parts of an optimal ``solution``."""
    x, cols = solution.x, model.columns
    pv_kwp = max(cols.value(x, "pv_kwp"), 0.0)
    pv_kw = problem.pv_kw_per_kwp * problem.pv_levelisation * pv_kwp
    if model.aggregated:
        raw = allocate_flows(problem, {k: cols.take(x, k) for k in model.blocks}, pv_kw)
    else:
        raw = {name: cols.take(x, name) for name in FLOWS}
    flows = {name: np.where(np.abs(v) < FLOW_NOISE_KW, 0.0, v) for name, v in raw.items()}
    battery_kwh = max(cols.value(x, "batt_kwh"), 0.0)
    flows["soc"] = (
        flows["soc"] + problem.battery.soc_min * battery_kwh
    )  # LP stores energy above floor
    # the LP's own export, before netting, to take the tie-break off its objective
    lp_export = flows["pv_to_grid"] + flows["batt_to_grid"]
    net_simultaneous_flows(flows)
    imp = flows["grid_to_load"] + flows["grid_to_batt"]
    exp = flows["pv_to_grid"] + flows["batt_to_grid"]
    energy, demand, revenue, peaks = bill_parts(problem, imp, exp)
    dt = problem.dt_hours
    extra_credit = float(
        np.sum((problem.export_price_yuan_per_kwh - problem.export_credit_yuan_per_kwh) * exp) * dt
    )
    return Dispatch(
        pv_kwp=pv_kwp,
        battery_kw=max(cols.value(x, "batt_kw"), 0.0),
        battery_kwh=battery_kwh,
        flows=flows,
        pv_kw=pv_kw,
        monthly_peak_kw=peaks,
        energy_cost_yuan=energy,
        demand_cost_yuan=demand,
        export_revenue_yuan=revenue,
        objective_yuan=solution.objective_yuan - extra_credit * problem.economics.pwf_bill,
        lp_objective_yuan=solution.objective_yuan - _tie_break_yuan(problem, lp_export),
        index=problem.index,
    )


def _tie_break_yuan(problem: SiteProblem, export_kw: FloatArray) -> float:
    """What the tie-break (:attr:`SiteProblem.export_credit_yuan_per_kwh`) took off the export
    credit of ``export_kw`` in the LP objective [yuan], so that :attr:`Dispatch.lp_objective_yuan`
    is the LP's figure at the credit ``min(export, import price)`` itself."""
    if problem.relaxed_export_credit:
        return 0.0
    nominal = np.minimum(problem.export_price_yuan_per_kwh, problem.import_price_yuan_per_kwh)
    cut = nominal - problem.export_credit_yuan_per_kwh
    return float(np.sum(cut * export_kw) * problem.dt_hours * problem.economics.pwf_bill)


def net_simultaneous_flows(flows: dict[str, FloatArray]) -> None:
    """Net import against export within each interval, in place.

    A meter sees one direction per interval. With export credited at most at the import price
    (:attr:`SiteProblem.export_credit_yuan_per_kwh`) an optimum may still hold both where the
    two prices tie; netting them (PV or battery output serving the load or battery instead of
    the grid) keeps every balance, lowers import peaks and leaves the LP cost unchanged.
    """
    for out, grid_in, local in (
        ("pv_to_grid", "grid_to_load", "pv_to_load"),
        ("pv_to_grid", "grid_to_batt", "pv_to_batt"),
        ("batt_to_grid", "grid_to_load", "batt_to_load"),
    ):
        m = np.minimum(flows[out], flows[grid_in])
        flows[out] = flows[out] - m
        flows[grid_in] = flows[grid_in] - m
        flows[local] = flows[local] + m


def renewable_share(problem: SiteProblem, dispatch: Dispatch) -> float:
    """Share of the load met by PV, PV sent through the battery counted after its losses [-].

    ``sum_t (pv_to_load_t + eta_rt pv_to_batt_t) / sum_t L_t`` (``eta_rt`` the battery's
    round-trip efficiency): the quantity the LP's renewable-share target bounds
    (:func:`peakzero.optimize.families.renewable_target`). 0 when there is no load.
    """
    f = dispatch.flows
    load_kwh = float(problem.load_kw.sum())
    if load_kwh <= 0.0:
        return 0.0
    eta = problem.battery.round_trip_efficiency
    return float((f["pv_to_load"] + eta * f["pv_to_batt"]).sum() / load_kwh)
