"""Build the bundled weather library from the CSWD typical-year EPW files.

Usage::

    python scripts/build_weather.py --src ../shared/data/weather/cswd --out peakzero/data/weather

Reads every ``*.epw.xz`` (270 CSWD stations), treats EPW missing-value codes as missing, fills
runs of at most three hours by linear interpolation (counted per station in ``stations.csv``,
column ``filled_values``), refuses longer holes, and writes the files below. Values outside
physical limits (:data:`LIMITS`, e.g. one GHI of 2267 W/m2 at Huaiyang-Qingjiang) are printed,
counted in
``implausible_values`` and treated as missing.

- ``stations.csv``: one row per station, with its ``source``;
- ``cswd_hourly.npz``: one int16 array of shape (6, 8760) per station, key = WMO id, rows
  ``ghi, dni, dhi`` [1 W/m2], ``temp_air`` [0.1 deg C], ``wind_speed`` [0.1 m/s],
  ``pressure`` [10 Pa], EPW order (hour-ending hour 1 first). Each key is its own
  LZMA-compressed member, so loading one station decompresses only that station.
  Keys ``_columns`` and ``_scales`` describe the rows.
"""

from __future__ import annotations

import argparse
import io
import lzma
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from peakzero.weather.epw import parse_epw
from peakzero.weather.gaps import fill_short_gaps

COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")
SCALES = (1.0, 1.0, 1.0, 0.1, 0.1, 10.0)  # stored int16 * scale = value in W/m2, deg C, m/s, Pa
SOURCE = (
    "CSWD typical year (China Standard Weather Data, CMA Climate Information Center and "
    "Tsinghua University, May 2010), EnergyPlus file {file}"
)
#: Physical limits checked after parsing; a value outside is a build error, not data.
LIMITS = {
    "ghi": (0.0, 1500.0),
    "dni": (0.0, 1500.0),
    "dhi": (0.0, 1500.0),
    "temp_air": (-60.0, 55.0),
    "wind_speed": (0.0, 75.0),
    "pressure": (40000.0, 110000.0),
}


def _member(archive: zipfile.ZipFile, key: str, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    archive.writestr(key + ".npy", buffer.getvalue())


def build(src: Path, out: Path) -> pd.DataFrame:
    """Build ``stations.csv`` and ``cswd_hourly.npz`` in ``out``; return the station table."""
    files = sorted(src.glob("*.epw.xz"))
    if not files:
        raise SystemExit(f"no *.epw.xz files in {src}")
    rows: list[dict[str, object]] = []
    arrays: dict[str, np.ndarray] = {}
    for path in files:
        name = path.name.removesuffix(".xz")
        with lzma.open(path, "rt", encoding="latin-1") as handle:
            records = parse_epw(handle.read(), where=name)
        data = records.data
        loc = records.location
        if len(data) != 8760 or records.records_per_hour != 1:
            raise SystemExit(f"{name}: expected 8760 hourly records, got {len(data)}")
        implausible = 0
        for column, (low, high) in LIMITS.items():
            bad = (data[column] < low) | (data[column] > high)
            if bad.any():
                for row in np.flatnonzero(bad.to_numpy()).tolist():
                    print(
                        f"{name}: data line {row + 1}: {column} = {data[column].iat[row]} "
                        f"outside {low}..{high}, treated as missing"
                    )
                implausible += int(bad.sum())
                data.loc[bad, column] = np.nan
        filled_frame, filled = fill_short_gaps(
            data, list(COLUMNS), interval_minutes=60, where=name, row_label="data line"
        )
        stack = np.vstack(
            [np.round(filled_frame[c].to_numpy() / s) for c, s in zip(COLUMNS, SCALES, strict=True)]
        )
        if np.abs(stack).max() > np.iinfo(np.int16).max:
            raise SystemExit(f"{name}: value does not fit int16")
        if loc.wmo_id in arrays:
            raise SystemExit(f"{name}: duplicate WMO id {loc.wmo_id}")
        arrays[loc.wmo_id] = stack.astype(np.int16)
        rows.append(
            {
                "wmo_id": loc.wmo_id,
                "name": loc.name,
                "province": loc.province,
                "latitude_deg": loc.latitude_deg,
                "longitude_deg": loc.longitude_deg,
                "elevation_m": loc.elevation_m,
                "utc_offset_h": loc.utc_offset_h,
                "annual_ghi_kwh_per_m2": round(float(filled_frame["ghi"].sum()) / 1000.0, 1),
                "filled_values": sum(filled.values()),
                "implausible_values": implausible,
                "source": SOURCE.format(file=name),
            }
        )
    table = pd.DataFrame(rows)
    out.mkdir(parents=True, exist_ok=True)
    npz_tmp = out / "cswd_hourly.npz.tmp"
    with zipfile.ZipFile(npz_tmp, "w", compression=zipfile.ZIP_LZMA) as archive:
        _member(archive, "_columns", np.array(COLUMNS))
        _member(archive, "_scales", np.array(SCALES))
        for key in sorted(arrays):
            _member(archive, key, arrays[key])
    csv_tmp = out / "stations.csv.tmp"
    table.to_csv(csv_tmp, index=False, lineterminator="\n")
    npz_tmp.replace(out / "cswd_hourly.npz")
    csv_tmp.replace(out / "stations.csv")
    return table


def dark_hours(data: pd.DataFrame, station: pd.Series, offset_minutes: float) -> int:
    """Hours with GHI > 0 while the sun is more than 3 deg below the horizon at label + offset."""
    import pvlib

    times = pd.DatetimeIndex(data.index) + pd.Timedelta(minutes=offset_minutes)
    position = pvlib.solarposition.get_solarposition(
        times, float(station["latitude_deg"]), float(station["longitude_deg"])
    )
    return int(((data["ghi"].to_numpy() > 0) & (position["zenith"].to_numpy() > 93.0)).sum())


def check_timing(table: pd.DataFrame) -> None:
    """Print, per station, the dark-but-sunny hours with the sun at the label and at label+30 min.

    Shows where the CSWD irradiance is centred in time (see ``Weather.irradiance_centre_minutes``).
    """
    from peakzero.weather import station_weather

    at_label = at_middle = 0
    for _, station in table.iterrows():
        data = station_weather(str(station["wmo_id"])).data
        label, middle = dark_hours(data, station, 0.0), dark_hours(data, station, 30.0)
        at_label += label
        at_middle += middle
        print(
            f"{station['name']:>20} {station['wmo_id']}: label {label:4d} h, middle {middle:4d} h"
        )
    print(f"all stations: sun at label {at_label} h, sun at interval middle {at_middle} h")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="folder with CSWD *.epw.xz")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--check-timing",
        action="store_true",
        help="after building, count sunny hours with the sun below the horizon (about 1 min)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    table = build(args.src, args.out)
    size_mb = sum(f.stat().st_size for f in args.out.iterdir() if f.is_file()) / 1e6
    print(
        f"{len(table)} stations, {int(table['filled_values'].sum())} values filled "
        f"({int(table['implausible_values'].sum())} of them implausible), "
        f"{size_mb:.1f} MB in {args.out}, {time.perf_counter() - start:.1f} s"
    )
    if args.check_timing:
        check_timing(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
