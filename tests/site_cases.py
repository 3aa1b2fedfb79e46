"""Small random site problems shared by the optimiser tests (not a test module)."""

from __future__ import annotations

import numpy as np

from peakzero.optimize import Economics, PVOptions, SiteProblem, SiteTargets
from peakzero.storage import Battery


def tiny(
    seed: int = 0,
    *,
    hours: int = 48,
    export_limit_kw: float | None = 0.0,
    grid_charging: bool = True,
    cycles: float | None = 1.0,
    demand: float = 30.0,
    battery_export: bool = False,
    targets: SiteTargets | None = None,
    max_kwp: float = 400.0,
) -> SiteProblem:
    rng = np.random.default_rng(seed)
    h = np.arange(hours) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0.0, None) * rng.uniform(0.5, 1.0, hours)
    load = 80.0 + 120.0 * ((h >= 8) & (h < 20)) + rng.uniform(0.0, 40.0, hours)
    price = np.where((h >= 17) & (h < 22), 1.2, np.where(h < 7, 0.3, 0.7))
    return SiteProblem(
        load_kw=load,
        pv_kw_per_kwp=pv,
        import_price_yuan_per_kwh=price.astype(float),
        month=(np.arange(hours) // 24 // 31).astype(np.int64),
        day=(np.arange(hours) // 24).astype(np.int64),
        export_price_yuan_per_kwh=0.3,
        demand_charge_yuan_per_kw_month=demand,
        export_limit_kw=export_limit_kw,
        battery_export=battery_export,
        pv=PVOptions(capex_yuan_per_kwp=20.0, om_yuan_per_kwp_year=0.1, max_kwp=max_kwp),
        battery=Battery(
            capex_yuan_per_kwh=8.0,
            capex_yuan_per_kw=1.0,
            om_yuan_per_kw_year=0.0,
            grid_charging=grid_charging,
            max_cycles_per_day=cycles,
        ),
        economics=Economics(analysis_years=10, discount_rate=0.05),
        targets=targets or SiteTargets(),
    )
