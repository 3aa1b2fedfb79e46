"""Product catalogues: PV modules, string inverters and battery units, from bundled CSV files.

The files are ``peakzero/data/products/{modules,inverters,batteries}.csv``, one row per product
with a ``source`` on every row; generic catalogue figures are marked ``[unverified]`` there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from peakzero.data import read_table
from peakzero.errors import PeakzeroError


@dataclass(frozen=True)
class ModuleSpec:
    """A PV module at STC (1000 W/m2, 25 deg C).

    Parameters
    ----------
    id, name
        Catalogue key and readable name.
    power_w
        STC rating [W].
    voc_v, vmp_v
        Open-circuit and maximum-power voltage [V].
    isc_a, imp_a
        Short-circuit and maximum-power current [A].
    beta_voc_per_c, beta_vmp_per_c
        Temperature coefficients of Voc and Vmp [1/deg C] (negative).
    length_m, width_m, mass_kg
        Size [m] and mass [kg].
    source
        Where the figures come from.
    name_zh
        The name in Chinese reports.
    """

    id: str
    name: str
    power_w: float
    voc_v: float
    vmp_v: float
    isc_a: float
    imp_a: float
    beta_voc_per_c: float
    beta_vmp_per_c: float
    length_m: float
    width_m: float
    mass_kg: float
    source: str
    name_zh: str = ""


@dataclass(frozen=True)
class InverterSpec:
    """A string inverter.

    Parameters
    ----------
    id, name
        Catalogue key and readable name.
    ac_kw
        Rated AC power [kW].
    max_dc_v
        Maximum DC input voltage [V]: the string's cold open-circuit voltage must stay below it.
    mppt_min_v, mppt_max_v
        Full-power MPPT window [V]: the string's maximum-power voltage must stay inside it.
    inputs
        Number of string inputs [-].
    max_input_current_a
        Maximum current per string input [A].
    max_dc_ac_ratio
        Largest DC/AC ratio the maker allows [-].
    eta_euro
        European weighted efficiency [-].
    source
        Where the figures come from.
    name_zh
        The name in Chinese reports.
    """

    id: str
    name: str
    ac_kw: float
    max_dc_v: float
    mppt_min_v: float
    mppt_max_v: float
    inputs: int
    max_input_current_a: float
    max_dc_ac_ratio: float
    eta_euro: float
    source: str
    name_zh: str = ""


@dataclass(frozen=True)
class BatteryUnitSpec:
    """A battery unit sold whole (cabinet or container) with its converter.

    Parameters
    ----------
    id, name
        Catalogue key and readable name.
    kind
        ``"cabinet"`` or ``"container"``.
    kw, kwh
        Rated AC power [kW] and nameplate energy [kWh] of one unit.
    source
        Where the figures come from.
    name_zh
        The name in Chinese reports.
    """

    id: str
    name: str
    kind: str
    kw: float
    kwh: float
    source: str
    name_zh: str = ""


def load_modules() -> tuple[ModuleSpec, ...]:
    """The bundled module catalogue."""
    frame = read_table("products/modules.csv")
    return tuple(ModuleSpec(**{str(k): v for k, v in row.items()}) for row in _rows(frame))


def load_inverters() -> tuple[InverterSpec, ...]:
    """The bundled inverter catalogue, smallest rating first."""
    frame = read_table("products/inverters.csv").sort_values("ac_kw")
    return tuple(InverterSpec(**{str(k): v for k, v in row.items()}) for row in _rows(frame))


def load_battery_units() -> tuple[BatteryUnitSpec, ...]:
    """The bundled battery-unit catalogue, smallest energy first."""
    frame = read_table("products/batteries.csv").sort_values("kwh")
    return tuple(BatteryUnitSpec(**{str(k): v for k, v in row.items()}) for row in _rows(frame))


def find_module(module_id: str) -> ModuleSpec:
    """The catalogue module ``module_id``; an unknown id names the known ones."""
    modules = load_modules()
    for m in modules:
        if m.id == module_id:
            return m
    known = ", ".join(m.id for m in modules)
    raise PeakzeroError(
        f"module = {module_id!r} is not in the catalogue: known {known}.", field="module"
    )


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with numpy scalars turned into Python numbers."""
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in record.items()}
        for record in frame.to_dict(orient="records")
    ]
