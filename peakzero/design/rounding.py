"""Round an optimal design to products one can buy: whole strings, whole inverters, whole units.

:func:`round_pv` turns a kWp into a number of strings of a module on string inverters of one
catalogue rating, :func:`round_battery` a kW / kWh pair into whole cabinets or containers, and
:func:`equipment_list` lists the result with quantities. The rounded sizes are what the plan
re-evaluates (its LP with the sizes fixed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from peakzero.design.products import BatteryUnitSpec, InverterSpec, ModuleSpec
from peakzero.design.strings import StringWindow, string_window
from peakzero.errors import PeakzeroError, check_range

#: Usual DC system voltage class of Chinese C&I rooftop PV [V] [unverified].
ROOFTOP_SYSTEM_VOLTAGE_V = 1100.0

#: DC/AC ratios within this of the target count as on target when choosing inverters [-].
DC_AC_TOLERANCE = 0.05


@dataclass(frozen=True)
class PVDesign:
    """A PV array of whole strings on whole inverters.

    Attributes
    ----------
    module, inverter
        The products.
    modules_per_string, strings, inverters
        Counts [-].
    window
        The string window the length was chosen in.
    """

    module: ModuleSpec
    inverter: InverterSpec
    modules_per_string: int
    strings: int
    inverters: int
    window: StringWindow

    @property
    def modules(self) -> int:
        """Number of modules [-]."""
        return self.modules_per_string * self.strings

    @property
    def kwp(self) -> float:
        """DC rating: modules x module power [kWp]."""
        return self.modules * self.module.power_w / 1000.0

    @property
    def ac_kw(self) -> float:
        """AC rating: inverters x inverter rating [kW]."""
        return self.inverters * self.inverter.ac_kw

    @property
    def dc_ac_ratio(self) -> float:
        """DC rating over AC rating [-]."""
        return self.kwp / self.ac_kw

    @property
    def string_voc_cold_v(self) -> float:
        """Open-circuit voltage of one string at the lowest temperature [V]."""
        return self.modules_per_string * self.window.voc_cold_v


@dataclass(frozen=True)
class BatteryDesign:
    """Whole battery units.

    Attributes
    ----------
    unit
        The product.
    units
        How many [-].
    """

    unit: BatteryUnitSpec
    units: int

    @property
    def kw(self) -> float:
        """Total rated power [kW]."""
        return self.units * self.unit.kw

    @property
    def kwh(self) -> float:
        """Total nameplate energy [kWh]."""
        return self.units * self.unit.kwh


def round_pv(
    target_kwp: float,
    module: ModuleSpec,
    inverters: Sequence[InverterSpec],
    *,
    t_min_c: float,
    t_max_cell_c: float,
    target_dc_ac_ratio: float = 1.2,
    max_modules: int | None = None,
    max_system_voltage_v: float = ROOFTOP_SYSTEM_VOLTAGE_V,
    dc_ac_tolerance: float = DC_AC_TOLERANCE,
) -> PVDesign:
    """The buildable array nearest to ``target_kwp``.

    Per inverter model the string length is the longest the window allows (fewest strings, least
    cabling); the number of strings is ``target_kwp`` over the string's kWp rounded to the nearest
    whole (down when that would exceed ``max_modules``, e.g. the modules the roof holds); the
    number of inverters is the fewest that take all strings and keep the DC/AC ratio at or below
    the maker's limit, and the nearest to ``target_dc_ac_ratio`` among those. Of the models
    whose DC/AC ratio lands within ``dc_ac_tolerance`` of the target, the one with the fewest
    inverters is chosen (then the kWp nearest the target); when none lands within it, the one
    with the ratio nearest the target.

    Parameters
    ----------
    target_kwp
        The optimal DC rating [kWp], > 0.
    module
        The module.
    inverters
        Candidate inverter models.
    t_min_c, t_max_cell_c
        Lowest and highest cell temperature at the site [deg C] (see
        :func:`peakzero.design.strings.site_cell_temperatures`).
    target_dc_ac_ratio
        Wanted DC/AC ratio [-] (the ratio the yield was simulated with).
    max_modules
        Most modules that fit (the roof) [-]; None for no limit.
    max_system_voltage_v
        Highest DC system voltage allowed [V]: inverters rated above it are not used. Default
        1100 V, the usual class of Chinese C&I rooftop systems [unverified]; 1500 for 1500 V.
    dc_ac_tolerance
        Band around ``target_dc_ac_ratio`` in which a ratio counts as on target [-].
    """
    check_range("target_kwp", target_kwp, 1e-3, 1e7, unit="kWp")
    check_range("target_dc_ac_ratio", target_dc_ac_ratio, 0.5, 2.5)
    best: tuple[tuple[float, float, float], PVDesign] | None = None
    reasons: list[str] = []
    for inv in inverters:
        if inv.max_dc_v > max_system_voltage_v:
            reasons.append(f"{inv.id}: {inv.max_dc_v:g} V system > {max_system_voltage_v:g} V")
            continue
        window = string_window(module, inv, t_min_c, t_max_cell_c)
        if not window.feasible:
            reasons.append(
                f"{inv.id}: no string length fits ({window.min_modules} > "
                f"{window.max_modules} modules)"
            )
            continue
        if module.isc_a > inv.max_input_current_a:
            reasons.append(
                f"{inv.id}: module Isc {module.isc_a} A > input {inv.max_input_current_a} A"
            )
            continue
        n = window.max_modules
        string_kwp = n * module.power_w / 1000.0
        strings = max(1, round(target_kwp / string_kwp))
        if max_modules is not None and strings * n > max_modules:
            strings = max_modules // n
        if strings < 1:
            reasons.append(
                f"{inv.id}: one string of {n} modules exceeds max_modules = {max_modules}"
            )
            continue
        design = _on_inverters(module, inv, window, n, strings, target_dc_ac_ratio)
        count, kwp = design.inverters, design.kwp
        off = abs(design.dc_ac_ratio - target_dc_ac_ratio)
        on_target = off <= dc_ac_tolerance + 1e-12
        key = (0.0, float(count), abs(kwp - target_kwp)) if on_target else (1.0, off, count)
        if best is None or key < best[0]:
            best = (key, design)
    if best is None:
        raise PeakzeroError(
            "no inverter in the catalogue takes this module at this site: " + "; ".join(reasons),
            field="inverter",
        )
    return best[1]


def _on_inverters(
    module: ModuleSpec,
    inv: InverterSpec,
    window: StringWindow,
    modules_per_string: int,
    strings: int,
    target_dc_ac_ratio: float,
) -> PVDesign:
    """``strings`` strings on the fewest inverters ``inv`` that take them all and keep the DC/AC
    ratio at or below the maker's limit, and the nearest to ``target_dc_ac_ratio`` among
    those."""
    kwp = strings * modules_per_string * module.power_w / 1000.0
    fewest = max(
        math.ceil(strings / inv.inputs),
        math.ceil(kwp / (inv.ac_kw * inv.max_dc_ac_ratio) - 1e-9),
        1,
    )
    wanted = kwp / (inv.ac_kw * target_dc_ac_ratio)
    count = max(fewest, round(wanted))
    return PVDesign(module, inv, modules_per_string, strings, count, window)


def pv_candidates(
    target_kwp: float,
    module: ModuleSpec,
    inverters: Sequence[InverterSpec],
    *,
    t_min_c: float,
    t_max_cell_c: float,
    target_dc_ac_ratio: float = 1.2,
    max_modules: int | None = None,
    max_system_voltage_v: float = ROOFTOP_SYSTEM_VOLTAGE_V,
) -> tuple[PVDesign, ...]:
    """The buildable arrays on either side of ``target_kwp``: the string length and inverter
    model :func:`round_pv` chooses, with the number of strings rounded down and up (one design
    when ``target_kwp`` is a whole number of strings or the roof stops the larger one),
    smallest first; each on its own inverter count (:func:`round_pv`'s rule)."""
    chosen = round_pv(
        target_kwp,
        module,
        inverters,
        t_min_c=t_min_c,
        t_max_cell_c=t_max_cell_c,
        target_dc_ac_ratio=target_dc_ac_ratio,
        max_modules=max_modules,
        max_system_voltage_v=max_system_voltage_v,
    )
    n = chosen.modules_per_string
    exact = target_kwp / (n * module.power_w / 1000.0)
    counts = {max(1, math.floor(exact + 1e-9)), max(1, math.ceil(exact - 1e-9)), chosen.strings}
    if max_modules is not None:
        counts = {c for c in counts if c * n <= max_modules}
    return tuple(
        _on_inverters(module, chosen.inverter, chosen.window, n, c, target_dc_ac_ratio)
        for c in sorted(counts)
    )


def battery_candidates(
    target_kw: float,
    target_kwh: float,
    units: Sequence[BatteryUnitSpec],
    *,
    max_kw: float | None = None,
    max_kwh: float | None = None,
    min_kw: float = 0.0,
    min_kwh: float = 0.0,
) -> tuple[BatteryDesign | None, ...]:
    """Whole battery units around the optimal ``target_kw`` / ``target_kwh``: for each product,
    the counts just below and just above the target energy and the target power (floor and
    ceiling of target over the unit's kWh, and over its kW), within ``[min, max]`` of both;
    ``None`` (no battery) when a floor is 0 and the minimums allow it. Deduplicated, in
    catalogue order then count; empty when the target energy is 0 (no battery to round).

    Parameters
    ----------
    target_kw, target_kwh
        The optimal power [kW] and energy [kWh].
    units
        Candidate products.
    max_kw, max_kwh, min_kw, min_kwh
        Bounds on the total power [kW] and energy [kWh] (the plan's battery limits); None for
        no upper bound.
    """
    check_range("target_kw", target_kw, 0.0, 1e7, unit="kW")
    check_range("target_kwh", target_kwh, 0.0, 1e8, unit="kWh")
    if target_kwh <= 0.0:
        return ()
    tol = 1e-9
    out: list[BatteryDesign | None] = []
    seen: set[tuple[str, int]] = set()
    for unit in units:
        ratios = (target_kwh / unit.kwh, target_kw / unit.kw)
        counts = sorted(
            {math.floor(r + tol) for r in ratios} | {math.ceil(r - tol) for r in ratios}
        )
        for count in counts:
            if count <= 0:
                if min_kw <= 0.0 and min_kwh <= 0.0 and None not in out:
                    out.append(None)
                continue
            design = BatteryDesign(unit, count)
            if max_kw is not None and design.kw > max_kw * (1 + tol):
                continue
            if max_kwh is not None and design.kwh > max_kwh * (1 + tol):
                continue
            if design.kw < min_kw * (1 - tol) or design.kwh < min_kwh * (1 - tol):
                continue
            if (unit.id, count) not in seen:
                seen.add((unit.id, count))
                out.append(design)
    return tuple(out)


def round_battery(
    target_kw: float,
    target_kwh: float,
    units: Sequence[BatteryUnitSpec],
    *,
    max_kwh: float | None = None,
) -> BatteryDesign | None:
    """Whole battery units nearest to ``target_kw`` / ``target_kwh``; None when the target is 0.

    For each product the count is the whole number nearest ``target_kwh`` over the unit's
    energy (at least 1, at most what ``max_kwh`` allows); the product chosen minimises the
    relative energy mismatch plus the power shortfall relative to the target power (power above
    the target costs nothing in the score: it is the product's C-rate), then the fewest units.

    Parameters
    ----------
    target_kw, target_kwh
        The optimal power [kW] and energy [kWh].
    units
        Candidate products.
    max_kwh
        Most energy allowed (the space, the plan's limit) [kWh]; None for no limit.
    """
    check_range("target_kw", target_kw, 0.0, 1e7, unit="kW")
    check_range("target_kwh", target_kwh, 0.0, 1e8, unit="kWh")
    if target_kwh <= 0.0:
        return None
    best: tuple[tuple[float, int], BatteryDesign] | None = None
    for unit in units:
        count = max(1, round(target_kwh / unit.kwh))
        if max_kwh is not None and count * unit.kwh > max_kwh:
            count = math.floor(max_kwh / unit.kwh)
        if count < 1:
            continue
        design = BatteryDesign(unit, count)
        shortfall = max(0.0, target_kw - design.kw) / target_kw if target_kw > 0 else 0.0
        score = abs(design.kwh - target_kwh) / target_kwh + shortfall
        key = (round(score, 12), count)
        if best is None or key < best[0]:
            best = (key, design)
    if best is None:
        raise PeakzeroError(
            f"no battery unit in the catalogue fits max_kwh = {max_kwh} kWh; the smallest holds "
            f"{min(u.kwh for u in units)} kWh: raise max_kwh or add a smaller unit",
            field="max_kwh",
        )
    return best[1]


def equipment_list(pv: PVDesign | None, battery: BatteryDesign | None) -> pd.DataFrame:
    """Bill of the main equipment: ``item``, ``product`` (and ``product_zh``, its Chinese name),
    ``rating``, ``quantity``, ``unit``, ``source`` (item keys are report label keys)."""
    rows: list[dict[str, object]] = []
    if pv is not None:
        m, inv = pv.module, pv.inverter
        rows += [
            dict(
                item="pv_module",
                product=m.name,
                product_zh=m.name_zh,
                rating=f"{m.power_w:g} W",
                quantity=pv.modules,
                unit="pcs",
                source=m.source,
            ),
            dict(
                item="pv_string",
                product=f"{pv.modules_per_string} x {m.power_w:g} W",
                product_zh=f"{pv.modules_per_string} × {m.power_w:g} W",
                rating=f"{pv.string_voc_cold_v:.0f} V Voc at {pv.window.t_min_c:g} deg C",
                quantity=pv.strings,
                unit="strings",
                source="GB 50797-2012 §6.4.2",
            ),
            dict(
                item="inverter",
                product=inv.name,
                product_zh=inv.name_zh,
                rating=f"{inv.ac_kw:g} kW",
                quantity=pv.inverters,
                unit="pcs",
                source=inv.source,
            ),
        ]
    if battery is not None:
        u = battery.unit
        rows.append(
            dict(
                item=f"battery_{u.kind}",
                product=u.name,
                product_zh=u.name_zh,
                rating=f"{u.kw:g} kW / {u.kwh:g} kWh",
                quantity=battery.units,
                unit="pcs",
                source=u.source,
            )
        )
    return pd.DataFrame(
        rows, columns=["item", "product", "product_zh", "rating", "quantity", "unit", "source"]
    )
