"""Parse a plain weather CSV (timestamp, ghi, [dni, dhi], temp_air, wind_speed); check its times."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError
from peakzero.weather.model import TZ

#: Aliases accepted for column names (compared lower-case and stripped).
CSV_ALIASES: dict[str, str] = {
    "timestamp": "timestamp",
    "time": "timestamp",
    "datetime": "timestamp",
    "date_time": "timestamp",
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "temperature": "temp_air",
    "air_temperature": "temp_air",
    "wind_speed": "wind_speed",
    "wind": "wind_speed",
    "pressure": "pressure",
}
#: Cell contents read as missing (compared lower-case); anything else must be a number.
MISSING_CELLS = ("", "nan", "na", "null")
REQUIRED = ("timestamp", "ghi", "temp_air", "wind_speed")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_OFFSET_GROUP = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
#: Allowed time steps [min]: each divides one hour.
STEPS_MIN = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)


def _line(i: int) -> int:
    """File line of data row ``i`` (line 1 is the header)."""
    return i + 2


def parse_csv(text: str, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Parse a plain weather CSV into a frame on a regular UTC+8 index.

    Returns
    -------
    tuple
        Frame with the value columns present (NaN for blank cells), the index in UTC+8 with
        interval-beginning labels, and notes for the user.
    """
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            skipinitialspace=True,
            comment="#",
            keep_default_na=False,
        )
    except (ValueError, pd.errors.ParserError) as exc:
        # pandas' own wording ("C error: Expected 4 fields...") is not for users: say where
        found = re.search(r"line (\d+)", str(exc))
        at = f" at line {found.group(1)}" if found else ""
        raise PeakzeroError(
            f"{where}: not a readable CSV{at}: every row needs the header's columns, separated "
            "by commas.",
            field="weather",
        ) from None
    rename: dict[str, str] = {}
    for column in raw.columns:
        key = str(column).strip().lower()
        if key in CSV_ALIASES:
            if CSV_ALIASES[key] in rename.values():
                raise PeakzeroError(
                    f"{where}: two columns mean {CSV_ALIASES[key]!r}; keep one.",
                    field=CSV_ALIASES[key],
                )
            rename[str(column)] = CSV_ALIASES[key]
    raw = raw.rename(columns=rename)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise PeakzeroError(
            f"{where}: missing column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, raw.columns))}. A weather CSV needs timestamp, ghi [W/m2], "
            "temp_air [deg C], wind_speed [m/s]; dni, dhi [W/m2] and pressure [Pa] are optional.",
            field=missing[0],
        )
    if raw.empty:
        raise PeakzeroError(f"{where}: no data rows.", field="timestamp")
    index, notes = _parse_times(raw["timestamp"].astype(str).str.strip(), where)
    values = pd.DataFrame(index=index)
    for column in ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"):
        if column not in raw.columns:
            continue
        cells = raw[column].fillna("").astype(str).str.strip()
        blank = cells.str.lower().isin(MISSING_CELLS)
        numbers = pd.to_numeric(cells.where(~blank), errors="coerce")
        bad = numbers.isna() & ~blank
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise PeakzeroError(
                f"{where}: {column} = {cells.iat[i]!r} on line {_line(i)} is not a number. "
                "Use plain numbers (decimal point '.'); leave a cell empty (or NaN) if it is "
                "missing.",
                field=column,
            )
        values[column] = numbers.to_numpy(dtype=np.float64)
    return values, notes


def _parse_times(stamps: pd.Series, where: str) -> tuple[pd.DatetimeIndex, list[str]]:
    notes: list[str] = []
    aware = stamps.str.contains(_OFFSET)
    if aware.any() and not aware.all():
        i = int(np.flatnonzero((aware != aware.iat[0]).to_numpy())[0])
        raise PeakzeroError(
            f"{where}: timestamp on line {_line(i)} ({stamps.iat[i]!r}) "
            f"{'has' if aware.iat[i] else 'lacks'} a UTC offset unlike line 2; use one form "
            "for all rows.",
            field="timestamp",
        )
    parsed = pd.to_datetime(stamps, errors="coerce", format="ISO8601", utc=bool(aware.all()))
    if parsed.isna().any():
        if not aware.any():  # 2025/1/1 1:00, 2025年1月1日 1:00, 01/02/2025, Excel serials
            return _meter_style_times(stamps, where)
        i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise PeakzeroError(
            f"{where}: timestamp {stamps.iat[i]!r} on line {_line(i)} cannot be read. Use ISO "
            "8601, e.g. 2023-06-01 12:00 or 2023-06-01T12:00+08:00.",
            field="timestamp",
        )
    index = pd.DatetimeIndex(parsed)
    if aware.all():
        offsets = sorted({str(o) for o in stamps.str.extract(_OFFSET_GROUP, expand=False)})
        index = index.tz_convert(TZ)
        if offsets not in (["+08:00"], ["+0800"]):
            notes.append(f"timestamps with offset {', '.join(offsets)} converted to UTC+8.")
    else:
        index = index.tz_localize(TZ)
        notes.append("timestamps have no time zone: taken as China Standard Time (UTC+8).")
    _check_regular(index, where)
    return index, notes


def _meter_style_times(stamps: pd.Series, where: str) -> tuple[pd.DatetimeIndex, list[str]]:
    """Timestamps in the forms the load reader accepts (:func:`peakzero.load.dates.parse_stamps`:
    ``2025/1/1 1:00``, ``2025年1月1日 1:00``, day- or month-first, ``24:00``, Excel serial
    dates), as UTC+8 clock times."""
    from peakzero.load.dates import parse_stamps  # here: only such files pay for the import

    try:
        naive, notes = parse_stamps(stamps.tolist(), what=where)
    except PeakzeroError as exc:
        message = str(exc)
        if exc.field == "date_format":  # a weather file has no date_format setting
            message = (
                f"{message.split(';')[0]}; write the dates year first (2023-06-01 12:00) so "
                "they read one way only"
            )
        raise PeakzeroError(message, field="timestamp") from None
    # through the ISO parser once more, so the index is the one ISO stamps give (same unit)
    iso = pd.Series(pd.DatetimeIndex(naive).strftime("%Y-%m-%d %H:%M:%S"), name=stamps.name)
    index = pd.DatetimeIndex(pd.to_datetime(iso, format="ISO8601")).tz_localize(TZ)
    notes.append("timestamps have no time zone: taken as China Standard Time (UTC+8).")
    _check_regular(index, where)
    return index, notes


def _check_regular(index: pd.DatetimeIndex, where: str) -> None:
    if len(index) < 2:
        raise PeakzeroError(
            f"{where}: only one timestamp; give at least one whole day.", field="timestamp"
        )
    minutes = np.asarray((index[1:] - index[:-1]) / pd.Timedelta(minutes=1), dtype=np.float64)
    duplicated = np.flatnonzero(minutes == 0)
    if len(duplicated):
        i = int(duplicated[0]) + 1
        raise PeakzeroError(
            f"{where}: timestamp {index[i]:%Y-%m-%d %H:%M%z} on line {_line(i)} is duplicated "
            f"(also on line {_line(i - 1)}). Remove one of the rows.",
            field="timestamp",
        )
    backwards = np.flatnonzero(minutes < 0)
    if len(backwards):
        i = int(backwards[0]) + 1
        raise PeakzeroError(
            f"{where}: timestamp on line {_line(i)} ({index[i]:%Y-%m-%d %H:%M}) is earlier than "
            "the line before; sort the file by time.",
            field="timestamp",
        )
    interval = float(np.min(minutes))
    if interval not in STEPS_MIN:
        raise PeakzeroError(
            f"{where}: time step {interval:g} min is not allowed; use a step that divides one "
            f"hour: {', '.join(map(str, STEPS_MIN))} min.",
            field="timestamp",
        )
    gaps = np.flatnonzero(minutes != interval)
    if len(gaps):
        i = int(gaps[0])
        lost = int(minutes[i] // interval) - 1
        raise PeakzeroError(
            f"{where}: gap in the timestamps between line {_line(i)} ({index[i]:%Y-%m-%d %H:%M}) "
            f"and line {_line(i + 1)} ({index[i + 1]:%Y-%m-%d %H:%M}): "
            + (
                f"{lost} step(s) of {interval:g} min missing"
                if minutes[i] % interval == 0
                else f"{minutes[i]:g} min is not a multiple of the {interval:g} min step"
            )
            + f" ({len(gaps)} gap(s) in all). Add the missing rows (cells may be left empty "
            "for gaps up to 3 h, which are interpolated).",
            field="timestamp",
        )
    steps_per_day = 1440 // int(interval)
    first, last = index[0], index[-1] + pd.Timedelta(minutes=interval)
    if first != first.normalize() or len(index) % steps_per_day:
        raise PeakzeroError(
            f"{where}: the data run from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} "
            f"(UTC+8, interval starts {first:%H:%M}); a weather CSV must cover whole days in "
            "UTC+8: first timestamp at 00:00 and a multiple of 24 h of data. Trim or complete "
            "the first and last day.",
            field="timestamp",
        )
