"""Parse EnergyPlus Weather (EPW) text, with the EPW missing-value codes read as missing.

Used both by ``scripts/build_weather.py`` (the bundled CSWD data) and by the user-file reader.

References
----------
EnergyPlus, "Auxiliary Programs", chapter "Weather Converter Program", section "EnergyPlus
Weather File (EPW) Data Dictionary" (field order and missing-value codes).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakzero.errors import PeakzeroError

#: EPW data fields we use: (column position, our name, missing code). A value at or above the
#: code is missing (CSWD writes e.g. 9999 for radiation, 999999 for pressure, 999 for wind).
EPW_FIELDS: tuple[tuple[int, str, float], ...] = (
    (6, "temp_air", 99.9),
    (7, "temp_dew", 99.9),
    (9, "pressure", 999999.0),
    (13, "ghi", 9999.0),
    (14, "dni", 9999.0),
    (15, "dhi", 9999.0),
    (21, "wind_speed", 999.0),
)

#: Number of header lines before the data in an EPW file.
HEADER_LINES = 8


@dataclass(frozen=True)
class EpwLocation:
    """The ``LOCATION`` line of an EPW file."""

    name: str
    province: str
    country: str
    source: str
    wmo_id: str
    latitude_deg: float
    longitude_deg: float
    utc_offset_h: float
    elevation_m: float


@dataclass(frozen=True)
class EpwRecords:
    """Parsed EPW content, before any gap filling or re-labelling.

    ``data`` has integer columns ``year``, ``month``, ``day``, ``hour`` (1..24, hour-ending),
    ``minute`` and float columns named as in :data:`EPW_FIELDS` with NaN where the file had a
    missing code. ``records_per_hour`` comes from the ``DATA PERIODS`` line.
    """

    location: EpwLocation
    data: pd.DataFrame
    records_per_hour: int


def _location(line: str, where: str) -> EpwLocation:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) < 10 or parts[0].upper() != "LOCATION":
        raise PeakzeroError(
            f"{where}: line 1 must be the EPW 'LOCATION,city,state,country,source,WMO,lat,lon,"
            f"tz,elevation' line; got {line[:80]!r}. Is this an EPW file?",
            field="LOCATION",
        )
    try:
        lat, lon, tz, elev = (float(parts[i]) for i in (6, 7, 8, 9))
    except ValueError as exc:
        raise PeakzeroError(
            f"{where}: LOCATION line has a non-numeric latitude/longitude/time zone/elevation "
            f"({', '.join(parts[6:10])}). Fix the header of the file.",
            field="LOCATION",
        ) from exc
    return EpwLocation(
        name=parts[1],
        province=parts[2],
        country=parts[3],
        source=parts[4],
        wmo_id=parts[5],
        latitude_deg=lat,
        longitude_deg=lon,
        utc_offset_h=tz,
        elevation_m=elev,
    )


def _records_per_hour(lines: list[str]) -> int:
    for line in lines[1:HEADER_LINES]:
        parts = [p.strip() for p in line.split(",")]
        if parts[0].upper() == "DATA PERIODS" and len(parts) > 2:
            try:
                return max(1, int(parts[2]))
            except ValueError:
                return 1
    return 1


def parse_epw(text: str, *, where: str = "EPW file") -> EpwRecords:
    """Parse the text of an EPW file.

    Parameters
    ----------
    text
        The whole file content.
    where
        Name of the file, used in error messages.

    Returns
    -------
    EpwRecords
        Location, data with NaN for missing codes, records per hour.
    """
    lines = text.splitlines()
    location = _location(lines[0] if lines else "", where)
    if len(lines) <= HEADER_LINES:
        raise PeakzeroError(
            f"{where}: only {len(lines)} lines; an EPW file has {HEADER_LINES} header lines "
            "followed by one line per time step.",
            field="data",
        )
    body = "\n".join(line for line in lines[HEADER_LINES:] if line.strip())
    try:
        raw = pd.read_csv(io.StringIO(body), header=None, usecols=range(22), dtype=str)
    except (ValueError, pd.errors.ParserError) as exc:
        raise PeakzeroError(
            f"{where}: the data lines could not be read as EPW records ({exc}). Each data line "
            "needs at least 22 comma-separated fields.",
            field="data",
        ) from exc
    data = pd.DataFrame(index=raw.index)
    for pos, name in ((0, "year"), (1, "month"), (2, "day"), (3, "hour"), (4, "minute")):
        values = pd.to_numeric(raw[pos], errors="coerce")
        bad = values.isna() | (values != values.round())
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise PeakzeroError(
                f"{where}: data line {row + 1} (file line {row + 1 + HEADER_LINES}) has "
                f"{name} = {raw.iat[row, pos]!r}; expected a whole number.",
                field=name,
            )
        data[name] = values.astype(np.int64)
    for pos, name, code in EPW_FIELDS:
        values = pd.to_numeric(raw[pos], errors="coerce").astype(np.float64)
        data[name] = values.where(values < code)
    return EpwRecords(location=location, data=data, records_per_hour=_records_per_hour(lines))
