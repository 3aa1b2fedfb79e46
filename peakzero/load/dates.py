"""Timestamps as meter exports write them, read into naive China clock times.

Accepted: ISO 8601 (``2025-01-01 00:00``, ``2025-01-01T00:15:00+08:00``), ``2025/1/1 0:15``,
``2025年1月1日 0:15`` (also ``0时15分``), ``01/01/2025 00:15`` day-first or month-first (``/``,
``-`` or ``.``), seconds optional, and ``24:00`` (midnight ending the day). Day-first or
month-first is decided from the data (a first field above 12 is a day, a second above 12 is a
day); when every date fits both, the user gives ``date_format``. Excel serial dates (days since
1899-12-30, ``45658.5`` = 2025-01-01 12:00, as a CSV saved from Excel or a number-formatted
.xlsx cell holds them; decimal comma accepted) are read too (:func:`excel_serial_stamps`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError

DATE_FORMATS = ("yyyy-mm-dd", "dd/mm/yyyy", "mm/dd/yyyy")
"""Values of ``date_format``: the order of year, month and day in the file's dates."""

_TIME = r"(?:[T\s]*(?P<H>\d{1,2})(?:[:时](?P<M>\d{1,2})?(?:[:分](?P<S>\d{1,2}(?:\.\d+)?)?秒?)?)?)?"
_TZ = r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*"
_YEAR_FIRST = (
    r"^\s*(?P<a>\d{4})\s*[-/.年]\s*(?P<b>\d{1,2})\s*[-/.月]\s*(?P<c>\d{1,2})\s*日?"
    + _TIME
    + _TZ
    + "$"
)
_YEAR_LAST = r"^\s*(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{4})" + _TIME + _TZ + "$"


_ISO_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def _iso_fast(cells: list[str]) -> pd.DatetimeIndex | None:
    """The common case, every stamp in one plain ISO form, parsed at C speed (else None)."""
    if not cells:
        return None
    for fmt in _ISO_FORMATS:
        try:
            dt.datetime.strptime(cells[0].strip(), fmt)
        except ValueError:
            continue
        parsed = pd.to_datetime(pd.Series(cells).str.strip(), format=fmt, errors="coerce")
        if parsed.notna().all():
            return pd.DatetimeIndex(parsed).as_unit("ns")
        return None
    return None


#: Day 0 of Excel's serial dates (1900 date system, after its phantom 1900-02-29).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Serial dates accepted as timestamps: 1954-10-03 to 2119-01-09 (days since the epoch), so a
#: column of ordinary readings is never taken for dates by their size alone [d].
EXCEL_SERIAL_RANGE = (20_000.0, 80_000.0)
_SERIAL = r"^\s*\d{5}(?:[.,]\d+)?\s*$"


def is_excel_serial(cells: list[str]) -> bool:
    """Whether every cell is an Excel serial date (``45658`` or ``45658.0104166667``).

    >>> is_excel_serial(["45658", "45658,5"]), is_excel_serial(["45658.5", "1.5"])
    (True, False)
    """
    s = pd.Series(cells, dtype=object).astype(str)
    if not len(s) or not s.str.match(_SERIAL).all():
        return False
    days = pd.to_numeric(s.str.replace(",", ".", regex=False))
    low, high = EXCEL_SERIAL_RANGE
    return bool(((days >= low) & (days <= high)).all())


def excel_serial_stamps(cells: list[str]) -> pd.DatetimeIndex:
    """Excel serial dates read as naive clock times, to the nearest second (Excel stores the
    time of day as a binary fraction of a day: 10 microseconds of round-off at most).

    >>> excel_serial_stamps(["45658.5", "45658.0104166667"]).strftime("%Y-%m-%d %H:%M").tolist()
    ['2025-01-01 12:00', '2025-01-01 00:15']
    """
    s = pd.Series(cells, dtype=object).astype(str).str.strip().str.replace(",", ".", regex=False)
    seconds = np.round(pd.to_numeric(s).to_numpy(dtype=float) * 86_400.0)
    return pd.DatetimeIndex(EXCEL_EPOCH + pd.to_timedelta(seconds, unit="s")).as_unit("ns")


def _fail(what: str, message: str, field: str = "timestamp") -> PeakzeroError:
    return PeakzeroError(f"{what}: {message}", field=field)


def parse_stamps(
    cells: list[str], *, what: str, date_format: str | None = None
) -> tuple[pd.DatetimeIndex, list[str]]:
    """Parse timestamps into naive UTC+8 clock times, ``24:00`` as the next day's 00:00.

    Returns
    -------
    tuple
        ``(index, notes)``; notes name the date order and any ``24:00`` stamps.

    Raises
    ------
    PeakzeroError
        Unreadable or impossible stamps (with the first file rows), ambiguous day/month order
        without ``date_format``, or a UTC offset other than +08:00.

    Examples
    --------
    >>> index, _ = parse_stamps(["2025年1月2日 24:00", "2025/1/3 0:15"], what="f")
    >>> index.strftime("%m-%d %H:%M").tolist()
    ['01-03 00:00', '01-03 00:15']
    """
    if date_format is not None and date_format not in DATE_FORMATS:
        raise _fail(
            what,
            f"date_format = {date_format!r} is not one of {list(DATE_FORMATS)}",
            "date_format",
        )
    fast = _iso_fast(cells) if date_format in (None, "yyyy-mm-dd") else None
    if fast is not None:
        return fast, []
    if is_excel_serial(cells):
        return excel_serial_stamps(cells), [
            "timestamps are Excel serial dates (days since 1899-12-30), read as dates"
        ]
    s = pd.Series(cells, dtype=object).astype(str)
    notes: list[str] = []
    first = s.str.extract(_YEAR_FIRST)
    if first["a"].notna().all():
        year, month, day = first["a"], first["b"], first["c"]
        parts = first
        if date_format not in (None, "yyyy-mm-dd"):
            raise _fail(
                what, f"dates start with the year but date_format = {date_format!r}", "date_format"
            )
    else:
        last = s.str.extract(_YEAR_LAST)
        bad = first["a"].isna() & last["a"].isna()
        if bad.any():
            rows = np.nonzero(bad.to_numpy())[0]
            raise _fail(
                what,
                f"cannot read {int(bad.sum())} timestamps, first {cells[rows[0]]!r} (data row "
                f"{int(rows[0]) + 1}); write dates as 2025-01-31 13:15, 2025/1/31 13:15, "
                "2025年1月31日 13:15 or 31/01/2025 13:15",
            )
        if first["a"].notna().any():
            raise _fail(what, "the timestamps mix year-first and year-last dates")
        parts = last
        a = last["a"].astype(int)
        b = last["b"].astype(int)
        if date_format is None:
            if (a > 12).any() and (b > 12).any():
                raise _fail(
                    what, "some dates have a day above 12 in the first field, others in the second"
                )
            if (a > 12).any():
                date_format = "dd/mm/yyyy"
            elif (b > 12).any():
                date_format = "mm/dd/yyyy"
            else:
                raise _fail(
                    what,
                    f"dates like {cells[0]!r} read both as day/month and month/day; give "
                    'date_format = "dd/mm/yyyy" or "mm/dd/yyyy"',
                    "date_format",
                )
            notes.append(f"dates read as {date_format} (the only order that fits every row)")
        elif date_format == "yyyy-mm-dd":
            raise _fail(
                what, "dates end with the year but date_format = 'yyyy-mm-dd'", "date_format"
            )
        day, month = (
            (last["a"], last["b"]) if date_format == "dd/mm/yyyy" else (last["b"], last["a"])
        )
        year = last["c"]
    hour = parts["H"].fillna("0").astype(int).to_numpy()
    minute = parts["M"].fillna("0").astype(int).to_numpy()
    second = parts["S"].fillna("0").astype(float).to_numpy()
    dates = pd.to_datetime(
        pd.DataFrame(
            {"year": year.astype(int), "month": month.astype(int), "day": day.astype(int)}
        ),
        errors="coerce",
    )
    wrong: np.ndarray = dates.isna().to_numpy() | (hour > 24) | (minute > 59) | (second >= 60)
    wrong |= (hour == 24) & ((minute > 0) | (second > 0))
    if wrong.any():
        i = int(np.nonzero(wrong)[0][0])
        raise _fail(
            what,
            f"{int(wrong.sum())} impossible dates or times, first {cells[i]!r} (data row {i + 1})"
            + (f" read as {date_format}" if date_format in ("dd/mm/yyyy", "mm/dd/yyyy") else ""),
        )
    if (hour == 24).any():
        notes.append("24:00 stamps read as the midnight that ends the day")
    offset = pd.to_timedelta(hour * 3600 + minute * 60 + second, unit="s")
    index = pd.DatetimeIndex(dates.to_numpy() + offset.to_numpy())
    tz = parts["tz"].dropna().unique()
    if len(tz) and not set(tz) <= {"+08:00", "+0800"}:
        raise _fail(
            what,
            f"timestamps carry the UTC offset {tz[0]} (not +08:00); give China Standard "
            "Time (UTC+8) clock times or no offset",
        )
    return index.as_unit("ns"), notes
