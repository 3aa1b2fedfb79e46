"""Read a metered load file as it comes: one year of interval data -> :class:`LoadReading`.

Files: CSV/TSV in UTF-8 (with or without BOM), UTF-16 or GBK/GB18030, comma, semicolon or tab
separated, numbers with thousands separators or a decimal comma; or an ``.xlsx`` sheet. Headers in
Chinese or English: a timestamp column (时间/日期/time; or a 日期 and a 时间 column) and a value
column whose header names the unit (``有功功率(kW)``, ``用电量(kWh)``, ``load_kw``, ``MW``, ``MWh``,
``千瓦时``) or ``unit`` given by the user. Without either the file is refused with the annual kWh
and the peak kW under both readings, so the user picks; an ``annual_kwh`` given beside the file
picks the reading it matches (within :data:`TOTAL_TOLERANCE`).

Time conventions (each one found is stated in the notes): interval-beginning stamps,
interval-ending stamps (first stamp one interval after midnight), ``24:00``, and the meter export
habit of stamping each midnight row with the day that ends (``2025-01-01 00:00`` after
``2025-01-01 23:45``). Intervals of 5, 10, 15, 30 or 60 minutes; the native series is kept (peaks
and 15-minute demand), the hourly means feed the LP (energy conserved). A meter year other than
the plan year, or one that starts mid-year (2024-07-01 to 2025-06-30), is mapped onto it by
:func:`peakzero.load.align.map_days_to_year`. Excel serial dates are read as dates.

Refused, each with the first file lines and the fix: gaps and repeated stamps, a partial year,
row counts that contradict the stamps, negatives, values beyond :data:`MAX_LOAD_KW`, a cumulative
register, hourly kWh copied into sub-hourly rows, and totals more than 2 % off the given ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from peakzero.calendar import CN_TZ
from peakzero.errors import PeakzeroError
from peakzero.load.align import map_days_to_year
from peakzero.load.dates import is_excel_serial, parse_stamps
from peakzero.load.table import Table, parse_numbers, read_table_file

UNITS = {"w": 1e-3, "kw": 1.0, "mw": 1e3, "wh": 1e-3, "kwh": 1.0, "mwh": 1e3}
"""Accepted units (case-insensitive) and their factor to kW or kWh."""
_UNIT_NAMES = {"w": "W", "kw": "kW", "mw": "MW", "wh": "Wh", "kwh": "kWh", "mwh": "MWh"}
_UNIT_RE = re.compile(r"(?<![a-z])(mwh|kwh|wh|mw|kw|w)(?![a-z])")
_ZH_UNITS = (
    ("千瓦时", "kwh"),
    ("兆瓦时", "mwh"),
    ("千瓦", "kw"),
    ("兆瓦", "mw"),
    ("(度)", "(kwh)"),
)
_TIME_WORDS = ("时间", "日期", "时刻", "time", "date", "timestamp", "datetime")
_POWER_WORDS = ("有功功率", "功率", "负荷", "load", "power", "demand")
_ENERGY_WORDS = ("用电量", "电量", "能耗", "energy", "consumption")
INTERVALS_MIN = (5, 10, 15, 30, 60)
"""Accepted data intervals [min]."""
TOTAL_TOLERANCE = 0.02
"""Largest relative difference between a given annual/monthly kWh and the file's (2 %)."""
MAX_LOAD_KW = 1.0e7
"""Largest load accepted [kW]: 10 GW, above any single site or county's demand."""
_COUNT = {2: "two", 4: "four", 12: "twelve"}
REPEATED_HOUR_FRACTION = 0.99
"""Share of hours with identical sub-hour kWh values that marks copied hourly data."""


@dataclass(frozen=True)
class LoadReading:
    """A load file after reading: the native-interval series and what was found.

    Attributes
    ----------
    kw
        Mean power per interval [kW] on an interval-beginning UTC+8 index of the plan year, at
        the file's own interval (``interval_minutes``).
    interval_minutes
        The file's interval [min]: 5, 10, 15, 30 or 60.
    notes
        What was detected or assumed (encoding, separator, date order, stamps, unit, year).
    unit
        The unit read (``kW``, ``kWh``, ...).
    meter_year
        The calendar year of the data's first day (before any mapping onto the plan year).
    """

    kw: pd.Series
    interval_minutes: int
    notes: tuple[str, ...]
    unit: str
    meter_year: int
    _cache: dict[str, pd.Series] = field(default_factory=dict, repr=False, compare=False)

    @property
    def hourly_kw(self) -> pd.Series:
        """Hourly mean power [kW] (the LP's series); energy per hour is conserved."""
        per_hour = 60 // self.interval_minutes
        values = self.kw.to_numpy(dtype=float).reshape(-1, per_hour).mean(axis=1)
        index = pd.DatetimeIndex(self.kw.index)[::per_hour]
        return pd.Series(values, index=pd.DatetimeIndex(index, freq="h"), name="load_kw")

    @property
    def demand_kw(self) -> pd.Series:
        """15-minute mean power [kW] (the demand-charge window) when the data resolve it, else
        the file's own interval.

        A 10-minute series is first split into 5-minute halves at the same power (the meter
        says nothing finer), so each quarter-hour is ``(2 a + b) / 3`` or ``(a + 2 b) / 3`` of
        the intervals it spans; energy is conserved.
        """
        if self.interval_minutes >= 15:
            return self.kw
        fine = self.kw.to_numpy(dtype=float)
        step = self.interval_minutes
        if 15 % step:
            split = step // int(np.gcd(step, 15))
            fine, step = np.repeat(fine, split), step // split
        per = 15 // step
        values = fine.reshape(-1, per).mean(axis=1)
        index = pd.date_range(self.kw.index[0], periods=values.size, freq="15min")
        return pd.Series(values, index=index, name="load_kw")

    @property
    def peak_kw(self) -> float:
        """Largest 15-minute (or the file's interval) mean power [kW]."""
        return float(self.demand_kw.max())

    @property
    def annual_kwh(self) -> float:
        """Energy of the year [kWh]."""
        return float(self.kw.sum() * self.interval_minutes / 60.0)


def _fail(what: str, message: str, field: str = "load") -> PeakzeroError:
    return PeakzeroError(f"{what}: {message}", field=field)


#: The readers' fields as a site or plan file's ``[load]`` section names them: what is wrong
#: inside the file is the file's key (``csv`` or ``bills``), a setting beside it its own key.
_SECTION_KEYS = {
    "path": None,
    "load": None,
    "timestamp": None,
    "bills": None,
    "unit": "unit",
    "date_format": "date_format",
    "sheet": "sheet",
    "annual_kwh": "annual_kwh",
    "monthly_kwh": "monthly_kwh",
}


def in_section(exc: PeakzeroError, section: str, key: str) -> PeakzeroError:
    """The refusal ``exc`` of a reader of the file written as ``section.key`` (``load.csv``),
    with its field as the user wrote it there (``load.csv``, ``load.unit``); the plan year
    (``year``) stays as it is.

    >>> str(in_section(PeakzeroError("bad", field="unit"), "load", "csv").field)
    'load.unit'
    """
    field = exc.field or "load"
    if field in _SECTION_KEYS:
        field = f"{section}.{_SECTION_KEYS[field] or key}"
    return PeakzeroError(str(exc), field=field)


def header_unit(header: str) -> str | None:
    """The unit a column header names, or None.

    >>> headers = ["有功功率(kW)", "用电量（千瓦时）", "energy [kW·h]", "load", "MW"]
    >>> [header_unit(h) for h in headers]
    ['kw', 'kwh', 'kwh', None, 'mw']
    """
    text = header.lower().replace("（", "(").replace("）", ")")
    for zh, unit in _ZH_UNITS:
        text = text.replace(zh, unit)
    text = re.sub(r"kw\s*[·.\-*]\s*h", "kwh", text)
    found = _UNIT_RE.findall(text)
    return found[-1] if found else None


def _looks_numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[\d.,\s]+([eE][+-]?\d+)?", cell)) and any(
        c.isdigit() for c in cell
    )


def _looks_time(cell: str) -> bool:
    return bool(re.match(r"^\s*\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}", cell))


def _rising(cells: list[str]) -> bool:
    """Whether numbers rise by one step that divides an hour (a column of serial dates)."""
    days = np.array([float(c.replace(",", ".")) for c in cells])
    if days.size < 3:
        return False
    minutes = np.diff(days) * 1440.0
    step = float(np.round(minutes[0]))
    return step in INTERVALS_MIN and bool(np.all(np.abs(minutes - step) < 1e-3))


def _is_data(row: list[str]) -> bool:
    first = next((c for c in row if c), "")
    return _looks_time(first) or _looks_numeric(first)


def _columns(table: Table) -> tuple[list[str], list[list[str]], list[int], list[str]]:
    """Header, columns (lists of cells) and file lines of the data rows; title rows above the
    header are skipped; the header is blank when the file has none."""
    rows = [table.header, *table.rows]
    lines = [table.header_line, *table.lines]
    start = next(
        (i for i in range(min(30, len(rows))) if all(_is_data(r) for r in rows[i : i + 3])), None
    )
    notes = []
    if start is None or start == 0:
        header: list[str] = []
        start = 0 if start == 0 else 1
        if start == 1:
            header = rows[0]
    else:
        header = rows[start - 1]
        if start > 1:
            notes.append(f"{start - 1} title rows above the header skipped")
    rows, lines = rows[start:], lines[start:]
    width = max([len(header), *(len(r) for r in rows[:50])])
    header = header + [""] * (width - len(header))
    cols = [[r[j] if j < len(r) else "" for r in rows] for j in range(width)]
    keep = [j for j in range(width) if header[j] or any(c for c in cols[j])]
    return [header[j] for j in keep], [cols[j] for j in keep], lines, notes


def _has_word(header: str, words: tuple[str, ...]) -> bool:
    h = header.lower()
    return any(w in h for w in words)


@dataclass
class _Raw:
    stamps: list[str] | None
    values: list[str]
    header: str
    lines: list[int]
    notes: list[str]


def _pick(table: Table, what: str) -> _Raw:
    header, cols, lines, skipped = _columns(table)
    n = len(cols[0]) if cols else 0
    if n == 0:
        raise _fail(what, "has a header but no data rows")
    notes = [*table.notes, *skipped]
    time_j: int | None = None
    for j, h in enumerate(header):
        sample = [c for c in cols[j][:20] if c]
        if sample and all(_looks_time(c) for c in sample):
            time_j = j
            break
        if _has_word(h, _TIME_WORDS) and sample and not all(_looks_numeric(c) for c in sample):
            time_j = j
            break
        if sample and is_excel_serial(sample) and (_has_word(h, _TIME_WORDS) or _rising(sample)):
            time_j = j  # Excel serial dates (45658.0104...): under a time header, or rising
            break
    stamps: list[str] | None = None
    used = set()
    if time_j is not None:
        stamps = cols[time_j]
        used.add(time_j)
        nxt = time_j + 1
        if (
            nxt < len(cols)
            and all(re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", c) for c in cols[nxt][:20] if c)
            and any(cols[nxt][:20])
        ):
            stamps = [f"{d} {t}" for d, t in zip(stamps, cols[nxt], strict=True)]
            used.add(nxt)
            notes.append("date and time columns joined")
    candidates = []
    for j, h in enumerate(header):
        if j in used:
            continue
        filled = [c for c in cols[j] if c]
        if not filled or sum(_looks_numeric(c) for c in filled[:200]) < 0.5 * len(filled[:200]):
            continue
        nums = [c.replace(",", "") for c in filled[:3]]
        counter = nums in (["0", "1", "2"], ["1", "2", "3"]) and len(filled) == n
        if counter:
            try:
                values = np.array([float(c) for c in cols[j]])
                if np.array_equal(values, np.arange(n)) or np.array_equal(
                    values, np.arange(1, n + 1)
                ):
                    continue
            except ValueError:
                pass
        score = 2 if header_unit(h) else 1 if _has_word(h, _POWER_WORDS + _ENERGY_WORDS) else 0
        candidates.append((score, j))
    if not candidates:
        raise _fail(
            what,
            f"has no column of numbers to read as the load (columns: {header}); give a "
            "timestamp column and one column of kW or kWh",
        )
    score, j = max(candidates, key=lambda c: (c[0], -c[1]))
    if len(candidates) > 1:
        notes.append(f"column {header[j]!r} read as the load")
    return _Raw(stamps, cols[j], header[j], lines, notes)


def _year_minutes(year: int) -> int:
    return 366 * 1440 if pd.Timestamp(year=year, month=1, day=1).is_leap_year else 365 * 1440


def _minutes_from(start: pd.Timestamp) -> int:
    """Minutes in the year of days that starts at ``start`` (to the same date a year later)."""
    end = start + pd.DateOffset(years=1)
    return int((end - start) / pd.Timedelta(minutes=1))


def _timeline(
    raw: _Raw, what: str, year: int | None, date_format: str | None, notes: list[str]
) -> tuple[int, pd.Timestamp]:
    """Interval [min] and the first day of the data; checks that the stamps cover one year of
    whole days (a calendar year, or from any day's midnight to the same date a year later)."""
    n = len(raw.values)
    if raw.stamps is None:
        by_rows = {
            8760: 60,
            8784: 60,
            17520: 30,
            17568: 30,
            52560: 10,
            52704: 10,
            35040: 15,
            35136: 15,
            105120: 5,
            105408: 5,
        }
        if n not in by_rows:
            hint = (
                " (one row off: a duplicated header, a missing first hour or a 25th hour?)"
                if (n - 1 in by_rows or n + 1 in by_rows)
                else ""
            )
            raise _fail(
                what,
                f"has {n} data rows; expected one year: 8760 or 8784 hourly rows, 35040 or 35136 "
                f"quarter-hourly rows (or 30-, 10- or 5-minute rows){hint}",
            )
        if year is None:
            raise _fail(what, "has no timestamp column; pass year=... to place the values", "year")
        step = by_rows[n]
        if n * step != _year_minutes(year):
            raise _fail(
                what,
                f"{n} rows at {step} minutes make {n * step / 60:.0f} hours but {year} has "
                f"{_year_minutes(year) // 60} (leap years have 8784)",
                "year",
            )
        notes.append(f"no timestamps: rows placed from 1 January {year} by their count")
        return step, pd.Timestamp(year=year, month=1, day=1)
    times, more = parse_stamps(raw.stamps, what=what, date_format=date_format)
    notes += more
    ns = times.asi8
    diffs = np.diff(ns) / 6e10  # [min]
    if len(diffs) == 0:
        raise _fail(what, "has one data row; give one year of interval data")
    values, counts = np.unique(np.round(diffs), return_counts=True)
    step = int(values[np.argmax(counts)])
    if step not in INTERVALS_MIN:
        raise _fail(
            what,
            f"timestamps step mostly by {step} minutes; accepted intervals are "
            f"{list(INTERVALS_MIN)} minutes",
            "timestamp",
        )
    day_ns = 86_400 * 10**9
    step_ns = step * 60 * 10**9
    midnight = (ns % day_ns) == 0
    ending = (ns[0] % day_ns) == step_ns
    if ending:
        back = np.zeros(len(ns), dtype=bool)
        back[1:] = midnight[1:] & (np.diff(ns) == step_ns - day_ns)
        if back.any():
            ns = ns + np.where(back, day_ns, 0)
            notes.append(
                f"{int(back.sum())} midnight rows stamped with the day that ends "
                "(e.g. 01-01 00:00 after 01-01 23:45) moved to the next day"
            )
        ns = ns - step_ns
        notes.append(f"interval-ending stamps: shifted back {step} minutes to interval-beginning")
    start = pd.Timestamp(ns[0])
    if start != start.normalize():
        raise _fail(
            what,
            f"the data start {start:%Y-%m-%d %H:%M}; give one year of whole days from a midnight "
            f"00:00, e.g. 1 January (or, with interval-ending stamps, from 00:{step:02d})",
            "timestamp",
        )
    expected = _minutes_from(start) // step
    if n != expected:
        days = n * step / 1440
        hint = (
            " (one row off: a duplicated header, a missing first interval or a 25th hour?)"
            if (abs(n - expected) == 1)
            else ""
        )
        if n in (8760, 8784, 35040, 35136) and step in (15, 60) and (n <= 8784) != (step == 60):
            hint += (
                ". The values look like data at another resolution (e.g. kWh per interval) "
                "stamped wrongly; export one full year at one resolution"
            )
        raise _fail(
            what,
            f"has {n} data rows {step} minutes apart, covering {days:.0f} days; expected one "
            f"year from {start:%Y-%m-%d}: {expected} rows{hint}",
        )
    bad = np.nonzero(np.diff(ns) != step_ns)[0]
    if bad.size:
        want = pd.date_range(start, periods=expected, freq=f"{step}min").asi8
        missing = np.setdiff1d(want, ns)
        repeated = ns[1:][np.diff(ns) == 0]
        detail = []
        if missing.size:
            detail.append(
                f"{missing.size} missing, first {pd.Timestamp(missing[0]):%Y-%m-%d %H:%M}"
            )
        if repeated.size:
            detail.append(
                f"{repeated.size} repeated, first {pd.Timestamp(repeated[0]):%Y-%m-%d %H:%M}"
            )
        rows = [raw.lines[int(i) + 1] for i in bad[:5]]
        raise _fail(
            what,
            f"timestamps are not evenly {step} minutes apart near file lines {rows}"
            + (f" ({'; '.join(detail)})" if detail else " (out of order)")
            + "; give every interval of the year once, in order",
            "timestamp",
        )
    return step, start


def _readings(values: np.ndarray, step: int) -> str:
    kw = values
    kwh = values * 60.0 / step
    return (
        f"read as kW: {kw.sum() * step / 60:,.0f} kWh a year, peak {kw.max():,.1f} kW; "
        f"read as kWh per {step} minutes: {kwh.sum() * step / 60:,.0f} kWh a year, peak "
        f"{kwh.max():,.1f} kW"
    )


def _check_values(values: np.ndarray, raw: _Raw, what: str, unit: str | None, step: int) -> None:
    col = raw.header or "the value column"
    missing = np.nonzero(~np.isfinite(values))[0]
    if missing.size:
        first = raw.values[int(missing[0])]
        shown = f" (first {first!r})" if first else ""
        raise _fail(
            what,
            f"{missing.size} missing or non-numeric values in {col!r}, first at file lines "
            f"{[raw.lines[int(i)] for i in missing[:5]]}{shown}; fill the gaps (e.g. "
            "interpolate) first",
        )
    negative = np.nonzero(values < 0)[0]
    if negative.size:
        raise _fail(
            what,
            f"{negative.size} negative values in {col!r}, first at file lines "
            f"{[raw.lines[int(i)] for i in negative[:5]]}; give consumption (import + on-site PV), "
            "not net metering",
        )
    diffs = np.diff(values)
    if (
        np.all(diffs >= 0)
        and values[-1] > 2 * max(values[0], 0)
        and values[-1] > 100 * max(float(np.median(diffs)), 1e-12)
    ):
        raise _fail(
            what,
            "the values never decrease: this looks like a cumulative meter register; give the "
            "energy or power of each interval (the differences)",
        )
    if unit is not None and unit.endswith("h") and step < 60:
        per = 60 // step
        groups = values.reshape(-1, per)
        same = np.all(groups == groups[:, :1], axis=1).mean()
        if same >= REPEATED_HOUR_FRACTION and values.max() > 0:
            raise _fail(
                what,
                f"in {same:.0%} of hours the {_COUNT.get(per, per)} "
                f"{'quarter-hour' if step == 15 else f'{step}-minute'} {unit} values are "
                "identical: this "
                f"looks like hourly kWh copied into {step}-minute rows, which would read as "
                f"{per} times the real power. Give the hourly file instead",
            )


def _check_totals(
    kwh: np.ndarray,
    index: pd.DatetimeIndex,
    what: str,
    annual_kwh: float | None,
    monthly_kwh: list[float] | None,
) -> list[str]:
    notes = []
    total = float(kwh.sum())
    if annual_kwh is not None:
        diff = total / annual_kwh - 1.0
        if abs(diff) > TOTAL_TOLERANCE:
            ratio = total / annual_kwh
            hint = ""
            for k, why in (
                (4.0, "kWh per 15 minutes read as kW?"),
                (0.25, "kW read as kWh per 15 minutes?"),
                (1000.0, "W or Wh?"),
                (0.001, "MW or MWh?"),
            ):
                if abs(ratio / k - 1) < 0.05:
                    hint = f" (a factor of {ratio:.3g}: {why})"
            raise _fail(
                what,
                f"the file holds {total:,.0f} kWh but annual_kwh = {annual_kwh:,.0f} "
                f"({diff:+.1%}, allowed ±{TOTAL_TOLERANCE:.0%}){hint}; check the unit or the total",
                "annual_kwh",
            )
        notes.append(f"annual kWh agrees with annual_kwh = {annual_kwh:,.0f} ({diff:+.2%})")
    if monthly_kwh is not None:
        if len(monthly_kwh) != 12:
            raise _fail(what, f"monthly_kwh needs 12 values, got {len(monthly_kwh)}", "monthly_kwh")
        months = (
            pd.Series(kwh, index=index)
            .groupby(index.month)
            .sum()
            .reindex(range(1, 13), fill_value=0.0)
        )
        for m, (got, want) in enumerate(zip(months.to_numpy(), monthly_kwh, strict=True), start=1):
            if want <= 0 or abs(got / want - 1.0) > TOTAL_TOLERANCE:
                raise _fail(
                    what,
                    f"month {m}: the file holds {got:,.0f} kWh but monthly_kwh gives {want:,.0f} "
                    f"(allowed ±{TOTAL_TOLERANCE:.0%}); check the unit or the totals",
                    "monthly_kwh",
                )
        notes.append("monthly kWh agree with monthly_kwh (within 2 %)")
    return notes


def read_load(
    path: Path | str,
    *,
    year: int | None = None,
    unit: str | None = None,
    date_format: str | None = None,
    sheet: str | None = None,
    annual_kwh: float | None = None,
    monthly_kwh: list[float] | None = None,
) -> LoadReading:
    """Read one year of metered load from a CSV or ``.xlsx`` file (see the module docstring).

    Parameters
    ----------
    path
        The file.
    year
        Plan year. Data of another year are mapped onto it (weekdays and holidays aligned);
        required when the file has no timestamps.
    unit
        ``"kW"``, ``"kWh"``, ``"MW"``, ``"MWh"``, ``"W"`` or ``"Wh"`` when the header names none.
    date_format
        ``"dd/mm/yyyy"`` or ``"mm/dd/yyyy"`` for dates that read both ways.
    sheet
        Excel sheet name (default: the first).
    annual_kwh, monthly_kwh
        Totals from bills [kWh]: checked against the file (refused beyond 2 %).

    Returns
    -------
    LoadReading

    Raises
    ------
    PeakzeroError
        Naming the field, the first file lines and the fix.
    """
    path = Path(path)
    what = f"load file {str(path)!r}"
    if not path.exists():
        raise _fail(what, "does not exist", "path")
    if path.is_dir():
        raise _fail(what, "is a folder, not a file; give the load file's path", "path")
    if unit is not None and unit.lower() not in UNITS:
        raise _fail(what, f"unit = {unit!r} is not one of {list(_UNIT_NAMES.values())}", "unit")
    for name, total in (("annual_kwh", annual_kwh),):
        if total is not None and not (0 < total < 1e12):
            raise _fail(what, f"{name} = {total} must be a positive kWh figure", name)
    table = read_table_file(path, what=what, sheet=sheet)
    raw = _pick(table, what)
    notes = raw.notes
    values, style = parse_numbers(
        raw.values, delimiter_is_comma="comma-separated" in notes, what=what
    )
    if style:
        notes.append(style)
    named = header_unit(raw.header)
    given = unit.lower() if unit is not None else None
    if given is not None and named is not None and given != named:
        raise _fail(
            what,
            f"unit = {unit!r} but the header {raw.header!r} says {_UNIT_NAMES[named]}; remove one",
            "unit",
        )
    unit_key = given or named
    step, start = _timeline(raw, what, year, date_format, notes)
    meter_year = start.year
    _check_values(values, raw, what, unit_key, step)
    if unit_key is None:
        as_kw = np.sum(values) * step / 60
        as_kwh = np.sum(values)
        pick = "kw" if step == 60 else None
        if step == 60:
            notes.append("no unit named: hourly kW and kWh per hour are the same figures")
        elif annual_kwh is not None:
            for key, total in (("kw", as_kw), ("kwh", as_kwh)):
                if abs(total / annual_kwh - 1.0) <= TOTAL_TOLERANCE:
                    pick = key
        if pick is None:
            hint = ""
            if _has_word(raw.header, _ENERGY_WORDS):
                hint = " The header suggests energy (kWh)."
            elif _has_word(raw.header, _POWER_WORDS):
                hint = " The header suggests power (kW)."
            raise _fail(
                what,
                f"the header {raw.header!r} names no unit, and the reading differs by "
                f'{60 // step}x: {_readings(values, step)}.{hint} Give unit = "kW" or '
                'unit = "kWh", or put the unit in the header (e.g. load_kw)',
                "unit",
            )
        unit_key = pick
        if step != 60:
            notes.append(f"unit {_UNIT_NAMES[pick]} chosen: the reading that matches annual_kwh")
            _check_values(values, raw, what, unit_key, step)
    else:
        notes.append(f"unit {_UNIT_NAMES[unit_key]} from {'unit' if given else 'the header'}")
    energy = unit_key.endswith("h")
    kw = values * UNITS[unit_key] * (60.0 / step if energy else 1.0)
    if kw.max() > MAX_LOAD_KW or not np.all(np.isfinite(kw)):
        i = int(np.argmax(kw))
        raise _fail(
            what,
            f"a load of {kw[i]:.3g} kW at file line {raw.lines[i]} is beyond any site "
            f"(largest accepted {MAX_LOAD_KW:.0e} kW); check the unit",
        )
    index = pd.date_range(start, periods=len(kw), freq=f"{step}min", tz=CN_TZ)
    notes += _check_totals(kw * step / 60, index, what, annual_kwh, monthly_kwh)
    calendar = start.month == 1 and start.day == 1
    if year is None and not calendar:
        year = (start + pd.DateOffset(years=1) - pd.Timedelta(days=1)).year  # the newest data's
    if year is not None and (year != meter_year or not calendar):
        kw, note = map_days_to_year(kw, start, year, steps_per_day=1440 // step)
        notes.append(note)
        index = pd.date_range(f"{year}-01-01", periods=len(kw), freq=f"{step}min", tz=CN_TZ)
    return LoadReading(
        kw=pd.Series(kw, index=index, name="load_kw"),
        interval_minutes=step,
        notes=tuple(notes),
        unit=_UNIT_NAMES[unit_key],
        meter_year=meter_year,
    )
