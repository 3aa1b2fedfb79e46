"""A user's table as text cells: CSV in any common encoding and delimiter, or an Excel sheet.

:func:`read_table_file` returns the header and the data rows as strings (Excel dates are written
in ISO 8601, numbers with ``repr``), so one parser serves both. :func:`parse_numbers` reads a
column of numbers written with thousands separators or a decimal comma, deciding the style once
for the whole column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from peakzero.errors import PeakzeroError
from peakzero.load.encoding import read_text

_DOT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?([eE][+-]?\d+)?$|^[+-]?\.\d+$")
"""Decimal point, optional comma thousands separators: ``1,234.5``, ``1234.5``, ``1e3``."""
_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d*)?$")
"""Decimal comma, optional dot (or space) thousands separators: ``1.234,5``, ``1234,5``."""
_SPACES = str.maketrans("", "", " \u00a0\u202f\u3000'")
MAX_XLSX_BYTES = 50_000_000
"""Largest workbook read [bytes]: a year of 5-minute data is about 4 MB."""


@dataclass(frozen=True)
class Table:
    """Header cells, data rows (strings), what was detected, and the file line of each row."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    notes: list[str]
    header_line: int = 1


def _delimiter(lines: list[str]) -> str:
    """The separator found on most of the first lines (title rows above the header have none)."""
    score = {d: (sum(d in s for s in lines), sum(s.count(d) for s in lines)) for d in "\t;,"}
    best = max(score, key=lambda d: score[d])
    return best if score[best][0] else ","


def _csv_table(text: str, what: str) -> Table:
    lines = text.splitlines()
    kept = [(i + 1, s) for i, s in enumerate(lines) if s.strip() and not s.lstrip().startswith("#")]
    if not kept:
        raise PeakzeroError(f"{what} is empty", field="load")
    delimiter = _delimiter([s for _, s in kept[:20]])
    reader = csv.reader(io.StringIO("\n".join(s for _, s in kept)), delimiter=delimiter)
    try:
        cells = [[c.strip() for c in row] for row in reader]
    except csv.Error as exc:
        raise PeakzeroError(f"{what} is not a readable table ({exc})", field="load") from None
    name = {"\t": "tab", ";": "semicolon", ",": "comma"}[delimiter]
    return Table(cells[0], cells[1:], [n for n, _ in kept[1:]], [f"{name}-separated"], kept[0][0])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _xlsx_table(path: Path, what: str, sheet: str | None) -> Table:
    import openpyxl  # here: only Excel users pay for the import

    if path.stat().st_size > MAX_XLSX_BYTES:
        raise PeakzeroError(
            f"{what} is larger than {MAX_XLSX_BYTES // 1_000_000} MB; save the sheet as CSV",
            field="load",
        )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise PeakzeroError(
            f"{what} is not a readable Excel workbook ({type(exc).__name__}); open it in Excel "
            "and save it again as .xlsx, or as CSV",
            field="load",
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise PeakzeroError(
                f"{what} has no sheet {sheet!r}; its sheets are {names}", field="sheet"
            )
        ws = book[sheet if sheet is not None else names[0]]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c for c in r)]
    if not numbered:
        raise PeakzeroError(f"{what}: sheet {ws.title!r} is empty", field="load")
    width = max(len(r) for _, r in numbered)
    cells = [r + [""] * (width - len(r)) for _, r in numbered]
    notes = [f"Excel sheet {ws.title!r}"]
    return Table(cells[0], cells[1:], [n for n, _ in numbered[1:]], notes, numbered[0][0])


def read_table_file(path: Path, *, what: str, sheet: str | None = None) -> Table:
    """Read a CSV/TSV (any supported encoding) or an ``.xlsx`` sheet into text cells.

    Lines starting with ``#`` and blank lines are skipped; the first remaining row is the header.
    """
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise PeakzeroError(
            f"{what} is an old binary Excel/WPS workbook; save it as .xlsx or CSV", field="load"
        )
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_table(path, what, sheet)
    if sheet is not None:
        raise PeakzeroError(f"sheet = {sheet!r} given but {what} is not an .xlsx", field="sheet")
    text, encoding = read_text(path, what=what, field="load")
    table = _csv_table(text, what)
    table.notes.insert(0, f"encoding {encoding}")
    return table


def parse_numbers(
    cells: list[str], *, delimiter_is_comma: bool, what: str
) -> tuple[np.ndarray, str | None]:
    """Numbers from text cells; blanks and text become NaN.

    The style is decided for the whole column: decimal point (with optional ``,`` thousands
    separators) unless some cell only fits a decimal comma (``12,5`` or ``1.234,5``). A column
    whose every comma could be either (``1,234`` only) in a comma-separated file is read with
    thousands separators (the cells were quoted by the exporter); in another file it is refused.

    Returns
    -------
    tuple
        ``(values, note)``; the note names a decimal comma or thousands separators when used.

    Examples
    --------
    >>> parse_numbers(["1,234.5", "7"], delimiter_is_comma=True, what="f")[0].tolist()
    [1234.5, 7.0]
    >>> parse_numbers(["1.234,5", "0,25"], delimiter_is_comma=False, what="f")[0].tolist()
    [1234.5, 0.25]
    """
    clean = [c.translate(_SPACES) for c in cells]
    filled = [c for c in clean if c]
    dot_ok = all(_DOT.match(c) for c in filled)
    comma_ok = all(_COMMA.match(c) for c in filled)
    has_comma = any("," in c for c in filled)
    if not has_comma or (dot_ok and not comma_ok):
        style = "dot"
    elif comma_ok and not dot_ok:
        style = "comma"
    elif dot_ok and comma_ok:  # only "1,234"-like cells
        if not delimiter_is_comma:
            raise PeakzeroError(
                f"{what}: values like {next(c for c in filled if ',' in c)!r} could be thousands "
                "or a decimal comma; save the column without thousands separators",
                field="load",
            )
        style = "dot"
    else:  # mixed: take each cell as the majority style, the rest become non-numeric
        n_dot = sum(bool(_DOT.match(c)) for c in filled)
        style = "dot" if n_dot >= len(filled) / 2 else "comma"
    pattern = _DOT if style == "dot" else _COMMA
    out = np.full(len(clean), np.nan)
    for i, c in enumerate(clean):
        if c and pattern.match(c):
            out[i] = float(
                c.replace(",", "") if style == "dot" else c.replace(".", "").replace(",", ".")
            )
    note = None
    if style == "comma":
        note = "decimal comma"
    elif has_comma:
        note = "thousands separators"
    return out, note
