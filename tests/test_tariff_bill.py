"""Golden bills computed by hand (arithmetic in the comments) and an independent re-check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tariff_hand import hand_bill, raw_tariff

from peakzero.errors import PeakzeroError
from peakzero.tariff import PERIODS, compute_bill, hourly_periods, list_tariffs, load_tariff

TZ = "Etc/GMT-8"
# Money tolerance: bills are sums of <= 35136 products of exact decimal inputs; float round-off
# stays far below a thousandth of a yuan.
YUAN_TOL = 1e-6


def hours(start: str, end: str, freq: str = "h") -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq=freq, inclusive="left", tz=TZ)


def test_golden_jiangsu_leap_year() -> None:
    """Jiangsu two-part, 2024 (leap: 8784 h, February 29 days).

    Flat 0.6 yuan/kWh -> peak 0.6 x 1.8 = 1.08, valley 0.6 x 0.35 = 0.21.
    Load: 100 kW every hour, plus 100 kW more in hour 14:00-15:00 (200 kW).
    Summer/winter months (Jan, Feb, Jun, Jul, Aug, Dec): peak 14-22 (8 h), valley 0-6 + 11-13
    (8 h), flat 8 h. Base 100 x (8 x 1.08 + 8 x 0.6 + 8 x 0.21) = 100 x 15.12 = 1512 yuan/day;
    hour 14 is peak: extra 100 kWh x 1.08 = 108 -> 1620 yuan/day.
    Spring/autumn months: peak 15-22 (7 h), valley 2-6 + 10-14 (8 h), flat 9 h.
    Base 100 x (7 x 1.08 + 9 x 0.6 + 8 x 0.21) = 100 x 14.64 = 1464; hour 14 is flat: extra
    100 x 0.6 = 60 -> 1524 yuan/day.
    Days: summer/winter 31+29+30+31+31+31 = 183, spring/autumn 31+30+31+30+31+30 = 183.
    Energy: 183 x 1620 + 183 x 1524 = 296460 + 278892 = 575352 yuan.
    Demand: 40 yuan/kW-month x 200 kW x 12 = 96000. Total 671352 yuan.
    February: 29 x 1620 = 46980 energy + 8000 demand = 54980; its peak energy
    29 x (8 x 100 + 100) = 26100 kWh costing 26100 x 1.08 = 28188 yuan.
    """
    tariff = load_tariff(
        "jiangsu_2025_two_part", flat_price_yuan_per_kwh=0.6, demand_charge_yuan_per_kw_month=40.0
    )
    index = hours("2024-01-01", "2025-01-01")
    assert len(index) == 8784
    load = np.where(index.hour == 14, 200.0, 100.0)
    bill = compute_bill(tariff, index, load)
    m = bill.monthly
    assert bill.total_yuan == pytest.approx(671352.0, abs=YUAN_TOL)
    assert m["energy_yuan"].sum() == pytest.approx(575352.0, abs=YUAN_TOL)
    assert m["demand_yuan"].sum() == pytest.approx(96000.0, abs=YUAN_TOL)
    assert m.loc[2, "total_yuan"] == pytest.approx(54980.0, abs=YUAN_TOL)
    assert m.loc[2, "energy_peak_kwh"] == pytest.approx(26100.0, abs=YUAN_TOL)
    assert m.loc[2, "energy_peak_yuan"] == pytest.approx(28188.0, abs=YUAN_TOL)
    assert m.loc[2, "import_kwh"] == pytest.approx(29 * 2500.0, abs=YUAN_TOL)
    assert len(m) == 12 and (m["export_credit_yuan"] == 0).all()


def test_golden_zhejiang_spring_festival_deep_valley() -> None:
    """Zhejiang, February 2024: Spring Festival 10-17 Feb (8 days) gets a deep valley 10-14.

    Flat 0.5; multipliers set in the test: peak 1.8 -> 0.9, valley 0.4 -> 0.2, deep 0.2 -> 0.1.
    February is an "other month": peak 8-11 + 13-17 (7 h), valley 0-8 + 11-13 (10 h), flat
    17-24 (7 h). On holidays 10-14 becomes deep valley: hours 10 and 13 leave peak, 11 and 12
    leave valley -> peak 5 h, valley 8 h, deep valley 4 h, flat 7 h.
    Load 10 kW. Ordinary day: 10 x (7 x 0.9 + 7 x 0.5 + 10 x 0.2) = 10 x 11.8 = 118 yuan.
    Holiday: 10 x (5 x 0.9 + 7 x 0.5 + 8 x 0.2 + 4 x 0.1) = 10 x 10.0 = 100 yuan.
    Energy: 21 x 118 + 8 x 100 = 2478 + 800 = 3278 yuan.
    Capacity: 20 yuan/kVA-month x 500 kVA = 10000 (one month with data).
    Export 4 kW in hour 12 every day: 29 x 4 = 116 kWh x 0.4 = 46.4 yuan credit.
    Total 3278 + 10000 - 46.4 = 13231.6 yuan.
    """
    tariff = load_tariff(
        "zhejiang_2024_two_part",
        flat_price_yuan_per_kwh=0.5,
        multipliers={
            "critical_peak": 2.2,
            "peak": 1.8,
            "flat": 1.0,
            "valley": 0.4,
            "deep_valley": 0.2,
        },
        demand_charge_yuan_per_kw_month=None,
        capacity_charge_yuan_per_kva_month=20.0,
        transformer_kva=500.0,
        export_price_yuan_per_kwh=0.4,
    )
    index = hours("2024-02-01", "2024-03-01")
    load = np.full(len(index), 10.0)
    export = np.where(index.hour == 12, 4.0, 0.0)
    bill = compute_bill(tariff, index, load, export)
    feb = bill.monthly.loc[2]
    assert feb["energy_yuan"] == pytest.approx(3278.0, abs=YUAN_TOL)
    assert feb["energy_deep_valley_kwh"] == pytest.approx(8 * 4 * 10.0, abs=YUAN_TOL)
    assert feb["capacity_yuan"] == pytest.approx(10000.0, abs=YUAN_TOL)
    assert feb["export_credit_yuan"] == pytest.approx(46.4, abs=YUAN_TOL)
    assert bill.total_yuan == pytest.approx(13231.6, abs=YUAN_TOL)
    # months without data carry no capacity charge
    assert bill.monthly.drop(index=2)["total_yuan"].abs().max() == 0.0


def test_golden_guangdong_quarter_hourly_critical_peak() -> None:
    """Guangdong, Tuesday 1 July 2025, 15-minute data, flat price 1.0 (so prices = multipliers).

    July: critical 11-12 + 15-17 (3 h, 2.125), peak 10-11 + 14-15 + 17-19 (4 h, 1.7),
    valley 0-8 (8 h, 0.38), flat 8-10 + 12-14 + 19-24 (9 h, 1.0).
    Base 40 kW: 40 x (3 x 2.125 + 4 x 1.7 + 8 x 0.38 + 9 x 1.0) = 40 x 25.215 = 1008.6 yuan.
    Extra 40 kW for 11:00-11:15 (critical): 40 x 0.25 h x 2.125 = 21.25 -> energy 1029.85.
    Demand: the 15-minute maximum is 80 kW x 30 yuan/kW-month = 2400. Total 3429.85 yuan.
    """
    tariff = load_tariff(
        "guangdong_2021_two_part", flat_price_yuan_per_kwh=1.0, demand_charge_yuan_per_kw_month=30.0
    )
    index = hours("2025-07-01", "2025-07-02", freq="15min")
    load = np.full(96, 40.0)
    load[44] = 80.0  # 11:00-11:15
    bill = compute_bill(tariff, index, load)
    jul = bill.monthly.loc[7]
    assert jul["energy_yuan"] == pytest.approx(1029.85, abs=YUAN_TOL)
    assert jul["energy_critical_peak_yuan"] == pytest.approx(40 * 3 * 2.125 + 21.25, abs=YUAN_TOL)
    assert jul["max_demand_kw"] == 80.0
    assert bill.total_yuan == pytest.approx(3429.85, abs=YUAN_TOL)


def test_national_day_deep_valley_periods() -> None:
    """Zhejiang deep valley 10-14 on National Day 2025 (Oct 1-8), not on Oct 11 (worked Sat)."""
    tariff = load_tariff("zhejiang_2024_two_part")
    index = pd.DatetimeIndex(
        ["2025-10-03 10:00", "2025-10-03 14:00", "2025-10-11 10:00", "2025-09-20 11:00"], tz=TZ
    )
    assert hourly_periods(tariff, index).tolist() == ["deep_valley", "peak", "peak", "valley"]


def test_zero_export_refused_and_small_roundoff_accepted() -> None:
    tariff = load_tariff("jiangsu_2025_two_part", export_limit_kw=0.0)
    index = hours("2025-06-01", "2025-06-02")
    load = np.full(24, 50.0)
    with pytest.raises(PeakzeroError, match="export_limit_kw"):
        compute_bill(tariff, index, load, np.where(index.hour == 12, 1.0, 0.0))
    ok = compute_bill(tariff, index, load, np.full(24, 1e-9))
    assert ok.monthly.loc[6, "export_kwh"] == pytest.approx(24e-9)


def test_bad_inputs() -> None:
    tariff = load_tariff("jiangsu_2025_two_part")
    index = hours("2025-01-01", "2025-01-02")
    with pytest.raises(PeakzeroError, match="shape"):
        compute_bill(tariff, index, np.ones(23))
    with pytest.raises(PeakzeroError, match=">= 0"):
        compute_bill(tariff, index, -np.ones(24))
    with pytest.raises(PeakzeroError, match="calendar year"):
        compute_bill(tariff, hours("2025-12-31", "2026-01-02"), np.ones(48))
    with pytest.raises(PeakzeroError, match="regular"):
        compute_bill(tariff, index.delete(5), np.ones(23))


# --------------------------------------------------------------------------- independent check


def reference_bill(name: str, index: pd.DatetimeIndex, load_kw: np.ndarray) -> float:
    """Interval-by-interval loop straight from the TOML text and holidays.csv (no
    peakzero.tariff code): see tests/tariff_hand.py, which also walks half-hour boundaries,
    weekend, date and holiday-block rules that the tariffs of every grid area use."""
    starts = [ts.to_pydatetime().replace(tzinfo=None) for ts in index.tz_convert(TZ)]
    minutes = int((index[1] - index[0]) / pd.Timedelta(minutes=1))
    return float(hand_bill(raw_tariff(name), starts, minutes, load_kw.tolist())["total_yuan"])


@pytest.mark.parametrize("name", list_tariffs())
def test_every_bundled_tariff_matches_hand_loop(name: str) -> None:
    """Random hourly load over Jan-May 2025 (Spring Festival, Qingming, Labour Day)."""
    index = hours("2025-01-01", "2025-06-01")
    rng = np.random.default_rng(7)
    load = rng.uniform(0.0, 500.0, len(index))
    bill = compute_bill(load_tariff(name), index, load)
    assert bill.total_yuan == pytest.approx(reference_bill(name, index, load), rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(list_tariffs()),
    scale=st.floats(0.1, 10.0),
    seed=st.integers(0, 2**16),
)
def test_bill_properties(name: str, scale: float, seed: int) -> None:
    """Energy charges scale linearly with the load, monthly components add up to the total, and
    periods' kWh add up to the imported kWh."""
    tariff = load_tariff(name)
    index = hours("2024-09-25", "2024-10-10")  # Mid-Autumn week and National Day
    load = np.random.default_rng(seed).uniform(0.0, 300.0, len(index))
    one = compute_bill(tariff, index, load).monthly
    many = compute_bill(tariff, index, scale * load).monthly
    assert many["energy_yuan"].to_numpy() == pytest.approx(scale * one["energy_yuan"].to_numpy())
    assert many["demand_yuan"].to_numpy() == pytest.approx(scale * one["demand_yuan"].to_numpy())
    parts = (
        one["energy_yuan"] + one["demand_yuan"] + one["capacity_yuan"] - one["export_credit_yuan"]
    )
    assert one["total_yuan"].to_numpy() == pytest.approx(parts.to_numpy())
    period_kwh = one[[f"energy_{p}_kwh" for p in PERIODS]].sum(axis=1)
    assert period_kwh.to_numpy() == pytest.approx(one["import_kwh"].to_numpy())
