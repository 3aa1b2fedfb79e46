"""Fill short runs of missing values; refuse long ones."""

from __future__ import annotations

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError

#: Longest run of missing values that is filled by linear interpolation [h]. Three hours keeps
#: the fill inside one part of the day; longer holes would invent a morning or an afternoon.
MAX_GAP_HOURS = 3.0


def _runs(missing: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True in ``missing``."""
    padded = np.concatenate(([False], missing, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def fill_short_gaps(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    interval_minutes: int,
    where: str,
    row_label: str = "row",
    first_row: int = 1,
    max_gap_hours: float = MAX_GAP_HOURS,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Linearly interpolate runs of NaN up to ``max_gap_hours`` long in ``columns``.

    Parameters
    ----------
    frame
        Data in time order.
    columns
        Columns to check and fill.
    interval_minutes
        Length of one time step [min].
    where
        File or station name for error messages.
    row_label, first_row
        How rows are named in messages (``row_label first_row + i``).
    max_gap_hours
        Longest run that is filled [h].

    Returns
    -------
    tuple
        The filled frame (a copy) and the number of filled values per column.

    Raises
    ------
    PeakzeroError
        When a run is longer than ``max_gap_hours``, naming the column and the rows.
    """
    max_steps = int(max_gap_hours * 60 // interval_minutes)
    out = frame.copy()
    filled: dict[str, int] = {}
    for column in columns:
        values = np.array(out[column], dtype=np.float64)  # a writable copy
        missing = np.isnan(values)
        if not missing.any():
            filled[column] = 0
            continue
        if missing.all():
            raise PeakzeroError(
                f"{where}: column {column!r} has no valid value at all.", field=column
            )
        for start, length in _runs(missing):
            if length > max_steps:
                raise PeakzeroError(
                    f"{where}: column {column!r} is missing in {length} consecutive "
                    f"{row_label}s ({row_label} {first_row + start} to "
                    f"{first_row + start + length - 1}); at most {max_gap_hours:g} h of missing "
                    "values are filled by interpolation. Fill the gap in the file or use "
                    "another data source.",
                    field=column,
                )
        positions = np.arange(len(values))
        values[missing] = np.interp(positions[missing], positions[~missing], values[~missing])
        out[column] = values
        filled[column] = int(missing.sum())
    return out, filled
