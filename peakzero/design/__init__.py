"""Rounding the optimal design to real products: modules in whole strings inside the inverters'
voltage windows, inverters of catalogue ratings, batteries in whole cabinets or containers."""

from __future__ import annotations

from peakzero.design.placement import (
    ModulePlaces,
    TransformerLoading,
    choose_modules,
    transformer_loading,
)
from peakzero.design.products import (
    BatteryUnitSpec,
    InverterSpec,
    ModuleSpec,
    find_module,
    load_battery_units,
    load_inverters,
    load_modules,
)
from peakzero.design.rounding import (
    BatteryDesign,
    PVDesign,
    battery_candidates,
    equipment_list,
    pv_candidates,
    round_battery,
    round_pv,
)
from peakzero.design.strings import StringWindow, site_cell_temperatures, string_window

__all__ = [
    "BatteryDesign",
    "BatteryUnitSpec",
    "InverterSpec",
    "ModulePlaces",
    "ModuleSpec",
    "PVDesign",
    "StringWindow",
    "TransformerLoading",
    "battery_candidates",
    "choose_modules",
    "equipment_list",
    "find_module",
    "load_battery_units",
    "load_inverters",
    "load_modules",
    "pv_candidates",
    "round_battery",
    "round_pv",
    "site_cell_temperatures",
    "string_window",
    "transformer_loading",
]
