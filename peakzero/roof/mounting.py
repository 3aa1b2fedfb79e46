"""Modules and mounting: dimensions, mass, racking and the roof dead-load check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from peakzero.errors import PeakzeroError, check_range

RoofKind = Literal["flat", "pitched"]


@dataclass(frozen=True)
class Module:
    """A PV module.

    Parameters
    ----------
    length_m, width_m
        Long and short side [m]; mounted portrait (long side up the slope).
    power_w
        STC rating [W].
    mass_kg
        Mass [kg].
    source
        Where the figures come from.
    """

    length_m: float = 2.278
    width_m: float = 1.134
    power_w: float = 590.0
    mass_kg: float = 32.0
    source: str = (
        "72-cell M10 TOPCon 2278 x 1134 mm, 575-600 W (china-facts.md, costs and equipment); "
        "mass 32 kg typical of 2.0+2.0 mm glass-glass datasheets [unverified]"
    )

    def __post_init__(self) -> None:
        check_range("module_length_m", self.length_m, 0.3, 4.0, unit="m")
        check_range("module_width_m", self.width_m, 0.3, 3.0, unit="m")
        check_range("module_power_w", self.power_w, 10.0, 1500.0, unit="W")
        check_range("module_mass_kg", self.mass_kg, 1.0, 100.0, unit="kg")

    @property
    def area_m2(self) -> float:
        """Module area [m2]."""
        return self.length_m * self.width_m


@dataclass(frozen=True)
class Racking:
    """Racking of one roof type.

    Parameters
    ----------
    kind
        ``"flat"``: tilted rows on steel/aluminium racks with ballast; ``"pitched"``: flush rails.
    racking_kg_per_m2
        Racking (and ballast) mass per m2 of module area [kg/m2].
    module_gap_m
        Gap between neighbouring modules in a row and, for flush arrays, between rows [m].
    source
        Where the figures come from.
    """

    kind: RoofKind
    racking_kg_per_m2: float
    module_gap_m: float
    source: str


#: Editable defaults per roof type [unverified: typical supplier figures, not a standard].
DEFAULT_RACKING: dict[str, Racking] = {
    "flat": Racking(
        "flat",
        12.0,
        0.02,
        "typical ballast-free steel/aluminium row racks 10-15 kg per m2 of module [unverified]",
    ),
    "pitched": Racking(
        "pitched",
        3.0,
        0.02,
        "aluminium rails and clamps on a pitched roof, 2-4 kg per m2 of module [unverified]",
    ),
}


def dead_load_kg_per_m2(module: Module, racking: Racking, footprint_m2_per_module: float) -> float:
    """Dead load of modules and racking on the roof area the array occupies [kg/m2].

    Parameters
    ----------
    module
        The module.
    racking
        The racking.
    footprint_m2_per_module
        Roof area taken by one module, including its share of row gaps [m2].

    >>> round(dead_load_kg_per_m2(Module(), DEFAULT_RACKING["pitched"], 2.6), 2)
    15.29
    """
    if footprint_m2_per_module <= 0:
        raise PeakzeroError("footprint per module must be > 0 m2.", field="footprint_m2")
    mass = module.mass_kg + racking.racking_kg_per_m2 * module.area_m2
    return mass / footprint_m2_per_module


def check_dead_load(dead_load: float, allowable_kg_per_m2: float | None) -> None:
    """Refuse a layout whose dead load exceeds the roof's allowable extra load.

    Parameters
    ----------
    dead_load
        Dead load of modules + racking [kg/m2].
    allowable_kg_per_m2
        Extra load the roof may carry, from the structural engineer [kg/m2]; ``None``: no check.
    """
    if allowable_kg_per_m2 is None:
        return
    check_range("allowable_load_kg_per_m2", allowable_kg_per_m2, 0.0, 10_000.0, unit="kg/m2")
    if dead_load > allowable_kg_per_m2:
        raise PeakzeroError(
            f"allowable_load_kg_per_m2 = {allowable_kg_per_m2:.2f} kg/m2 is below the array's dead "
            f"load of {dead_load:.2f} kg/m2 (modules + racking). Have the roof strengthened, use "
            "lighter racking or flush mounting, or leave this roof out.",
            field="allowable_load_kg_per_m2",
        )
