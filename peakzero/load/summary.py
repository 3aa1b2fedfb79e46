"""A load profile in a few numbers: energy, peak, mean, load factor, energy by month."""

from __future__ import annotations

import pandas as pd


def load_summary(load: pd.Series) -> dict[str, object]:
    """Summary of a regular load series [kW] as stable JSON keys.

    Parameters
    ----------
    load
        Interval-mean power [kW] on a regular tz-aware index (hourly or 15-minute).

    Returns
    -------
    dict
        ``intervals``, ``interval_hours`` [h], ``annual_kwh`` [kWh], ``peak_kw`` [kW],
        ``mean_kw`` [kW], ``load_factor`` (mean / peak, 0 for a zero load) and
        ``monthly_kwh`` (12 values, January first) [kWh].

    >>> index = pd.date_range("2025-01-01", periods=4, freq="15min", tz="Etc/GMT-8")
    >>> s = load_summary(pd.Series([100.0, 200.0, 300.0, 400.0], index=index))
    >>> s["annual_kwh"], s["peak_kw"], s["load_factor"]
    (250.0, 400.0, 0.625)
    """
    index = pd.DatetimeIndex(load.index)
    hours = (index[1] - index[0]).total_seconds() / 3600.0
    kw = load.to_numpy(dtype=float)
    monthly = pd.Series(kw * hours, index=index).groupby(index.month).sum()
    return {
        "intervals": len(kw),
        "interval_hours": hours,
        "annual_kwh": float(kw.sum() * hours),
        "peak_kw": float(kw.max()),
        "mean_kw": float(kw.mean()),
        "load_factor": float(kw.mean() / kw.max()) if kw.max() > 0 else 0.0,
        "monthly_kwh": [float(v) for v in monthly.reindex(range(1, 13), fill_value=0.0)],
    }


__all__ = ["load_summary"]
