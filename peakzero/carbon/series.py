"""An annual emission series from CSV files, analysed for its peak and neutral year.

The workflow of ``peakzero carbon trajectory``: read ``year``, ``emissions_t`` and optional sinks
and offsets (columns of the series or separate files with the same years) and run
:func:`~peakzero.carbon.trajectory.analyze_trajectory`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from peakzero.carbon.models import read_csv_columns
from peakzero.carbon.trajectory import TrajectoryAnalysis, analyze_trajectory
from peakzero.errors import PeakzeroError


def _aligned(path: Path, column: str, years: np.ndarray) -> np.ndarray:
    data = read_csv_columns(path, ["year", column])
    if not np.array_equal(data["year"], years):
        raise PeakzeroError(
            f"{path}: years {int(data['year'][0])}-{int(data['year'][-1])} do not match the "
            f"series years {int(years[0])}-{int(years[-1])}; give one value for every year",
            field=column,
        )
    return data[column]


def series_trajectory(
    series: Path,
    *,
    sinks_col: str = "sinks_t",
    offsets_col: str = "offsets_t",
    sinks: Path | None = None,
    offsets: Path | None = None,
    peak_target_year: int = 2030,
    neutral_target_year: int = 2060,
    plateau_band_fraction: float = 0.01,
    plateau_min_years: int = 3,
    confirm_years: int = 3,
) -> TrajectoryAnalysis:
    """Peak status, neutral year and target checks of an annual emission series in a CSV.

    Parameters
    ----------
    series
        CSV with columns ``year`` and ``emissions_t`` [tCO2], optionally sinks and offsets.
    sinks_col, offsets_col
        Columns of ``series`` with sinks and offsets [tCO2]; a name other than the default
        must exist.
    sinks, offsets
        Separate CSVs with columns ``year`` and ``sinks_t`` / ``offsets_t`` (the same years as
        the series); they replace the columns of ``series``.
    peak_target_year, neutral_target_year, plateau_band_fraction, plateau_min_years, \
confirm_years
        As in :func:`~peakzero.carbon.trajectory.analyze_trajectory`.

    Raises
    ------
    PeakzeroError
        For unreadable files, missing columns or years that do not match.
    """
    data = read_csv_columns(series, ["year", "emissions_t"], [sinks_col, offsets_col])
    for col, default, name in (
        (sinks_col, "sinks_t", "sinks_col"),
        (offsets_col, "offsets_t", "offsets_col"),
    ):
        if col != default and col not in data:
            raise PeakzeroError(
                f"{name} = {col!r}: {series} has no such column; give one of its columns or "
                f"leave {name} out",
                field=name,
            )
    years = data["year"]
    sinks_t = _aligned(sinks, "sinks_t", years) if sinks else data.get(sinks_col)
    offsets_t = _aligned(offsets, "offsets_t", years) if offsets else data.get(offsets_col)
    return analyze_trajectory(
        years,
        data["emissions_t"],
        sinks_t,
        offsets_t,
        peak_target_year=peak_target_year,
        neutral_target_year=neutral_target_year,
        plateau_band_fraction=plateau_band_fraction,
        plateau_min_years=plateau_min_years,
        confirm_years=confirm_years,
    )


__all__ = ["series_trajectory"]
