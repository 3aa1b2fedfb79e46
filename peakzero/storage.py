"""Battery (electrochemical storage) parameters and capacity fade.

A :class:`Battery` is a small frozen record of what the site optimiser needs: cost per kW and per
kWh, round-trip efficiency, state-of-charge (SOC) window, grid-charging rule, daily cycle limit and
a capacity-fade model. Fade is the usual two-term empirical model used in techno-economic tools
(e.g. NREL SAM / REopt): a calendar term linear in years plus a throughput term linear in
equivalent full cycles; the pack is replaced when the state of health (SOH) reaches its
end-of-life fraction.

Examples
--------
>>> b = Battery(round_trip_efficiency=0.81)
>>> round(b.charge_efficiency, 6), round(b.discharge_efficiency, 6)
(0.9, 0.9)
>>> float(state_of_health(10.0, 3000.0, calendar_fade_per_year=0.01, fade_per_cycle=5e-5))
0.75
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from peakzero.errors import PeakzeroError, check_range


@dataclass(frozen=True)
class Battery:
    """Battery parameters (lithium iron phosphate defaults, editable).

    Parameters
    ----------
    round_trip_efficiency
        AC-to-AC round-trip efficiency [-]; charge and discharge each take its square root.
    soc_min, soc_max
        State-of-charge window as fractions of nominal energy [-].
    grid_charging
        Whether the battery may charge from the grid (otherwise from PV only).
    max_cycles_per_day
        Limit on discharged energy per day in multiples of nominal energy [-]; ``None`` no limit.
    capex_yuan_per_kw, capex_yuan_per_kwh
        Installed cost of power conversion [yuan/kW] and of energy (cells, racks) [yuan/kWh].
    om_yuan_per_kw_year
        Fixed operation and maintenance [yuan/kW/year].
    calendar_fade_per_year
        Capacity lost per year of age [fraction of nominal/year].
    fade_per_cycle
        Capacity lost per equivalent full cycle [fraction of nominal/cycle].
    end_of_life_soh
        State of health at which the pack is replaced [-].
    replacement_year
        Year the energy part is replaced; ``None`` derives it from the fade model.
    replacement_cost_fraction
        Replacement cost as a fraction of the initial energy (per kWh) capex [-].
    min_kw, max_kw, min_kwh, max_kwh
        Size bounds for the optimiser [kW], [kWh].
    fixed_kw, fixed_kwh
        Fixed sizes (dispatch only) [kW], [kWh]; ``None`` lets the optimiser choose.

    Notes
    -----
    Default costs are editable planning figures for 2024 Chinese C&I LFP systems [unverified].
    """

    round_trip_efficiency: float = 0.88
    soc_min: float = 0.05
    soc_max: float = 0.95
    grid_charging: bool = True
    max_cycles_per_day: float | None = 2.0
    capex_yuan_per_kw: float = 300.0
    capex_yuan_per_kwh: float = 900.0
    om_yuan_per_kw_year: float = 20.0
    calendar_fade_per_year: float = 0.01
    fade_per_cycle: float = 3.0e-5
    end_of_life_soh: float = 0.7
    replacement_year: int | None = None
    replacement_cost_fraction: float = 0.6
    min_kw: float = 0.0
    max_kw: float = 1.0e5
    min_kwh: float = 0.0
    max_kwh: float = 4.0e5
    fixed_kw: float | None = None
    fixed_kwh: float | None = None

    def __post_init__(self) -> None:
        check_range("battery.round_trip_efficiency", self.round_trip_efficiency, 0.5, 1.0)
        check_range("battery.soc_min", self.soc_min, 0.0, 1.0)
        check_range("battery.soc_max", self.soc_max, 0.0, 1.0)
        if self.soc_min >= self.soc_max:
            raise PeakzeroError(
                f"battery.soc_min = {self.soc_min} must be below battery.soc_max = "
                f"{self.soc_max}; typical LFP window is 0.05 to 0.95.",
                field="battery.soc_min",
            )
        if self.max_cycles_per_day is not None:
            check_range("battery.max_cycles_per_day", self.max_cycles_per_day, 0.0, 24.0)
        for name in ("capex_yuan_per_kw", "capex_yuan_per_kwh", "om_yuan_per_kw_year"):
            check_range(f"battery.{name}", getattr(self, name), 0.0, 1.0e5)
        check_range("battery.calendar_fade_per_year", self.calendar_fade_per_year, 0.0, 0.2)
        check_range("battery.fade_per_cycle", self.fade_per_cycle, 0.0, 0.01)
        check_range("battery.end_of_life_soh", self.end_of_life_soh, 0.0, 1.0)
        check_range("battery.replacement_cost_fraction", self.replacement_cost_fraction, 0.0, 2.0)
        if self.replacement_year is not None:
            check_range("battery.replacement_year", self.replacement_year, 1, 100)
        for low, high, what in (
            (self.min_kw, self.max_kw, "kw"),
            (self.min_kwh, self.max_kwh, "kwh"),
        ):
            check_range(f"battery.min_{what}", low, 0.0, math.inf)
            if high < low:
                raise PeakzeroError(
                    f"battery.max_{what} = {high} is below battery.min_{what} = {low}; "
                    "raise the maximum or lower the minimum.",
                    field=f"battery.max_{what}",
                )
        for name in ("fixed_kw", "fixed_kwh"):
            value = getattr(self, name)
            if value is not None:
                check_range(f"battery.{name}", value, 0.0, math.inf)

    @property
    def charge_efficiency(self) -> float:
        """Charging efficiency, square root of the round trip [-]."""
        return math.sqrt(self.round_trip_efficiency)

    @property
    def discharge_efficiency(self) -> float:
        """Discharging efficiency, square root of the round trip [-]."""
        return math.sqrt(self.round_trip_efficiency)


def state_of_health(
    age_years: ArrayLike,
    equivalent_full_cycles: ArrayLike,
    *,
    calendar_fade_per_year: float,
    fade_per_cycle: float,
) -> NDArray[np.float64]:
    """State of health after calendar ageing and cycling [-].

    ``soh = 1 - calendar_fade_per_year * age - fade_per_cycle * cycles``, floored at 0.

    Parameters
    ----------
    age_years
        Age since installation or last replacement [year].
    equivalent_full_cycles
        Cumulative discharged energy divided by nominal energy [-].
    """
    soh = (
        1.0
        - calendar_fade_per_year * np.asarray(age_years, dtype=float)
        - fade_per_cycle * np.asarray(equivalent_full_cycles, dtype=float)
    )
    return np.clip(soh, 0.0, 1.0)


def replacement_year(battery: Battery, cycles_per_year: float, analysis_years: int) -> int | None:
    """First year whose end-of-year SOH is at or below end of life, or ``None`` if none.

    A fixed ``battery.replacement_year`` wins over the fade model; a year beyond the analysis
    period means no replacement.

    Parameters
    ----------
    battery
        Battery parameters.
    cycles_per_year
        Equivalent full cycles per year [-].
    analysis_years
        Analysis period [year].

    >>> replacement_year(Battery(calendar_fade_per_year=0.01, fade_per_cycle=5e-5), 300.0, 25)
    12
    """
    if battery.replacement_year is not None:
        year = battery.replacement_year
    else:
        fade = battery.calendar_fade_per_year + battery.fade_per_cycle * max(cycles_per_year, 0.0)
        if fade <= 0.0:
            return None
        # tiny epsilon so that an exact hand-computed crossing counts as reached
        year = math.ceil((1.0 - battery.end_of_life_soh) / fade - 1e-9)
        year = max(year, 1)
    return year if year < analysis_years else None


def soh_by_year(
    battery: Battery, cycles_per_year: float, analysis_years: int
) -> NDArray[np.float64]:
    """End-of-year state of health for years 1..N, reset to 1 at the replacement [-].

    >>> soh_by_year(Battery(calendar_fade_per_year=0.1, fade_per_cycle=0.0), 0.0, 5).round(2)
    array([0.9, 0.8, 0.7, 0.9, 0.8])
    """
    years = np.arange(1, analysis_years + 1, dtype=float)
    rep = replacement_year(battery, cycles_per_year, analysis_years)
    age = years.copy()
    if rep is not None:
        age = np.where(years > rep, years - rep, years)
    return state_of_health(
        age,
        age * cycles_per_year,
        calendar_fade_per_year=battery.calendar_fade_per_year,
        fade_per_cycle=battery.fade_per_cycle,
    )
