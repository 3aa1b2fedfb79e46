"""Re-create the small CSV/TMY3 fixtures in this folder (run from the project root).

``truncated.epw`` is the 8 header lines and first 48 records of the CSWD Nanjing file and
``bad_location.epw`` was written by hand; they are not made here.
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def main() -> None:
    """Write the fixtures."""
    tmy3_header = (
        "Date (MM/DD/YYYY),Time (HH:MM),ETR (W/m^2),ETRN (W/m^2),GHI (W/m^2),GHI source,"
        "GHI uncert (%)"
    )
    tmy = [
        '703165,"SAND POINT",AK,-9.0,55.317,-160.517,7',
        tmy3_header,
        "01/01/1997,01:00,0,0,0,2,0",
        "01/01/1997,02:00,0,0,0,2,0",
    ]
    (HERE / "tmy3_broken.csv").write_text("\n".join(tmy) + "\n")
    # A synthetic clear-ish summer day in UTC+8 at 15-min steps (sine-shaped GHI).
    idx = pd.date_range("2023-06-21", periods=96, freq="15min")
    hours = idx.hour + idx.minute / 60 + 7.5 / 60
    ghi = np.clip(900 * np.sin(np.pi * (hours - 5.2) / 13.9), 0, None).round(0)
    temp = (25 + 5 * np.sin(np.pi * (hours - 9) / 12)).round(1)
    frame = pd.DataFrame(
        {
            "timestamp": idx.strftime("%Y-%m-%d %H:%M"),
            "ghi": ghi,
            "temp_air": temp,
            "wind_speed": 2.0,
        }
    )
    frame.to_csv(HERE / "csv_15min_day.csv", index=False)
    hourly = frame.iloc[::4].copy()
    hourly["timestamp"] = pd.date_range("2023-06-21", periods=24, freq="h").strftime(
        "%Y-%m-%d %H:%M"
    )

    def write(name: str, f: pd.DataFrame) -> None:
        f.to_csv(HERE / name, index=False)

    write("csv_duplicate.csv", pd.concat([hourly.iloc[:11], hourly.iloc[10:]]))
    write("csv_gap.csv", hourly.drop(hourly.index[11:14]))
    big = hourly.copy()
    big.iloc[12, 1] = 1800
    write("csv_ghi_range.csv", big)
    neg = hourly.copy()
    neg.iloc[12, 1] = -50
    write("csv_negative.csv", neg)
    write("csv_no_wind.csv", hourly.drop(columns="wind_speed"))
    txt = hourly.astype(str)
    txt.iloc[5, 2] = "n/a"
    write("csv_text_value.csv", txt)
    write("csv_partial_day.csv", hourly.iloc[6:])
    utc = hourly.copy()
    utc["timestamp"] = pd.date_range("2023-06-20 16:00", periods=24, freq="h").strftime(
        "%Y-%m-%dT%H:%M+00:00"
    )
    write("csv_utc.csv", utc)


if __name__ == "__main__":
    main()
