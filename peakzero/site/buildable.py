"""The design one can buy: the optimum rounded to catalogue products and re-evaluated.

The site LP sizes PV and battery continuously (3,729.3 kWp, 1,145.8 kW / 4,000 kWh). A buildable
design is whole strings of a catalogue module on catalogue inverters and whole battery
cabinets or containers. :func:`round_site` lists the candidates around the optimum: strings
rounded down and up (:func:`peakzero.design.pv_candidates`) and, for each battery product, the
unit counts just below and above the optimal energy and power
(:func:`peakzero.design.battery_candidates`). It evaluates every pair with the site LP at those
fixed sizes on the full year, dispatch re-optimised (:func:`peakzero.optimize.evaluate_sizes`),
and keeps the one with the highest NPV (ties: the lower capex, then the earlier candidate). The
optimum stays as the reference (:attr:`SiteResult.rounding`).

What rounding can lose is bounded: the lifecycle cost is convex in the sizes, so the NPV lost
against the optimum is at most ``duals @ (x - x*)`` with ``duals`` the reduced costs of the
fixed sizes at the chosen design ``x`` (:attr:`SiteResult.size_duals_yuan`), when the carbon
revenue (which the LP does not price) is zero and the battery replacement year is the same.
"""

from __future__ import annotations

import math
from dataclasses import replace

from peakzero.design import (
    BatteryDesign,
    PVDesign,
    battery_candidates,
    find_module,
    load_battery_units,
    load_inverters,
    pv_candidates,
)
from peakzero.errors import PeakzeroError
from peakzero.optimize import evaluate_sizes
from peakzero.site.models import SiteInput
from peakzero.site.planner import (
    SIZE_NOISE,
    Rounding,
    RoundingCandidate,
    SiteData,
    SiteResult,
    optimize_site,
    site_result,
)
from peakzero.site.proposal import string_temperatures

#: Catalogue module the PV is rounded to (``peakzero/data/products/modules.csv``).
DEFAULT_MODULE = "topcon_72_590"


def buildable_site(site: SiteInput, *, module_id: str = DEFAULT_MODULE) -> SiteResult:
    """Optimise ``site`` (:func:`peakzero.site.optimize_site`), then round the optimum to
    products and re-evaluate (:func:`round_site`): the result is the rounded design's, with
    the optimum in ``.rounding.optimum``."""
    return round_site(site, optimize_site(site), module_id=module_id)


def _pv_options(data: SiteData, optimum: SiteResult, module_id: str) -> tuple[PVDesign, ...]:
    """Whole-string arrays around the optimal kWp within the PV size bounds."""
    d, p, profile = optimum.dispatch, data.problem, data.profile
    if d.pv_kwp <= SIZE_NOISE or profile is None or p.pv.fixed_kwp is not None:
        return ()
    module = find_module(module_id)
    t_min, t_max = string_temperatures(profile, data.index[0].year)
    max_modules = math.floor(p.pv.max_kwp * 1000.0 / module.power_w + 1e-9)
    options = pv_candidates(
        d.pv_kwp,
        module,
        load_inverters(),
        t_min_c=t_min,
        t_max_cell_c=t_max,
        target_dc_ac_ratio=profile.system.dc_ac_ratio,
        max_modules=max_modules,
    )
    return tuple(o for o in options if o.kwp >= p.pv.min_kwp - 1e-9)


def design_candidates(
    data: SiteData, optimum: SiteResult, *, module_id: str = DEFAULT_MODULE
) -> tuple[RoundingCandidate, ...]:
    """Every pair of a PV option and a battery option around ``optimum`` (NPV not yet known).

    A size the user fixed (``pv.fixed_kwp``, ``battery.fixed_kw`` / ``fixed_kwh``) is kept as
    given; a size the optimum leaves at zero stays zero.
    """
    d, b = optimum.dispatch, data.problem.battery
    pvs: tuple[PVDesign | None, ...] = _pv_options(data, optimum, module_id) or (None,)
    batteries: tuple[BatteryDesign | None, ...] = (None,)
    if b.fixed_kw is None and b.fixed_kwh is None and d.battery_kwh > SIZE_NOISE:
        batteries = battery_candidates(
            d.battery_kw,
            d.battery_kwh,
            load_battery_units(),
            max_kw=b.max_kw,
            max_kwh=b.max_kwh,
            min_kw=b.min_kw,
            min_kwh=b.min_kwh,
        ) or (None,)
    keep_battery = batteries == (None,) and d.battery_kwh > SIZE_NOISE
    out = []
    for battery in batteries:
        for pv in pvs:
            kw, kwh = (
                (d.battery_kw, d.battery_kwh)
                if keep_battery
                else (battery.kw, battery.kwh)
                if battery is not None
                else (0.0, 0.0)
            )
            kwp = pv.kwp if pv is not None else d.pv_kwp
            out.append(RoundingCandidate(pv, battery, kwp, kw, kwh, None))
    return tuple(out)


def round_site(
    site: SiteInput, optimum: SiteResult, *, module_id: str = DEFAULT_MODULE
) -> SiteResult:
    """The best rounded design around ``optimum`` (the result of
    :func:`peakzero.site.optimize_site` for ``site``; module docstring), re-evaluated on the
    full year, with a note stating the difference; ``optimum`` itself, with a note, when no
    catalogue product fits or no candidate is feasible."""
    data = optimum.data
    try:
        candidates = design_candidates(data, optimum, module_id=module_id)
    except (PeakzeroError, FileNotFoundError, KeyError) as exc:  # no product fits; no weather
        return replace(optimum, notes=(*optimum.notes, f"Design not rounded to products: {exc}"))
    if all(c.pv is None and c.battery is None for c in candidates):
        return optimum
    optima = evaluate_sizes(data.problem, [c.sizes for c in candidates])
    evaluated: list[RoundingCandidate] = []
    best: tuple[tuple[float, float, int], SiteResult, RoundingCandidate] | None = None
    for k, (cand, opt) in enumerate(zip(candidates, optima, strict=True)):
        if opt is None:
            evaluated.append(cand)
            continue
        result = site_result(site, data, opt)
        scored = replace(cand, npv_yuan=result.npv_yuan)
        evaluated.append(scored)
        key = (-round(result.npv_yuan, 2), round(result.capex_yuan, 2), k)
        if best is None or key < best[0]:
            best = (key, result, scored)
    if best is None:
        note = (
            f"Design not rounded to products: none of the {len(candidates)} rounded candidates "
            "is feasible (a target or grid limit at those sizes); the figures are the "
            "optimiser's continuous sizes."
        )
        return replace(optimum, notes=(*optimum.notes, note))
    _, result, chosen = best
    note = rounding_note(optimum, result, chosen, len(evaluated))
    return replace(
        result,
        notes=(note, *result.notes),
        rounding=Rounding(optimum, chosen.pv, chosen.battery, tuple(evaluated)),
    )


def rounding_note(
    optimum: SiteResult, result: SiteResult, chosen: RoundingCandidate, count: int
) -> str:
    """One sentence: the optimum, the rounded design and the NPV between them."""
    o, d = optimum.dispatch, result.dispatch
    parts = []
    if chosen.pv is not None:
        pv = chosen.pv
        parts.append(
            f"{pv.modules:,} modules of {pv.module.power_w:g} W ({pv.strings:,} strings of "
            f"{pv.modules_per_string}) = {pv.kwp:,.2f} kWp on {pv.inverters} x "
            f"{pv.inverter.ac_kw:g} kW inverters"
        )
    if chosen.battery is not None:
        b = chosen.battery
        parts.append(f"{b.units} x {b.unit.kw:g} kW / {b.unit.kwh:g} kWh {b.unit.kind}s")
    elif o.battery_kwh > SIZE_NOISE and d.battery_kwh <= SIZE_NOISE:
        parts.append("no battery")
    gap = result.npv_yuan - optimum.npv_yuan
    share = gap / abs(optimum.npv_yuan) if optimum.npv_yuan else 0.0
    return (
        f"Sizes rounded to products and re-evaluated: the optimiser's continuous optimum "
        f"({o.pv_kwp:,.1f} kWp, battery {o.battery_kw:,.1f} kW / {o.battery_kwh:,.1f} kWh, NPV "
        f"{optimum.npv_yuan:,.0f} yuan) becomes {'; '.join(parts)} "
        f"({d.pv_kwp:,.2f} kWp, battery {d.battery_kw:,.0f} kW / {d.battery_kwh:,.0f} kWh), the "
        f"best NPV of {count} rounded candidates, each re-optimised over the full year at its "
        f"fixed sizes: NPV {result.npv_yuan:,.0f} yuan ({gap:+,.0f} yuan, {share:+.2%}). "
        "Every figure of this proposal is the rounded design's."
    )
