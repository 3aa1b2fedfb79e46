"""Golden bills: full years for every bundled tariff (leap year, holidays), quarter-hour demand,
temperature-triggered critical peaks, monthly flat prices and market price series.

Two kinds of reference, neither using ``peakzero.tariff``: closed-form arithmetic written out
in the docstrings, and the interval-by-interval hand biller of tests/tariff_hand.py, which reads
the TOML text and holidays.csv itself.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tariff_hand import hand_bill, raw_tariff

from peakzero.cli import main
from peakzero.tariff import (
    compute_bill,
    hourly_energy_price,
    hourly_periods,
    list_tariffs,
    load_tariff,
    tariff_from_dict,
    trigger_days,
)

TZ = "Etc/GMT-8"
# Money: bills are sums of <= 35136 products of decimal inputs; float round-off stays below
# a thousandth of a yuan on bills of up to ~10 million yuan.
YUAN_TOL = 1e-3
# Relative tolerance engine vs hand biller (same arithmetic, different summation order).
REL_TOL = 1e-10


def year_index(year: int, freq: str = "h") -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq=freq, inclusive="left", tz=TZ)


def factory_load(n: int, per_hour: int, seed: int) -> np.ndarray:
    """A two-shift-like load [kW]: day plateau, night base, noise (deterministic)."""
    hour = (np.arange(n) // per_hour) % 24
    rng = np.random.default_rng(seed)
    return 300.0 + 400.0 * ((hour >= 8) & (hour < 22)) + rng.uniform(0.0, 150.0, n)


def hot_spells(index: pd.DatetimeIndex) -> tuple[np.ndarray, set[dt.date]]:
    """Hourly temperature [deg C] with hot spells (max 36 deg C) of 1, 2 and 4 days in May and
    September, and the days each rule triggers on, derived by hand below."""
    clock = index.tz_convert(TZ)
    temp = 20.0 + 8.0 * np.sin((clock.hour.to_numpy() - 9) / 24 * 2 * np.pi)  # max 28 at 15:00
    hot = [dt.date(2024, 5, 6), dt.date(2024, 5, 13), dt.date(2024, 5, 14)]
    hot += [dt.date(2024, 9, d) for d in (9, 10, 11, 12)]
    on = np.isin(clock.date, hot)
    temp[on] += 8.0  # those days peak at 36 deg C
    return temp, set(hot)


def _starts(index: pd.DatetimeIndex) -> list[dt.datetime]:
    return [ts.to_pydatetime().replace(tzinfo=None) for ts in index.tz_convert(TZ)]


@pytest.mark.parametrize("name", list_tariffs())
def test_full_leap_year_every_tariff_against_hand_biller(name: str) -> None:
    """2024 (366 days, 29 February; Spring Festival, Qingming, Labour Day, Dragon Boat,
    Mid-Autumn, National Day; weekends) hour by hour, with hot spells for the temperature
    triggers. Energy, demand and total must equal the hand biller's."""
    index = year_index(2024)
    assert len(index) == 8784
    load = factory_load(len(index), 1, seed=len(name))
    temp, hot = hot_spells(index)
    raw = raw_tariff(name)
    trig = raw.get("critical_peak_trigger")
    # by hand: Guangdong triggers on every >= 35 deg C day; Sichuan on the third day running
    # (11 and 12 September: the spell runs 9-12 Sep; 6 May and 13-14 May are too short)
    hot_days: set[dt.date] = set()
    if trig is not None:
        third = {dt.date(2024, 9, 11), dt.date(2024, 9, 12)}
        hot_days = hot if trig["consecutive_days"] == 1 else third
        hot_days = {d for d in hot_days if d.month in trig["months"]}
    hand = hand_bill(raw, _starts(index), 60, load.tolist(), hot_days)
    bill = compute_bill(load_tariff(name), index, load, temp_air_c=temp)
    assert float(bill.monthly["energy_yuan"].sum()) == pytest.approx(
        hand["energy_yuan"], rel=REL_TOL
    )
    assert float(bill.monthly["demand_yuan"].sum()) == pytest.approx(
        hand["demand_yuan"], rel=REL_TOL
    )
    assert bill.total_yuan == pytest.approx(hand["total_yuan"], rel=REL_TOL)
    if not raw.get("market_formed"):
        assert bill.notes == ()


def test_sichuan_three_day_rule_by_hand() -> None:
    """The 4-day spell of 9-12 September 2024 triggers on the 3rd and 4th days only."""
    index = year_index(2024)
    temp, _ = hot_spells(index)
    on = trigger_days(load_tariff("sichuan_2025_two_part"), index, temp)
    days = sorted({ts.date() for ts in index.tz_convert(TZ)[on]})
    assert days == [dt.date(2024, 9, 11), dt.date(2024, 9, 12)]
    gd = trigger_days(load_tariff("guangdong_2021_two_part"), index, temp)
    assert len({ts.date() for ts in index.tz_convert(TZ)[gd]}) == 3  # 6, 13, 14 May (Sep fixed)


def test_golden_sichuan_leap_year_closed_form() -> None:
    """Sichuan two-part (川发改价格〔2025〕185号), 2024, 100 kW every hour, flat 0.65.

    Prices: peak 0.65 x 1.6 = 1.04, critical 1.04 x 1.2 = 1.248, valley 0.65 x 0.4 = 0.26.
    Hours per day (peak/critical, flat, valley) and yuan per kW-day:
      Mar-Jun, Oct-Nov (183 d): peak 10-12, 17-22 = 7; flat 8-10, 12-17 = 7; valley 10:
        7 x 1.04 + 7 x 0.65 + 10 x 0.26 = 7.28 + 4.55 + 2.60 = 14.43
      Jul-Aug (62 d): critical 13-14, 21-23 = 3; peak 11-13, 14-18, 20-21 = 7; flat 8; valley 6:
        3 x 1.248 + 7 x 1.04 + 8 x 0.65 + 6 x 0.26 = 3.744 + 7.28 + 5.2 + 1.56 = 17.784
      Sep (30 d): peak 11-18, 20-23 = 10; flat 8; valley 6: 10.4 + 5.2 + 1.56 = 17.16
      Dec-Feb (31 + 29 + 31 = 91 d): peak 8, flat 8, valley 8: 8.32 + 5.2 + 2.08 = 15.6
    Energy 100 x (183 x 14.43 + 62 x 17.784 + 30 x 17.16 + 91 x 15.6)
         = 100 x (2640.69 + 1102.608 + 514.8 + 1419.6) = 567769.8 yuan
    Demand 36.1 x 100 kW x 12 months = 43320 yuan. Total 611089.8 yuan.
    A hot spell of 10-14 May (5 days at 36 deg C) triggers 12, 13, 14 May: 13-14 flat -> critical
    (+0.598), 21-22 peak -> critical (+0.208), 22-23 valley -> critical (+0.988): 1.794 yuan per
    kW-day, x 100 kW x 3 days = 538.2 yuan more.
    """
    index = year_index(2024)
    tariff = load_tariff("sichuan_2025_two_part", flat_price_yuan_per_kwh=0.65)
    load = np.full(len(index), 100.0)
    bill = compute_bill(tariff, index, load)
    assert float(bill.monthly["energy_yuan"].sum()) == pytest.approx(567769.8, abs=YUAN_TOL)
    assert bill.total_yuan == pytest.approx(611089.8, abs=YUAN_TOL)
    assert bill.notes and "temperature" in bill.notes[0]  # no temperature: trigger not applied
    clock = index.tz_convert(TZ)
    temp = np.full(len(index), 25.0)
    temp[(clock.month == 5) & (clock.day >= 10) & (clock.day <= 14)] = 36.0
    hot = compute_bill(tariff, index, load, temp_air_c=temp)
    assert hot.total_yuan - bill.total_yuan == pytest.approx(538.2, abs=YUAN_TOL)
    assert hot.notes == ()


def test_guangdong_one_hot_day_by_hand() -> None:
    """Guangdong (粤发改价格〔2021〕331号), flat 0.68: 20 May 2025 reaches 35.0 deg C (the rule is
    >= 35), 21 May 34.9. On 20 May 11-12 and 15-17 (3 h) turn from peak (0.68 x 1.7) to critical
    (0.68 x 2.125): +3 x 0.68 x 0.425 x 100 kW = 86.7 yuan."""
    index = year_index(2025)
    clock = index.tz_convert(TZ)
    temp = np.full(len(index), 30.0)
    temp[(clock.month == 5) & (clock.day == 20) & (clock.hour == 14)] = 35.0
    temp[(clock.month == 5) & (clock.day == 21) & (clock.hour == 14)] = 34.9
    tariff = load_tariff("guangdong_2021_two_part", flat_price_yuan_per_kwh=0.68)
    load = np.full(len(index), 100.0)
    base = compute_bill(tariff, index, load, temp_air_c=np.full(len(index), 30.0))
    hot = compute_bill(tariff, index, load, temp_air_c=temp)
    assert hot.total_yuan - base.total_yuan == pytest.approx(86.7, abs=YUAN_TOL)
    day = pd.date_range("2025-05-20 10:00", periods=8, freq="h", tz=TZ)
    hourly = temp[(clock >= day[0]) & (clock <= day[-1])]
    assert hourly_periods(tariff, day, temp_air_c=hourly).tolist() == [
        "peak", "critical_peak", "flat", "flat", "peak", "critical_peak", "critical_peak", "peak",
    ]  # fmt: skip


def test_quarter_hour_demand_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Jiangsu two-part, 2025, flat 0.65, demand 36.1 yuan/kW-month: 400 kW every quarter-hour,
    except on 12 March 10:00-10:15 700 kW and 10:15-11:00 300 kW (the hour still averages 400).

    Energy (same on quarter-hours and hours): peak 0.65 x 1.8 = 1.17, valley 0.65 x 0.35 =
    0.2275. Summer/winter days (Jan 31, Feb 28, Jun 30, Jul 31, Aug 31, Dec 31 = 182): 8 h peak,
    8 h flat, 8 h valley = 9.36 + 5.2 + 1.82 = 16.38 yuan per kW-day; spring/autumn (183 d):
    7 h peak, 9 h flat, 8 h valley = 8.19 + 5.85 + 1.82 = 15.86.
    Energy 400 x (182 x 16.38 + 183 x 15.86) = 400 x (2981.16 + 2902.38) = 2353416 yuan.
    Demand on quarter-hours: 36.1 x (11 x 400 + 700) = 36.1 x 5100 = 184110 yuan (total
    2537526); on hourly means it would be 36.1 x 12 x 400 = 173280, 5.9 % low.
    """
    index = year_index(2025, "15min")
    load = np.full(len(index), 400.0)
    clock = index.tz_convert(TZ)
    spike = (clock.month == 3) & (clock.day == 12) & (clock.hour == 10)
    load[spike] = [700.0, 300.0, 300.0, 300.0]
    tariff = load_tariff("jiangsu_2025_two_part", flat_price_yuan_per_kwh=0.65)
    bill = compute_bill(tariff, index, load)
    assert bill.interval_minutes == 15
    assert float(bill.monthly["energy_yuan"].sum()) == pytest.approx(2353416.0, abs=YUAN_TOL)
    assert float(bill.monthly["demand_yuan"].sum()) == pytest.approx(184110.0, abs=YUAN_TOL)
    assert bill.monthly.loc[3, "max_demand_kw"] == 700.0
    hourly_load = load.reshape(-1, 4).mean(axis=1)
    hourly = compute_bill(tariff, year_index(2025), hourly_load)
    assert float(hourly.monthly["demand_yuan"].sum()) == pytest.approx(173280.0, abs=YUAN_TOL)
    # the same from the command line, on a 15-minute CSV
    csv = tmp_path / "load_15min.csv"
    stamps = clock.tz_localize(None).strftime("%Y-%m-%d %H:%M")
    pd.DataFrame({"timestamp": stamps, "load_kw": load}).to_csv(csv, index=False)
    assert main(["tariff", "bill", str(csv), "--tariff", "jiangsu_2025_two_part", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["interval_minutes"] == 15
    assert out["total_yuan"] == pytest.approx(2537526.0, abs=0.01)  # rounded to fen in the JSON


@pytest.mark.parametrize(
    "name", ["liaoning_2023_two_part", "jiangxi_2025_two_part", "sichuan_2025_two_part"]
)
def test_quarter_hour_year_against_hand_biller(name: str) -> None:
    """A full 15-minute year (2025) whose quarter-hours differ within each hour; Liaoning and
    Jiangxi change period at the half hour."""
    index = year_index(2025, "15min")
    load = factory_load(len(index), 4, seed=3)
    hand = hand_bill(raw_tariff(name), _starts(index), 15, load.tolist())
    bill = compute_bill(load_tariff(name), index, load, temp_air_c=np.full(len(index), 20.0))
    assert bill.total_yuan == pytest.approx(hand["total_yuan"], rel=REL_TOL)
    assert bill.monthly["max_demand_kw"].tolist() == pytest.approx(
        [hand["max_demand_kw"][m] for m in range(1, 13)]
    )


def test_half_hour_boundary_priced_by_hand() -> None:
    """Liaoning 07:30: an hourly interval 07:00-08:00 in April is half flat (0.65), half peak
    (0.65 x 1.5 = 0.975): mean 0.8125 yuan/kWh; at 15 minutes 0.65, 0.65, 0.975, 0.975."""
    tariff = load_tariff("liaoning_2023_two_part", flat_price_yuan_per_kwh=0.65)
    hour = pd.DatetimeIndex(["2025-04-08 07:00"], tz=TZ, freq="h")
    assert hourly_energy_price(tariff, hour).tolist() == pytest.approx([0.8125])
    quarters = pd.date_range("2025-04-08 07:00", periods=4, freq="15min", tz=TZ)
    assert hourly_energy_price(tariff, quarters).tolist() == pytest.approx(
        [0.65, 0.65, 0.975, 0.975]
    )


def test_monthly_flat_prices_by_hand() -> None:
    """12 agency-purchase flat prices 0.60, 0.61, ..., 0.71; one all-flat season; 10 kW all of
    2024: energy = 10 x 24 x sum(days_m x price_m)."""
    raw = {
        "name": "monthly",
        "flat_price_yuan_per_kwh": 0.65,
        "flat_price_by_month_yuan_per_kwh": [round(0.60 + 0.01 * m, 2) for m in range(12)],
        "multipliers": {"flat": 1.0},
        "seasons": [{"name": "all", "months": list(range(1, 13)), "periods": {"flat": [[0, 24]]}}],
        "source": "test",
    }
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    expected = 10 * 24 * sum(d * (0.60 + 0.01 * m) for m, d in enumerate(days))
    index = year_index(2024)
    bill = compute_bill(tariff_from_dict(raw), index, np.full(len(index), 10.0))
    assert bill.total_yuan == pytest.approx(expected, abs=YUAN_TOL)
    assert expected == pytest.approx(
        10 * 24 * (366 * 0.60 + 0.01 * sum(m * d for m, d in enumerate(days)))
    )


def test_market_price_series_replaces_the_tou_prices() -> None:
    """Gansu (market-formed): the user's hourly prices are billed; without them the bill says
    it used the default multipliers."""
    index = year_index(2025)
    load = factory_load(len(index), 1, seed=11)
    price = 0.30 + 0.05 * (np.arange(len(index)) % 7)
    tariff = load_tariff("gansu_2024_two_part")
    bill = compute_bill(tariff, index, load, price_yuan_per_kwh=price)
    months = index.tz_convert(TZ).month.to_numpy()
    peaks = sum(load[months == m].max() for m in range(1, 13))
    assert bill.total_yuan == pytest.approx(float(load @ price) + 36.1 * peaks, rel=REL_TOL)
    assert bill.notes == ()
    assert "market-formed" in compute_bill(tariff, index, load).notes[0]


def test_cli_bill_with_station_temperature_and_market_prices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tariff bill --province 广东 --station Guangzhou` applies hot days from the station's
    typical-year temperature; `--prices` bills a market price series. Both equal the engine
    given the same inputs, and a Jiangsu tariff for a Guangdong --province is refused."""
    from peakzero.weather import station_weather

    index = year_index(2025)
    load = factory_load(len(index), 1, seed=5)
    csv = tmp_path / "load.csv"
    stamps = index.tz_convert(TZ).tz_localize(None).strftime("%Y-%m-%d %H:%M")
    pd.DataFrame({"timestamp": stamps, "load_kw": load}).to_csv(csv, index=False)
    temp = station_weather("Guangzhou", 2025).data["temp_air"].to_numpy(dtype=float)
    gd = load_tariff("guangdong_2021_two_part")
    expected = compute_bill(gd, index, load, temp_air_c=temp).total_yuan
    # the CSWD typical year of Guangzhou reaches 35 deg C on 23 June: one critical-peak day more
    assert expected > compute_bill(gd, index, load).total_yuan
    args = ["tariff", "bill", str(csv), "--province", "广东", "--station", "Guangzhou", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tariff"] == "guangdong_2021_two_part"
    assert len(out["notes"]) == 1 and "hourly data" in out["notes"][0]  # trigger applied
    assert out["total_yuan"] == pytest.approx(expected, abs=0.01)
    prices = tmp_path / "prices.csv"
    price = 0.30 + 0.05 * (np.arange(len(index)) % 7)
    pd.DataFrame({"price_yuan_per_kwh": price}).to_csv(prices, index=False)
    args = ["tariff", "bill", str(csv), "--tariff", "gansu_2024_two_part", "--prices", str(prices)]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    gs = load_tariff("gansu_2024_two_part")
    market = compute_bill(gs, index, load, price_yuan_per_kwh=price).total_yuan
    assert out["total_yuan"] == pytest.approx(market, abs=0.01)
    assert out["defaults"] == list(gs.defaults)
    bad = ["tariff", "bill", str(csv), "--tariff", "jiangsu_2025_two_part", "--province", "广东"]
    assert main(bad) == 2
    assert "Guangdong" in capsys.readouterr().err.replace("\n", " ")


def test_an_overridden_figure_is_no_longer_a_default() -> None:
    tariff = load_tariff("sichuan_2025_two_part", flat_price_yuan_per_kwh=0.71)
    assert not tariff.is_default("flat_price_yuan_per_kwh")
    assert tariff.is_default("demand_charge_yuan_per_kw_month")
    hubei = load_tariff("hubei_2024_two_part")
    assert hubei.is_default("multipliers.peak")  # the whole table is listed
