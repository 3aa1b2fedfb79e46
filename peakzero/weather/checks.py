"""Checks and completion shared by the weather-file readers.

Value limits, gap filling, the GHI -> DNI/DHI decomposition (Erbs) and the pressure from the
elevation. Each function takes plain frames and returns new ones plus notes for the user.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pvlib

from peakzero.errors import PeakzeroError
from peakzero.weather.gaps import MAX_GAP_HOURS, fill_short_gaps

#: Allowed range per column: (low, high, unit). GHI 0..1500 W/m2 is above the highest
#: one-hour GHI ever measured at ground level in China (cloud enhancement included).
LIMITS: dict[str, tuple[float, float, str]] = {
    "ghi": (0.0, 1500.0, "W/m2"),
    "dni": (0.0, 1500.0, "W/m2"),
    "dhi": (0.0, 1500.0, "W/m2"),
    "temp_air": (-70.0, 60.0, "deg C"),
    "wind_speed": (0.0, 75.0, "m/s"),
    "pressure": (40000.0, 110000.0, "Pa"),
}
IRRADIANCE = ("ghi", "dni", "dhi")
#: An irradiance column whose largest value is below this is in kW/m2: a year of W/m2 data
#: peaks near 1000 W/m2, while a kW/m2 column peaks near 1.0-1.2.
KW_PER_M2_BELOW = 1.5
#: Pyranometers read slightly negative at night (thermal offset); readings from this value
#: [W/m2] up to 0 are set to 0 and counted, lower readings are an error.
NIGHT_OFFSET_W_PER_M2 = -10.0
#: Above this zenith [deg] the direct component is set to zero (as in pvlib's erbs).
MAX_ZENITH_DEG = 87.0


def check_values(
    frame: pd.DataFrame, *, where: str, line_of: Callable[[int], str]
) -> tuple[pd.DataFrame, list[str]]:
    """Refuse values outside :data:`LIMITS`; zero small negative irradiance.

    Parameters
    ----------
    frame
        Columns named as in :data:`LIMITS` (others are ignored); NaN is allowed (missing).
    where
        File name for messages.
    line_of
        Describes row position ``i`` for messages, e.g. ``"line 12 (2023-01-01 10:00)"``.
    """
    out = frame.copy()
    notes: list[str] = []
    for column, (low, high, unit) in LIMITS.items():
        if column not in out.columns:
            continue
        values = np.array(out[column], dtype=np.float64)
        if column in IRRADIANCE:
            small = (values < 0) & (values >= NIGHT_OFFSET_W_PER_M2)
            if small.any():
                values[small] = 0.0
                out[column] = values
                notes.append(
                    f"{int(small.sum())} {column} values between {NIGHT_OFFSET_W_PER_M2:g} and "
                    "0 W/m2 (sensor night offset) were set to 0."
                )
        finite = values[np.isfinite(values)]
        if column in IRRADIANCE and finite.size and 0 < finite.max() < KW_PER_M2_BELOW:
            raise PeakzeroError(
                f"{where}: every {column} value is below {KW_PER_M2_BELOW:g} (largest "
                f"{finite.max():g}): the column is in kW/m2, not W/m2. Multiply it by 1000 "
                f"(a clear noon reaches about 1000 W/m2).",
                field=column,
            )
        bad = (values < low) | (values > high)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise PeakzeroError(
                f"{where}: {column} = {values[row]:g} {unit} at {line_of(row)} is outside the "
                f"allowed {low:g} to {high:g} {unit} ({int(bad.sum())} such values). Correct the "
                f"file: {column} must be in {unit}"
                + (" (not kW/m2 or Wh per interval)" if column in IRRADIANCE else "")
                + "; blank cells in runs up to "
                f"{MAX_GAP_HOURS:g} h are interpolated.",
                field=column,
            )
    return out, notes


def fill_gaps(
    frame: pd.DataFrame, *, interval_minutes: int, where: str, row_label: str, first_row: int
) -> tuple[pd.DataFrame, list[str]]:
    """Interpolate short runs of missing values; see :func:`.gaps.fill_short_gaps`."""
    columns = [c for c in LIMITS if c in frame.columns]
    out, filled = fill_short_gaps(
        frame,
        columns,
        interval_minutes=interval_minutes,
        where=where,
        row_label=row_label,
        first_row=first_row,
    )
    counts = ", ".join(f"{n} {c}" for c, n in filled.items() if n)
    notes = [f"filled missing values by linear interpolation: {counts}."] if counts else []
    return out, notes


def solar_zenith_deg(
    index: pd.DatetimeIndex,
    interval_minutes: int,
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float,
) -> np.ndarray:
    """True solar zenith at the middle of each interval [deg] (pvlib NREL SPA, numpy)."""
    middle = index + pd.Timedelta(minutes=interval_minutes / 2)
    position = pvlib.solarposition.get_solarposition(
        middle, latitude_deg, longitude_deg, altitude=elevation_m
    )
    return np.asarray(position["zenith"], dtype=np.float64)


def complete_irradiance(
    frame: pd.DataFrame,
    *,
    interval_minutes: int,
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float,
) -> tuple[pd.DataFrame, list[str]]:
    """Add DNI and DHI [W/m2] when the frame has only GHI (or only one of them).

    Only GHI: the Erbs decomposition [1]_ via :func:`pvlib.irradiance.erbs`, with the solar
    zenith at the middle of each interval. One of DNI/DHI: closure ``GHI = DHI + DNI cos(z)``.

    References
    ----------
    .. [1] D. G. Erbs, S. A. Klein, J. A. Duffie, "Estimation of the diffuse radiation
       fraction for hourly, daily and monthly-average global radiation", Solar Energy 28(4),
       293-302 (1982).
    """
    has_dni, has_dhi = "dni" in frame.columns, "dhi" in frame.columns
    if has_dni and has_dhi:
        return frame, []
    index = pd.DatetimeIndex(frame.index)
    zenith = solar_zenith_deg(index, interval_minutes, latitude_deg, longitude_deg, elevation_m)
    ghi = frame["ghi"].to_numpy(dtype=np.float64)
    out = frame.copy()
    cos_z = np.cos(np.radians(zenith))
    low_sun = zenith > MAX_ZENITH_DEG
    if not has_dni and not has_dhi:
        middle = index + pd.Timedelta(minutes=interval_minutes / 2)
        parts = pvlib.irradiance.erbs(
            ghi, zenith, np.asarray(middle.day_of_year), max_zenith=MAX_ZENITH_DEG
        )
        out["dni"] = np.clip(np.asarray(parts["dni"], dtype=np.float64), 0.0, None)
        out["dhi"] = np.clip(np.asarray(parts["dhi"], dtype=np.float64), 0.0, ghi)
        note = "only GHI given: DNI and DHI estimated with the Erbs decomposition (pvlib)."
    elif has_dni:
        dni = np.where(low_sun, 0.0, frame["dni"].to_numpy(dtype=np.float64))
        out["dni"] = dni
        out["dhi"] = np.clip(ghi - dni * cos_z, 0.0, ghi)
        note = "DHI computed from GHI and DNI (GHI = DHI + DNI cos(zenith))."
    else:
        dhi = np.minimum(frame["dhi"].to_numpy(dtype=np.float64), ghi)
        out["dhi"] = dhi
        direct = np.divide(ghi - dhi, cos_z, out=np.zeros_like(ghi), where=~low_sun)
        out["dni"] = np.clip(direct, 0.0, LIMITS["dni"][1])
        note = "DNI computed from GHI and DHI (GHI = DHI + DNI cos(zenith))."
    return out, [note]


def add_pressure(frame: pd.DataFrame, elevation_m: float) -> tuple[pd.DataFrame, list[str]]:
    """Add a constant ``pressure`` [Pa] from the elevation when the frame has none.

    Uses :func:`pvlib.atmosphere.alt2pres` (standard atmosphere).
    """
    if "pressure" in frame.columns:
        return frame, []
    out = frame.copy()
    pressure = float(pvlib.atmosphere.alt2pres(elevation_m))
    out["pressure"] = pressure
    return out, [f"no pressure given: {pressure:.0f} Pa from the elevation {elevation_m:g} m."]
