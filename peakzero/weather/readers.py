"""Read the user's own weather file: EPW, TMY3 or a plain CSV, hourly or sub-hourly.

Rules (also in the docs of :func:`read_weather_file`):

- EPW and TMY3 are typical-year formats: they must hold a full year (8760 or 8784 hours, times
  the records per hour) and are re-labelled onto calendar ``year``; a file in another time zone
  is shifted to UTC+8 and wrapped around so the series starts on 1 January 00:00.
- A plain CSV holds real dates: whole days in UTC+8 (first step at 00:00, last step ending at
  24:00), at least one day, a regular step that divides one hour (1 to 60 min), no duplicated
  and no missing timestamps. Timestamps label the *beginning* of each interval. Naive
  timestamps are taken as UTC+8 (and a note says so); timestamps with an offset are converted.
  Besides ISO 8601, the forms a meter export writes are read by the load reader's date parser
  (:func:`peakzero.load.dates.parse_stamps`): ``2025/1/1 1:00``, ``2025年1月1日 1:00``,
  day- or month-first (decided from the data), ``24:00`` and Excel serial dates.
- Blank or missing-code cells in runs up to 3 h are interpolated; longer runs are an error.
- Only GHI given: DNI and DHI from the Erbs decomposition.
"""

from __future__ import annotations

import lzma
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from peakzero.errors import PeakzeroError, check_range
from peakzero.load.encoding import decode_text
from peakzero.weather.checks import add_pressure, check_values, complete_irradiance, fill_gaps
from peakzero.weather.csv_reader import parse_csv
from peakzero.weather.epw import HEADER_LINES, parse_epw
from peakzero.weather.model import COLUMNS, TZ, Station, Weather
from peakzero.weather.stations import CSWD_IRRADIANCE_CENTRE_MINUTES


@dataclass(frozen=True)
class _TypicalYear:
    """A typical-year file after parsing: calendar fields per record plus values."""

    month: np.ndarray
    day: np.ndarray
    hour: np.ndarray  # 1..24, hour-ending
    values: pd.DataFrame
    records_per_hour: int
    utc_offset_h: float
    first_line: int  # file line of the first record


def _read_text(path: Path) -> str:
    try:
        if path.suffix.lower() == ".xz":
            with lzma.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                return handle.read()
        text, _ = decode_text(
            path.read_bytes(), what=f"weather file {str(path)!r}", field="weather"
        )
        return text
    except OSError as exc:
        raise PeakzeroError(
            f"weather file {str(path)!r} cannot be read ({exc.strerror}). Check the path.",
            field="weather",
        ) from exc


def _move_to_year(
    frame: pd.DataFrame, year: int, interval: int, where: str
) -> tuple[pd.DataFrame, str]:
    """A plain CSV's full calendar year re-labelled onto ``year`` date for date (weather has no
    weekdays): 29 February dropped, or 28 February repeated for a leap ``year``."""
    clock = pd.DatetimeIndex(frame.index).tz_convert(TZ)
    source = int(clock[0].year)
    per_day = 1440 // interval
    days = len(frame) // per_day
    if not (
        clock[0] == pd.Timestamp(f"{source}-01-01", tz=TZ)
        and days * per_day == len(frame)
        and days == (366 if _is_leap(source) else 365)
    ):
        raise PeakzeroError(
            f"{where}: year = {year} but the CSV data start {clock[0]:%Y-%m-%d %H:%M}; only one "
            "full calendar year (from 1 January) can be moved onto another year. Leave the "
            "year out, or give a full year.",
            field="year",
        )
    values = frame.to_numpy()
    feb = pd.Timestamp(f"{source}-02-28", tz=TZ).day_of_year - 1  # 0-based day of 28 February
    what = ""
    if _is_leap(source) and not _is_leap(year):
        values = np.delete(values, slice((feb + 1) * per_day, (feb + 2) * per_day), axis=0)
        what = "; 29 February dropped"
    elif _is_leap(year) and not _is_leap(source):
        copy = values[feb * per_day : (feb + 1) * per_day]
        values = np.insert(values, (feb + 1) * per_day, copy, axis=0)
        what = "; 29 February is a copy of 28 February"
    index = pd.date_range(f"{year}-01-01", periods=len(values), freq=f"{interval}min", tz=TZ)
    out = pd.DataFrame(values, index=index, columns=frame.columns)
    return out, f"weather of {source} moved onto {year} date for date{what}."


def _is_leap(year: int) -> bool:
    return bool(pd.Timestamp(year=year, month=1, day=1).is_leap_year)


def _typical_to_frame(t: _TypicalYear, year: int, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Label a typical year onto ``year`` in UTC+8 (interval-beginning) and check its times."""
    notes: list[str] = []
    n = t.records_per_hour
    interval = 60 // n
    month, day, hour, values = t.month, t.day, t.hour, t.values.reset_index(drop=True)
    lines = np.arange(len(values)) + t.first_line
    leap_day = (month == 2) & (day == 29)
    if leap_day.any() and not _is_leap(year):
        keep = ~leap_day
        month, day, hour, lines = month[keep], day[keep], hour[keep], lines[keep]
        values = values[keep].reset_index(drop=True)
        notes.append(f"29 February dropped: {year} is not a leap year.")
    elif _is_leap(year) and not leap_day.any():
        feb28 = np.flatnonzero((month == 2) & (day == 28))
        if len(feb28) == 24 * n:
            at = int(feb28[-1]) + 1
            order = np.concatenate([np.arange(at), feb28, np.arange(at, len(values))])
            month, day, hour, lines = month[order], day[order], hour[order], lines[order]
            day[at : at + 24 * n] = 29  # fancy indexing made a copy
            values = values.iloc[order].reset_index(drop=True)
            notes.append(f"{year} is a leap year: 29 February is a copy of 28 February.")
    within_hour = np.arange(len(values)) % n if n > 1 else np.zeros(len(values), dtype=int)
    try:
        dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))
    except (ValueError, OverflowError) as exc:
        raise PeakzeroError(
            f"{where}: a record has an impossible month/day ({exc}). Fix the date fields.",
            field="date",
        ) from exc
    labels = pd.DatetimeIndex(dates) + pd.to_timedelta(
        (hour - 1) * 60 + within_hour * interval, "min"
    )
    expected = pd.date_range(f"{year}-01-01", periods=len(values), freq=f"{interval}min")
    mismatch = np.flatnonzero(labels != expected)
    if len(mismatch):
        i = int(mismatch[0])
        kind = "duplicated" if i > 0 and labels[i] <= labels[i - 1] else "missing or out of order"
        raise PeakzeroError(
            f"{where}: line {lines[i]} is for {labels[i]:%m-%d %H:%M} (interval start) but "
            f"{expected[i]:%m-%d %H:%M} was expected: timestamps {kind}. A typical-year file "
            "needs every hour of the year, in order, once.",
            field="timestamp",
        )
    full = (8784 if _is_leap(year) else 8760) * n
    if len(values) != full:
        raise PeakzeroError(
            f"{where}: {len(values)} records, but a full year of {n} record(s) per hour has "
            f"{full}; the data stop at {labels[-1]:%m-%d %H:%M}. Typical-year files must "
            "cover the whole year.",
            field="timestamp",
        )
    shift_min = (8.0 - t.utc_offset_h) * 60
    if shift_min:
        if shift_min % interval:
            raise PeakzeroError(
                f"{where}: time zone UTC{t.utc_offset_h:+g} cannot be moved to UTC+8 in steps "
                f"of {interval} min. Convert the file to UTC+8 first.",
                field="time_zone",
            )
        values = pd.DataFrame(
            np.roll(values.to_numpy(), int(shift_min // interval), axis=0), columns=values.columns
        )
        notes.append(
            f"file time zone UTC{t.utc_offset_h:+g} converted to UTC+8; the typical year is "
            "wrapped around to start on 1 January 00:00."
        )
    values.index = expected.tz_localize(TZ)
    return values, notes


def _tz_note(utc_offset_h: float, longitude_deg: float) -> list[str]:
    solar = longitude_deg / 15.0
    if abs(utc_offset_h - solar) > 3.0:
        return [
            f"warning: the file's time zone UTC{utc_offset_h:+g} is far from the longitude's "
            f"solar time (about UTC{solar:+.1f}); check that the times are right."
        ]
    return []


def _read_epw(path: Path, text: str) -> tuple[_TypicalYear, Station, int | None]:
    records = parse_epw(text, where=path.name)
    loc = records.location
    data = records.data
    years = data["year"].unique()
    station = Station(
        wmo_id=loc.wmo_id,
        name=loc.name,
        province=loc.province,
        latitude_deg=loc.latitude_deg,
        longitude_deg=loc.longitude_deg,
        elevation_m=loc.elevation_m,
        utc_offset_h=loc.utc_offset_h,
        source=str(path),
    )
    typical = _TypicalYear(
        month=data["month"].to_numpy(),
        day=data["day"].to_numpy(),
        hour=data["hour"].to_numpy(),
        values=data[["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]],
        records_per_hour=records.records_per_hour,
        utc_offset_h=loc.utc_offset_h,
        first_line=HEADER_LINES + 1,
    )
    # An actual-year file (one year, with 29 February) keeps its year; typical years get 2023.
    has_leap_day = bool(((data["month"] == 2) & (data["day"] == 29)).any())
    return typical, station, int(years[0]) if len(years) == 1 and has_leap_day else None


def _read_tmy3(path: Path) -> tuple[_TypicalYear, Station, int | None]:
    try:
        data, meta = pvlib.iotools.read_tmy3(str(path), map_variables=True)
        dates = pd.to_datetime(data["Date (MM/DD/YYYY)"], format="%m/%d/%Y")
        hours = data["Time (HH:MM)"].str.split(":").str[0].astype(int).to_numpy()
        latitude, longitude = float(meta["latitude"]), float(meta["longitude"])
        tz, altitude = float(meta["TZ"]), float(meta["altitude"])
        values = data[["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]].astype(float)
    except Exception as exc:  # pvlib raises many types on malformed files
        raise PeakzeroError(
            f"{path.name}: cannot be read as TMY3 ({type(exc).__name__}: {exc}). A TMY3 file has "
            "a metadata line (USAF,name,state,TZ,lat,lon,elevation) then the NSRDB header.",
            field="weather",
        ) from exc
    values["pressure"] = values["pressure"] * 100.0  # mbar -> Pa
    station = Station(
        wmo_id=str(meta["USAF"]),
        name=str(meta["Name"]).strip('"'),
        province=str(meta["State"]),
        latitude_deg=latitude,
        longitude_deg=longitude,
        elevation_m=altitude,
        utc_offset_h=tz,
        source=str(path),
    )
    typical = _TypicalYear(
        month=dates.dt.month.to_numpy(),
        day=dates.dt.day.to_numpy(),
        hour=hours,
        values=values.reset_index(drop=True),
        records_per_hour=1,
        utc_offset_h=tz,
        first_line=3,
    )
    return typical, station, None


def _sniff(path: Path, text: str) -> str:
    name = path.name.lower().removesuffix(".xz")
    head = text[:4000].splitlines()
    if name.endswith(".epw") or (head and head[0].upper().startswith("LOCATION,")):
        return "epw"
    if len(head) > 1 and head[1].startswith("Date (MM/DD/YYYY)"):
        return "tmy3"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise PeakzeroError(
        f"{path.name}: unknown weather file type; give an EPW (.epw), a TMY3 (.csv with the "
        "NSRDB header) or a plain CSV (timestamp, ghi, temp_air, wind_speed).",
        field="weather",
    )


def read_weather_file(
    path: Path,
    *,
    latitude_deg: float | None = None,
    longitude_deg: float | None = None,
    elevation_m: float | None = None,
    year: int | None = None,
) -> Weather:
    """Read, check and complete a user weather file.

    Parameters
    ----------
    path
        EPW (``.epw``, optionally ``.epw.xz``), TMY3 (``.csv`` with the NSRDB header) or a
        plain CSV with columns ``timestamp, ghi [, dni, dhi], temp_air, wind_speed [, pressure]``
        ([W/m2], [deg C], [m/s], [Pa]).
    latitude_deg, longitude_deg
        Site location [deg]; required for a plain CSV, override the file's location for
        EPW/TMY3.
    elevation_m
        Site elevation [m]; default: the file's, or 0 m for a plain CSV.
    year
        EPW/TMY3: calendar year to label the typical year with (default 2023, or for an EPW
        of one actual leap year with 29 February, that year). Plain CSV: must match the data.

    Returns
    -------
    Weather
        UTC+8, interval-beginning labels, no NaN; ``notes`` say what was assumed or changed.

    Raises
    ------
    PeakzeroError
        Naming the field and line for every problem found (see the module docstring).
    """
    path = Path(path)
    if path.is_dir():
        raise PeakzeroError(
            f"weather file {str(path)!r} is a folder, not a file; give the weather file's path.",
            field="weather",
        )
    if not path.is_file():
        raise PeakzeroError(
            f"weather file {str(path)!r} does not exist. Check the path.", field="weather"
        )
    if latitude_deg is not None:
        check_range("latitude", latitude_deg, -90, 90, unit="deg", fix="Use decimal degrees north.")
    if longitude_deg is not None:
        check_range(
            "longitude", longitude_deg, -180, 180, unit="deg", fix="Use decimal degrees east."
        )
    if elevation_m is not None:
        check_range("elevation", elevation_m, -500, 9000, unit="m")
    if year is not None:
        check_range("year", year, 1900, 2200, fix="Give a four-digit calendar year.")
    text = _read_text(path)
    kind = _sniff(path, text)
    where = path.name
    notes: list[str] = []
    if kind == "csv":
        if latitude_deg is None or longitude_deg is None:
            raise PeakzeroError(
                f"{where}: a plain weather CSV has no location; give the site's latitude and "
                "longitude.",
                field="latitude" if latitude_deg is None else "longitude",
            )
        frame, notes = parse_csv(text, where)
        interval = int((frame.index[1] - frame.index[0]) / pd.Timedelta(minutes=1))
        if year is not None and frame.index[0].year != year:
            frame, note = _move_to_year(frame, year, interval, where)
            notes.append(note)
        row_label, first_row = "line", 2
        station = Station(
            wmo_id="",
            name=path.stem,
            province="",
            latitude_deg=latitude_deg,
            longitude_deg=longitude_deg,
            elevation_m=0.0 if elevation_m is None else elevation_m,
            utc_offset_h=8.0,
            source=str(path),
        )
        if elevation_m is None:
            notes.append("no elevation given: 0 m assumed.")
        frame, more = check_values(frame, where=where, line_of=lambda i: f"line {i + 2}")
        notes += more
        frame, more = fill_gaps(
            frame, interval_minutes=interval, where=where, row_label=row_label, first_row=first_row
        )
        notes += more
        days = len(frame) * interval / 1440
        if days not in (365, 366):
            notes.append(
                f"the data cover {days:g} days, not a full year: annual totals from them "
                "cover only these days."
            )
    else:
        typical, station, file_year = _read_epw(path, text) if kind == "epw" else _read_tmy3(path)
        line = typical.first_line
        values, notes = check_values(
            typical.values, where=where, line_of=lambda i: f"line {i + line}"
        )
        interval = 60 // typical.records_per_hour
        values, more = fill_gaps(
            values, interval_minutes=interval, where=where, row_label="line", first_row=line
        )
        notes += more
        typical = _TypicalYear(
            month=typical.month,
            day=typical.day,
            hour=typical.hour,
            values=values,
            records_per_hour=typical.records_per_hour,
            utc_offset_h=typical.utc_offset_h,
            first_line=line,
        )
        target = year if year is not None else (file_year if file_year is not None else 2023)
        frame, more = _typical_to_frame(typical, target, where)
        notes += more
        notes += _tz_note(station.utc_offset_h, station.longitude_deg)
        changes: dict[str, float] = {}
        if latitude_deg is not None:
            changes["latitude_deg"] = latitude_deg
        if longitude_deg is not None:
            changes["longitude_deg"] = longitude_deg
        if elevation_m is not None:
            changes["elevation_m"] = elevation_m
        if changes:
            station = replace(
                station,
                latitude_deg=changes.get("latitude_deg", station.latitude_deg),
                longitude_deg=changes.get("longitude_deg", station.longitude_deg),
                elevation_m=changes.get("elevation_m", station.elevation_m),
            )
            notes.append(
                "location given used instead of the file's: "
                + ", ".join(f"{k} = {v:g}" for k, v in changes.items())
                + "."
            )
    frame, more = complete_irradiance(
        frame,
        interval_minutes=interval,
        latitude_deg=station.latitude_deg,
        longitude_deg=station.longitude_deg,
        elevation_m=station.elevation_m,
    )
    notes += more
    frame, more = add_pressure(frame, station.elevation_m)
    notes += more
    frame = frame[list(COLUMNS)].astype(np.float64)
    frame.index = pd.DatetimeIndex(frame.index, freq=f"{interval}min", name=None)
    if frame.isna().to_numpy().any():  # every path above fills or refuses; keep the promise
        raise PeakzeroError(f"{where}: missing values remain after reading.", field="weather")
    centre: float | None = None
    if kind == "epw" and text.split(",", 5)[4:5] == ["CSWD"]:
        centre = CSWD_IRRADIANCE_CENTRE_MINUTES
        notes.append("CSWD file: irradiance taken as centred on each hour's label time.")
    return Weather(
        station=station,
        data=frame,
        source=str(path),
        notes=tuple(notes),
        irradiance_centre_minutes=centre,
    )
