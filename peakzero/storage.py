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

from peakzero.errors import PeakzeroError
from peakzero.params import check, default

#: Fields checked against their declared range (peakzero/data/params/fields.csv).
_CHECKED = (
    "round_trip_efficiency",
    "soc_min",
    "soc_max",
    "max_cycles_per_day",
    "capex_yuan_per_kw",
    "capex_yuan_per_kwh",
    "om_yuan_per_kw_year",
    "calendar_fade_per_year",
    "fade_per_cycle",
    "end_of_life_soh",
    "replacement_year",
    "replacement_cost_fraction",
    "min_kw",
    "max_kw",
    "min_kwh",
    "max_kwh",
    "fixed_kw",
    "fixed_kwh",
)


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
    Defaults and ranges are those of ``BatteryInput`` in the parameter schema
    (``peakzero/data/params/fields.csv``, with their sources); costs are editable planning
    figures for Chinese C&I LFP systems [unverified].
    """

    round_trip_efficiency: float = default("BatteryInput.round_trip_efficiency")
    soc_min: float = default("BatteryInput.soc_min")
    soc_max: float = default("BatteryInput.soc_max")
    grid_charging: bool = default("BatteryInput.grid_charging")
    max_cycles_per_day: float | None = default("BatteryInput.max_cycles_per_day")
    capex_yuan_per_kw: float = default("BatteryInput.capex_yuan_per_kw")
    capex_yuan_per_kwh: float = default("BatteryInput.capex_yuan_per_kwh")
    om_yuan_per_kw_year: float = default("BatteryInput.om_yuan_per_kw_year")
    calendar_fade_per_year: float = default("BatteryInput.calendar_fade_per_year")
    fade_per_cycle: float = default("BatteryInput.fade_per_cycle")
    end_of_life_soh: float = default("BatteryInput.end_of_life_soh")
    replacement_year: int | None = default("BatteryInput.replacement_year")
    replacement_cost_fraction: float = default("BatteryInput.replacement_cost_fraction")
    min_kw: float = default("BatteryInput.min_kw")
    max_kw: float = default("BatteryInput.max_kw")
    min_kwh: float = default("BatteryInput.min_kwh")
    max_kwh: float = default("BatteryInput.max_kwh")
    fixed_kw: float | None = default("BatteryInput.fixed_kw")
    fixed_kwh: float | None = default("BatteryInput.fixed_kwh")

    def __post_init__(self) -> None:
        for name in _CHECKED:
            value = getattr(self, name)
            if value is not None:
                check(f"BatteryInput.{name}", value, field=f"battery.{name}")
        if self.soc_min >= self.soc_max:
            raise PeakzeroError(
                f"battery.soc_min = {self.soc_min} must be below battery.soc_max = "
                f"{self.soc_max}; typical LFP window is 0.05 to 0.95.",
                field="battery.soc_min",
            )
        for low, high, what in (
            (self.min_kw, self.max_kw, "kw"),
            (self.min_kwh, self.max_kwh, "kwh"),
        ):
            if high < low:
                raise PeakzeroError(
                    f"battery.max_{what} = {high} is below battery.min_{what} = {low}; "
                    "raise the maximum or lower the minimum.",
                    field=f"battery.max_{what}",
                )

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
