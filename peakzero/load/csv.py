"""Hourly load from a metered file: the LP's view of :func:`peakzero.load.reader.read_load`.

Kept for callers that want the hourly series only; see :mod:`peakzero.load.reader` for the
accepted files and every check.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from peakzero.load.reader import read_load


def load_from_csv(
    path: Path | str,
    *,
    year: int | None = None,
    unit: str | None = None,
    date_format: str | None = None,
    sheet: str | None = None,
    annual_kwh: float | None = None,
    monthly_kwh: list[float] | None = None,
) -> pd.Series:
    """Read one year of metered load (CSV or ``.xlsx``) and return hourly mean kW.

    Parameters
    ----------
    path
        Load file: a timestamp column (China clock time, interval-beginning or -ending) and a
        value column whose header names the unit, or ``unit``.
    year
        Plan year: data of another year are mapped onto it (weekdays and holidays aligned).
        Required without a timestamp column.
    unit, date_format, sheet, annual_kwh, monthly_kwh
        As in :func:`peakzero.load.reader.read_load`.

    Returns
    -------
    pandas.Series
        ``load_kw`` [kW] on an hourly interval-beginning UTC+8 index of the year (sub-hourly
        data averaged to hours, energy conserved).

    Raises
    ------
    PeakzeroError
        For any problem with the file; see :mod:`peakzero.load.reader`.
    """
    return read_load(
        path,
        year=year,
        unit=unit,
        date_format=date_format,
        sheet=sheet,
        annual_kwh=annual_kwh,
        monthly_kwh=monthly_kwh,
    ).hourly_kw
