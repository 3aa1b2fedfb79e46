"""Timestamp styles (peakzero.load.dates) and the meter-year mapping (peakzero.load.align)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peakzero.calendar import day_types
from peakzero.errors import PeakzeroError
from peakzero.load.align import map_days_to_year, map_to_year
from peakzero.load.dates import excel_serial_stamps, is_excel_serial, parse_stamps
from peakzero.load.reader import LoadReading


@pytest.mark.parametrize(
    ("cells", "want"),
    [
        (["2025-03-04 05:06"], "2025-03-04 05:06"),
        (["2025/3/4 5:06"], "2025-03-04 05:06"),
        (["2025年3月4日 5:06"], "2025-03-04 05:06"),
        (["2025年3月4日5时6分"], "2025-03-04 05:06"),
        (["2025-03-04T05:06:00+08:00"], "2025-03-04 05:06"),
        (["2025-03-04 24:00"], "2025-03-05 00:00"),
        (["13/03/2025 05:06", "04/03/2025 05:06"], "2025-03-13 05:06"),  # day first: 13 > 12
        (["03/13/2025 05:06", "03/04/2025 05:06"], "2025-03-13 05:06"),  # month first
    ],
)
def test_stamp_styles(cells: list[str], want: str) -> None:
    index, _ = parse_stamps(cells, what="f")
    assert index[0] == pd.Timestamp(want)


def test_ambiguous_day_month_needs_date_format() -> None:
    cells = ["03/04/2025 00:00", "04/04/2025 00:00"]
    with pytest.raises(PeakzeroError, match="date_format") as info:
        parse_stamps(cells, what="f")
    assert info.value.field == "date_format"
    index, _ = parse_stamps(cells, what="f", date_format="dd/mm/yyyy")
    assert index[0] == pd.Timestamp("2025-04-03")
    index, _ = parse_stamps(cells, what="f", date_format="mm/dd/yyyy")
    assert index[0] == pd.Timestamp("2025-03-04")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["2025-02-29 00:00"], "impossible"),
        (["2025-01-01 24:30"], "impossible"),
        (["tomorrow"], "cannot read"),
        (["2025-01-01T00:00:00+01:00"], r"\+08:00"),
    ],
)
def test_bad_stamps_refused(cells: list[str], message: str) -> None:
    with pytest.raises(PeakzeroError, match=message):
        parse_stamps(cells, what="f")


def test_meter_year_mapped_by_day_type_with_monthly_kwh_kept() -> None:
    """2025 (holidays bundled) onto 2026: every 2026 day gets a 2025 day of its own kind, and
    each month's energy is 2025's (both years have the same days per month)."""
    src_days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    tgt_days = pd.date_range("2026-01-01", "2026-12-31", freq="D")
    rng = np.random.default_rng(0)
    kinds = {"workday": 100.0, "weekend": 40.0, "holiday": 10.0}
    level = np.array([kinds[k] for k in day_types(src_days)]) + rng.uniform(0, 1, len(src_days))
    hourly = np.repeat(level, 24)
    out, note = map_to_year(hourly, 2025, 2026, steps_per_day=24)
    daily = out.reshape(-1, 24).mean(axis=1)
    # day kind recovered from the level band (scaling per month moves levels by a few percent)
    got = np.where(daily > 70, "workday", np.where(daily > 25, "weekend", "holiday"))
    assert (got == day_types(tgt_days)).mean() == 1.0
    src_month = pd.Series(hourly).groupby(np.repeat(src_days.month, 24)).sum()
    tgt_month = pd.Series(out).groupby(np.repeat(tgt_days.month, 24)).sum()
    # monthly kWh kept: a product and a sum per month, float round-off only
    np.testing.assert_allclose(tgt_month.to_numpy(), src_month.to_numpy(), rtol=1e-12)
    assert "mapped onto 2026" in note


@pytest.mark.parametrize(
    ("cells", "want"),
    [
        (["45658"], "2025-01-01 00:00"),  # 45658 days after 1899-12-30
        (["45658.5"], "2025-01-01 12:00"),
        (["45658.0104166667"], "2025-01-01 00:15"),  # 15/1440 written to 10 decimals
        (["45658,75"], "2025-01-01 18:00"),  # decimal comma (a European Excel)
        (["45351.999305555555"], "2024-02-29 23:59"),  # the leap day
    ],
)
def test_excel_serial_dates(cells: list[str], want: str) -> None:
    assert is_excel_serial(cells)
    index, notes = parse_stamps(cells, what="f")
    assert index[0] == pd.Timestamp(want) and "Excel serial" in notes[0]
    assert excel_serial_stamps(cells)[0] == pd.Timestamp(want)


@pytest.mark.parametrize("cells", [["12.5"], ["45658.5", "load"], ["99999.5"], ["2025"]])
def test_numbers_that_are_not_serial_dates(cells: list[str]) -> None:
    assert not is_excel_serial(cells)


def test_mid_year_meter_is_mapped_by_month_and_day_type() -> None:
    """2024-07-01 .. 2025-06-30 onto 2025: each 2025 day takes a meter day of the same kind
    from the same month (the January days come from January 2025, the July days from July
    2024), and each month keeps its kWh per day."""
    days = pd.date_range("2024-07-01", "2025-06-30", freq="D")
    kinds = day_types(days)
    # one value per day that tells its month and kind: 100 x month + 1 on workdays
    daily = 100.0 * np.asarray(days.month) + (kinds == "workday")
    values = np.repeat(daily, 24)
    out, note = map_days_to_year(values, pd.Timestamp("2024-07-01"), 2025, steps_per_day=24)
    assert note.startswith("meter year 2024-07-01 to 2025-06-30 mapped onto 2025")
    target = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    got = out.reshape(-1, 24)[:, 0]
    # each month's days are scaled to keep its kWh per day (a factor within 0.2 % here: the
    # kinds differ by 1 in 100 x month), so the month a value came from is its hundreds, rounded
    np.testing.assert_array_equal(np.round(got / 100.0), np.asarray(target.month))
    for m in range(1, 13):
        src = daily[np.asarray(days.month) == m]
        tgt = got[np.asarray(target.month) == m]
        assert tgt.mean() == pytest.approx(src.mean(), rel=1e-12)  # kWh per day kept


def test_ten_minute_demand_splits_each_interval_in_halves() -> None:
    """Quarter-hours over 10-minute data: (2a + b) / 3 and (a + 2b) / 3 (hand-derived)."""
    index = pd.date_range("2025-01-01", periods=6, freq="10min", tz="Asia/Shanghai")
    kw = pd.Series([30.0, 60.0, 90.0, 0.0, 0.0, 120.0], index=index)
    reading = LoadReading(kw=kw, interval_minutes=10, notes=(), unit="kW", meter_year=2025)
    want = [(2 * 30 + 60) / 3, (60 + 2 * 90) / 3, (2 * 0 + 0) / 3, (0 + 2 * 120) / 3]
    np.testing.assert_allclose(reading.demand_kw.to_numpy(), want, rtol=0, atol=1e-12)
    assert reading.demand_kw.index[1] == index[0] + pd.Timedelta(minutes=15)
    # energy conserved: 15-minute means x 0.25 h = 10-minute means x 1/6 h
    assert reading.demand_kw.sum() / 4 == pytest.approx(kw.sum() / 6, rel=1e-12)
    assert reading.hourly_kw.iloc[0] == pytest.approx(kw.mean(), rel=1e-12)
