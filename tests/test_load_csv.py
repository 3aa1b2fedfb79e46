"""load_from_csv: accepted formats, unit conversion, and every refusal heuristic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.errors import PeakzeroError
from peakzero.load import load_from_csv

# Conversions are one multiplication or a mean of four values: exact to float round-off.
KW_TOL = 1e-9


def write(path: Path, times: pd.DatetimeIndex | None, values: np.ndarray, header: str) -> Path:
    data = (
        {header: values}
        if times is None
        else {"time": times.strftime("%Y-%m-%d %H:%M"), header: values}
    )
    pd.DataFrame(data).to_csv(path, index=False)
    return path


def stamps(year: int, freq: str) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq=freq, inclusive="left")


def test_hourly_kw_with_timestamps(tmp_path: Path) -> None:
    t = stamps(2025, "h")
    values = 100.0 + (t.hour.to_numpy() >= 8) * 50.0
    s = load_from_csv(write(tmp_path / "a.csv", t, values, "load_kw"))
    assert len(s) == 8760 and str(s.index.tz) == "Etc/GMT-8" and s.name == "load_kw"
    assert s.to_numpy() == pytest.approx(values, abs=KW_TOL)


def test_quarter_hourly_kwh_converted(tmp_path: Path) -> None:
    """Leap year 2024, 35136 quarter-hours of kWh: kW = kWh / 0.25 h, then the hourly mean.
    Hour 0 quarters 1, 2, 3, 4 kWh -> 4, 8, 12, 16 kW -> mean 10 kW."""
    t = stamps(2024, "15min")
    values = np.tile([1.0, 2.0, 3.0, 4.0], 8784)
    s = load_from_csv(write(tmp_path / "b.csv", t, values, "energy [kWh]"))
    assert len(s) == 8784
    assert s.iloc[0] == pytest.approx(10.0, abs=KW_TOL)
    assert s.sum() == pytest.approx(values.sum(), rel=1e-12)  # kWh preserved


def test_units_and_no_timestamps(tmp_path: Path) -> None:
    values = np.full(8760, 2500.0)
    s = load_from_csv(write(tmp_path / "w.csv", None, values, "power (W)"), year=2025)
    assert s.iloc[0] == pytest.approx(2.5, abs=KW_TOL)
    s = load_from_csv(write(tmp_path / "mw.csv", None, np.full(8760, 0.5), "MW"), year=2025)
    assert s.iloc[0] == pytest.approx(500.0, abs=KW_TOL)
    with pytest.raises(PeakzeroError, match="pass year"):
        load_from_csv(tmp_path / "w.csv")
    counter = pd.DataFrame({"hour": np.arange(1, 8761), "load_kw": np.full(8760, 7.0)})
    counter.to_csv(tmp_path / "counter.csv", index=False)
    assert load_from_csv(tmp_path / "counter.csv", year=2025).iloc[0] == 7.0


def test_interval_ending_stamps_shifted(tmp_path: Path) -> None:
    t = stamps(2025, "h") + pd.Timedelta(hours=1)  # 01:00 ... next year 00:00
    values = np.tile(np.arange(24, dtype=float), 365)  # value = hour of day
    s = load_from_csv(write(tmp_path / "e.csv", t, values, "kW"))
    assert s.index[0] == pd.Timestamp("2025-01-01 00:00", tz="Etc/GMT-8")
    assert s.iloc[5] == 5.0


@pytest.mark.parametrize(
    ("rows", "freq", "header", "year_arg", "message"),
    [
        (8759, "h", "kW", None, "8759 data rows"),
        (8761, "h", "kW", None, "one row off"),
        (8760, "15min", "kWh", None, "covering 91 days"),  # hourly data stamped at 15 minutes
        (35040, "h", "kW", None, "covering 1460 days"),  # quarter-hours stamped hourly
        (8760, None, "kW", 2024, "leap years have 8784"),
    ],
)
def test_length_and_resolution_refused(
    tmp_path: Path, rows: int, freq: str | None, header: str, year_arg: int | None, message: str
) -> None:
    t = None if freq is None else pd.date_range("2025-01-01", periods=rows, freq=freq)
    path = write(tmp_path / "x.csv", t, np.ones(rows), header)
    with pytest.raises(PeakzeroError, match=message):
        load_from_csv(path, year=year_arg)


def test_gaps_negatives_and_year_mismatch(tmp_path: Path) -> None:
    t = stamps(2025, "h")
    values = np.ones(8760)
    values[100] = np.nan
    with pytest.raises(PeakzeroError, match="1 missing"):
        load_from_csv(write(tmp_path / "nan.csv", t, values, "kW"))
    values = np.ones(8760)
    values[[5, 9]] = -3.0
    with pytest.raises(PeakzeroError, match=r"2 negative values.*lines \[7, 11\]"):
        load_from_csv(write(tmp_path / "neg.csv", t, values, "kW"))
    shifted = t.delete(50).append(pd.DatetimeIndex(["2026-01-01 00:00"]))
    with pytest.raises(PeakzeroError, match="not evenly 60 minutes"):
        load_from_csv(write(tmp_path / "gap.csv", shifted, np.ones(8760), "kW"))
    # issue 11 changed this: a meter year other than the plan year is mapped onto it, not refused
    mapped = load_from_csv(write(tmp_path / "y.csv", t, np.ones(8760), "kW"), year=2024)
    assert len(mapped) == 8784 and mapped.index[0].year == 2024
    assert mapped.to_numpy() == pytest.approx(1.0, abs=KW_TOL)


def test_hourly_kwh_copied_into_quarter_hours_refused(tmp_path: Path) -> None:
    """Hourly kWh repeated into four 15-minute rows would read as 4x the real power."""
    t = stamps(2025, "15min")
    hourly = np.random.default_rng(1).uniform(50, 100, 8760)
    path = write(tmp_path / "rep.csv", t, np.repeat(hourly, 4), "kWh")
    with pytest.raises(PeakzeroError, match="four quarter-hour kwh values are identical"):
        load_from_csv(path)
    # the same rows labelled kW are legitimate (constant mean power within each hour)
    ok = load_from_csv(write(tmp_path / "rep_kw.csv", t, np.repeat(hourly, 4), "kW"))
    assert ok.to_numpy() == pytest.approx(hourly, abs=KW_TOL)


def test_cumulative_register_refused(tmp_path: Path) -> None:
    t = stamps(2025, "h")
    register = 1000.0 + np.cumsum(np.full(8760, 80.0))
    with pytest.raises(PeakzeroError, match="cumulative meter register"):
        load_from_csv(write(tmp_path / "reg.csv", t, register, "kWh"))


def test_foreign_offset_refused(tmp_path: Path) -> None:
    t = stamps(2025, "h")
    frame = pd.DataFrame({"time": t.strftime("%Y-%m-%dT%H:%M:00+01:00"), "kW": np.ones(8760)})
    frame.to_csv(tmp_path / "tz.csv", index=False)
    with pytest.raises(PeakzeroError, match=r"\+08:00"):
        load_from_csv(tmp_path / "tz.csv")
    frame["time"] = t.strftime("%Y-%m-%dT%H:%M:00+08:00")
    frame.to_csv(tmp_path / "tz8.csv", index=False)
    assert len(load_from_csv(tmp_path / "tz8.csv")) == 8760


def test_five_minute_kw_kept_with_15_minute_demand_and_hourly_means(tmp_path: Path) -> None:
    """5-minute data: the native series is kept, the demand series is the mean of each three
    5-minute values, the hourly series the mean of twelve; energy is the same in all three."""
    from peakzero.load import read_load

    t = stamps(2025, "5min")
    values = np.round(np.random.default_rng(2).uniform(10, 90, len(t)), 2)
    reading = read_load(write(tmp_path / "five.csv", t, values, "load_kw"))
    assert reading.interval_minutes == 5 and len(reading.kw) == 105120
    demand = reading.demand_kw.to_numpy()
    assert demand == pytest.approx(values.reshape(-1, 3).mean(axis=1), abs=KW_TOL)
    assert reading.peak_kw == pytest.approx(demand.max(), abs=KW_TOL)
    hourly = reading.hourly_kw.to_numpy()
    assert hourly == pytest.approx(values.reshape(-1, 12).mean(axis=1), abs=KW_TOL)
    kwh = values.sum() * 5 / 60
    assert hourly.sum() == pytest.approx(kwh, rel=1e-12)
    assert demand.sum() * 0.25 == pytest.approx(kwh, rel=1e-12)
