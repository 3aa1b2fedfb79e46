"""Read a site's metered load from CSV and check it before anything trusts it.

Accepted: one year of hourly (8760 / 8784 rows) or quarter-hourly (35040 / 35136 rows) values,
with or without a timestamp column (or a leading counter column 0..n-1 or 1..n). The value
column's header carries the unit: ``kW``, ``W``, ``MW`` (mean power per interval) or ``kWh``,
``Wh``, ``MWh`` (energy per interval); a header with no unit is read as kW. Output: hourly
mean kW, UTC+8, interval-beginning labels.

Unit and resolution heuristics (each failure is a :class:`~peakzero.errors.PeakzeroError` that
says what was seen and how to fix the file):

1. Row count vs timestamps: the row count fixes the resolution (8760/8784 -> 1 h,
   35040/35136 -> 15 min); timestamps, when present, must step by exactly that interval. 8760
   rows stamped 15 minutes apart cover only 91 days, 35040 rows stamped hourly cover four years:
   both mean the data is at a different resolution than its stamps (typically kWh per interval
   exported at the wrong resolution), and are refused.
2. Energy at the wrong resolution: a quarter-hourly file whose header says kWh but whose four
   quarter-hour values are identical in (nearly) every hour is hourly kWh copied into 15-minute
   rows; reading it as 15-minute kWh would give four times the true power, so it is refused.
3. Cumulative register: a series that never decreases and ends far above where it starts
   (last > 2 x first and > 100 x the median step) is a meter register, not interval data.
4. Negative values (net metering with export) and gaps (blank cells, missing or repeated
   timestamps) are refused with the first offending rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from peakzero.calendar import CN_TZ
from peakzero.errors import PeakzeroError
from peakzero.load.archetypes import year_index

_ROWS = {8760: 1.0, 8784: 1.0, 35040: 0.25, 35136: 0.25}
_UNIT_RE = re.compile(r"(?<![a-z])(mwh|kwh|wh|mw|kw|w)(?![a-z])")
_TO_KW = {"w": 1e-3, "kw": 1.0, "mw": 1e3, "wh": 1e-3, "kwh": 1.0, "mwh": 1e3}
REPEATED_HOUR_FRACTION = 0.99
"""Share of hours with four identical quarter-hour kWh values that marks copied hourly data."""


def _unit(header: str) -> str:
    found = _UNIT_RE.findall(header.lower())
    return found[-1] if found else "kw"


def _fail(path: Path, message: str, field: str = "load_csv") -> PeakzeroError:
    return PeakzeroError(f"load file {str(path)!r}: {message}", field=field)


def _parse_times(path: Path, column: pd.Series) -> pd.DatetimeIndex:
    try:
        stamps = pd.to_datetime(column, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise _fail(
            path,
            f"cannot read the timestamps in column {column.name!r} ({exc}); use ISO 8601 "
            "like 2025-01-01 00:00",
        ) from exc
    index = pd.DatetimeIndex(stamps)
    if index.tz is not None:
        offsets = {ts.utcoffset() for ts in index[:: max(1, len(index) // 50)]}
        if offsets != {pd.Timedelta(hours=8)}:
            raise _fail(
                path,
                "timestamps carry a UTC offset other than +08:00; give China Standard "
                "Time (UTC+8) clock times or no offset",
            )
        index = index.tz_convert(CN_TZ).tz_localize(None)
    return index


def load_from_csv(path: Path | str, *, year: int | None = None) -> pd.Series:
    """Read one year of metered load and return hourly mean kW.

    Parameters
    ----------
    path
        CSV file: an optional first column of timestamps (China clock time, interval-beginning
        or interval-ending; ending stamps are detected and shifted), then the value column
        whose header names the unit (``load_kw``, ``energy [kWh]``, ...; no unit = kW).
    year
        Calendar year of the data. Required without a timestamp column; with one it must agree.

    Returns
    -------
    pandas.Series
        ``load_kw`` [kW] on an hourly interval-beginning UTC+8 index of the year (quarter-hours
        averaged to hours).

    Raises
    ------
    PeakzeroError
        For a wrong length, gaps, negatives, unparseable times or a unit/resolution mismatch;
        see the module docstring for the heuristics.
    """
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "does not exist", field="path")
    try:
        frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise _fail(path, f"is not a readable CSV ({exc})") from exc
    if frame.shape[1] == 0 or len(frame) == 0:
        raise _fail(path, "is empty")
    n = len(frame)
    if n not in _ROWS:
        hint = ""
        if n - 1 in _ROWS or n + 1 in _ROWS:
            hint = " (one row off: a duplicated header, a missing first hour or a 25th hour?)"
        raise _fail(
            path,
            f"has {n} data rows; expected one year: 8760 or 8784 hourly rows, 35040 or 35136 "
            f"quarter-hourly rows{hint}",
        )
    step_h = _ROWS[n]

    first = frame.iloc[:, 0]
    has_time = frame.shape[1] >= 2 and not pd.api.types.is_numeric_dtype(first)
    # a leading counter column (0..n-1 or 1..n, e.g. "hour") is an index, not the load
    counter = (
        frame.shape[1] >= 2
        and not has_time
        and (
            np.array_equal(first.to_numpy(), np.arange(n))
            or np.array_equal(first.to_numpy(), np.arange(1, n + 1))
        )
    )
    value_col = frame.columns[1] if has_time or counter else frame.columns[0]
    unit = _unit(str(value_col))
    values = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(dtype=float)

    if has_time:
        times = _parse_times(path, first)
        steps = np.diff(times.as_unit("ns").asi8) / 3.6e12  # [h]
        expected = step_h
        if len(steps) and np.allclose(steps, steps[0]) and not np.isclose(steps[0], expected):
            covered = n * steps[0] / 24.0
            raise _fail(
                path,
                f"{n} rows imply a {'1-hour' if step_h == 1 else '15-minute'} resolution but the "
                f"timestamps step by {steps[0] * 60:.0f} minutes, covering {covered:.0f} days. "
                "The values look like data at another resolution (e.g. kWh per interval) "
                "stamped wrongly; export one full year at one resolution",
            )
        bad = np.nonzero(~np.isclose(steps, expected))[0]
        if bad.size:
            rows = [int(i) + 3 for i in bad[:5]]  # +1 diff, +1 header, +1 one-based
            raise _fail(
                path,
                f"timestamps are not evenly {expected * 60:.0f} minutes apart near CSV lines "
                f"{rows} (missing, repeated or daylight-saving times); fill the gaps",
            )
        start = times[0]
        if start.hour == 0 and start.minute == 0:
            pass
        elif np.isclose((start - start.normalize()) / pd.Timedelta(hours=1), expected):
            times = times - pd.Timedelta(hours=expected)  # interval-ending stamps
        else:
            raise _fail(path, f"the first timestamp {start} is not the start of a year")
        start = times[0]
        if not (start.month == 1 and start.day == 1):
            raise _fail(
                path, f"the data starts {start.date()}; give a calendar year from 1 January"
            )
        if year is not None and year != start.year:
            raise _fail(path, f"timestamps are for {start.year} but year={year} was given", "year")
        year = start.year
    elif year is None:
        raise _fail(path, "has no timestamp column; pass year=... to place the values", "year")

    hours_in_year = len(year_index(year))
    if round(n * step_h) != hours_in_year:
        raise _fail(
            path,
            f"{n} rows at {step_h * 60:.0f} minutes make {n * step_h:.0f} hours but {year} has "
            f"{hours_in_year} (leap years have 8784)",
            "year",
        )
    missing = np.nonzero(~np.isfinite(values))[0]
    if missing.size:
        raise _fail(
            path,
            f"{missing.size} missing or non-numeric values in {value_col!r}, first at CSV lines "
            f"{[int(i) + 2 for i in missing[:5]]}; fill the gaps (e.g. interpolate) first",
        )
    negative = np.nonzero(values < 0)[0]
    if negative.size:
        raise _fail(
            path,
            f"{negative.size} negative values in {value_col!r}, first at CSV lines "
            f"{[int(i) + 2 for i in negative[:5]]}; give consumption (import + on-site PV), "
            "not net metering",
        )
    diffs = np.diff(values)
    if (
        np.all(diffs >= 0)
        and values[-1] > 2 * max(values[0], 0)
        and values[-1] > 100 * max(float(np.median(diffs)), 1e-12)
    ):
        raise _fail(
            path,
            "the values never decrease: this looks like a cumulative meter register; give the "
            "energy or power of each interval (the differences)",
        )
    energy = unit.endswith("h")
    if energy and step_h == 0.25:
        quarters = values.reshape(-1, 4)
        same = np.all(quarters == quarters[:, :1], axis=1).mean()
        if same >= REPEATED_HOUR_FRACTION and values.max() > 0:
            raise _fail(
                path,
                f"in {same:.0%} of hours the four quarter-hour {unit} values are identical: this "
                "looks like hourly kWh copied into 15-minute rows, which would read as four "
                "times the real power. Give the hourly file (8760/8784 rows) instead",
            )
    kw = values * _TO_KW[unit] / (step_h if energy else 1.0)
    if step_h == 0.25:
        kw = kw.reshape(-1, 4).mean(axis=1)
    return pd.Series(kw, index=year_index(year), name="load_kw")
