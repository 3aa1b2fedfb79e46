"""Property: any load written in any supported encoding, delimiter, date format and unit reads
back to the same kWh per interval (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from peakzero.load.reader import read_load

ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"]
DELIMITERS = [",", ";", "\t"]
DATES = [
    "iso",
    "slash",
    "zh",
    "ddmm",
    "mmdd",
    "dots",
    "iso_t_offset",
    "ending",
    "ending_24",
    "ending_midnight",
    "excel_serial",
]
UNITS = {"kW": 1.0, "kWh": 1.0, "MW": 1e-3, "MWh": 1e-3, "W": 1e3, "Wh": 1e3}
HEADERS = {
    "kW": ["有功功率({u})", "load_{l}", "负荷（{u}）", "power [{u}]"],
    "kWh": ["用电量({u})", "energy_{l}", "电量（{u}）", "consumption [{u}]"],
}
# Values are written with every digit of their decimal form, so the only error is one float
# multiplication and division per value: 1e-9 kWh absolute on values up to 1e4 kWh.
KWH_TOL = 1e-9


def _stamp(ts: pd.Timestamp, style: str, delimiter: str = ",") -> str:
    if style == "excel_serial":  # days since 1899-12-30, as Excel saves a date cell to CSV
        serial = f"{(ts - pd.Timestamp('1899-12-30')) / pd.Timedelta(days=1):.10f}"
        return serial.replace(".", ",") if delimiter == ";" else serial  # a decimal-comma Excel
    if style == "slash":
        return f"{ts.year}/{ts.month}/{ts.day} {ts.hour}:{ts.minute:02d}"
    if style == "zh":
        return f"{ts.year}年{ts.month}月{ts.day}日 {ts.hour}:{ts.minute:02d}"
    fmt = {"ddmm": "%d/%m/%Y %H:%M", "mmdd": "%m/%d/%Y %H:%M", "dots": "%d.%m.%Y %H:%M"}
    if style in fmt:
        return ts.strftime(fmt[style])
    if style == "iso_t_offset":
        return ts.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    return ts.strftime("%Y-%m-%d %H:%M")


def _stamps(index: pd.DatetimeIndex, style: str, step: int, delimiter: str) -> list[str]:
    if not style.startswith("ending"):
        return [_stamp(ts, style, delimiter) for ts in index]
    end = index + pd.Timedelta(minutes=step)
    if style == "ending":
        return [_stamp(ts, "iso") for ts in end]
    out = []
    for ts in end:
        midnight = ts.hour == 0 and ts.minute == 0
        if midnight and style == "ending_24":
            out.append(f"{ts - pd.Timedelta(days=1):%Y-%m-%d} 24:00")
        elif midnight:  # the midnight row carries the date of the day that ends
            out.append(f"{ts - pd.Timedelta(days=1):%d/%m/%Y} 00:00")
        else:
            out.append(
                ts.strftime("%d/%m/%Y %H:%M" if style == "ending_midnight" else "%Y-%m-%d %H:%M")
            )
    return out


def _number(value: float, decimals: int, delimiter: str, grouped: bool) -> str:
    text = f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
    if delimiter == ",":
        return f'"{text}"' if "," in text else text
    if delimiter == ";":  # decimal comma; trailing zeros dropped so "1,500" is never written
        plain = f"{value:.{decimals}f}"
        plain = plain.rstrip("0").rstrip(".") if "." in plain else plain
        return plain.replace(".", ",")
    return text.replace(",", "")


# Each example writes and reads a full year (up to 52,704 rows, about 1-2 s): 25 examples, and no
# shrinking (a failure prints its arguments; shrinking a year-long file takes minutes). The
# explicit examples make sure the newer forms run every time: 10-minute data, Excel serial dates
# (with a decimal comma under semicolons), interval-ending 10-minute stamps.
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from(DELIMITERS),
    date=st.sampled_from(DATES),
    unit=st.sampled_from(list(UNITS)),
    step=st.sampled_from([60, 30, 15, 10]),
    year=st.sampled_from([2023, 2024, 2025]),
    grouped=st.booleans(),
    header_no=st.integers(0, 3),
    seed=st.integers(0, 2**16),
)
@example(
    encoding="utf-8-sig",
    delimiter=";",
    date="excel_serial",
    unit="kWh",
    step=10,
    year=2024,
    grouped=False,
    header_no=1,
    seed=1,
)
@example(
    encoding="gbk",
    delimiter=",",
    date="excel_serial",
    unit="kW",
    step=15,
    year=2025,
    grouped=True,
    header_no=0,
    seed=2,
)
@example(
    encoding="utf-16",
    delimiter="\t",
    date="ending_midnight",
    unit="MWh",
    step=10,
    year=2023,
    grouped=True,
    header_no=2,
    seed=3,
)
@example(
    encoding="gb18030",
    delimiter=",",
    date="zh",
    unit="W",
    step=10,
    year=2025,
    grouped=False,
    header_no=3,
    seed=4,
)
def test_any_supported_file_reads_back_the_same_kwh(
    encoding: str,
    delimiter: str,
    date: str,
    unit: str,
    step: int,
    year: int,
    grouped: bool,
    header_no: int,
    seed: int,
) -> None:
    index = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq=f"{step}min", inclusive="left")
    rng = np.random.default_rng(seed)
    kwh = np.round(rng.uniform(0.5, 3000.0, len(index)), 3)  # kWh per interval, 3 decimals
    energy = unit.endswith("h")
    per_hour = 60 / step
    value = kwh * UNITS[unit] * (1.0 if energy else per_hour)  # the figure written
    decimals = {"kW": 3, "kWh": 3, "MW": 6, "MWh": 6, "W": 0, "Wh": 0}[unit]
    kind = "kWh" if energy else "kW"
    header = HEADERS[kind][header_no].format(u=unit, l=unit.lower())
    time_header = "时间" if header_no % 2 == 0 else "timestamp"
    stamps = _stamps(index, date, step, delimiter)
    lines = [f"{time_header}{delimiter}{header}"]
    lines += [
        f"{s}{delimiter}{_number(v, decimals, delimiter, grouped)}"
        for s, v in zip(stamps, value, strict=True)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "load.csv"
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        reading = read_load(path)
    assert reading.interval_minutes == step and reading.meter_year == year
    got = reading.kw.to_numpy() * step / 60.0
    np.testing.assert_allclose(
        got, kwh, rtol=0, atol=KWH_TOL * max(1.0, 1e3 * (unit in ("MW", "MWh")))
    )
    # the hourly series for the LP conserves the energy: kW x 1 h summed = the kWh written
    assert abs(float(reading.hourly_kw.sum()) - float(kwh.sum())) < 1e-6 * float(kwh.sum())
