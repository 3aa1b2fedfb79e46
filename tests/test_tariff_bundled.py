"""Every bundled tariff: one per grid area, 24 h per season, the national spread rules, labels.

The checks read the TOML text with ``tomllib`` (not the engine's loader) so that a loader bug
cannot hide a data error. Figures quoted in comments are from china-tou-provinces.md (the
section named), the reference the files are built from by scripts/build_tariffs.py.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from peakzero.data import data_path
from peakzero.provinces import provinces
from peakzero.tariff import list_tariffs, load_tariff

NAMES = list_tariffs()
SLOTS = 48  # half hours in a day
GRID_AREAS = [a for p in provinces() for a in p.grid_areas]
CONFIDENCE = {"High", "Medium-High", "Medium", "Low-Medium", "Low"}
# 发改价格〔2021〕1093号: peak/valley >= 3:1 (4:1 where the system peak-valley difference
# exceeds 40 %), critical peak >= 1.2 x peak.
CRITICAL_OVER_PEAK = 1.2
# Multipliers are decimal fractions such as 2.2116 = 1.843 x 1.2; products are compared with
# this slack so that 1.92 / 1.6 = 1.2 in binary floating point passes as exactly 1.2.
RATIO_TOL = 1e-9


def raw(name: str) -> dict[str, Any]:
    out: dict[str, Any] = tomllib.loads(
        data_path(f"tariffs/{name}.toml").read_text(encoding="utf-8")
    )
    return out


def test_33_grid_areas_each_have_a_two_part_tariff() -> None:
    assert len(provinces()) == 31 and len(GRID_AREAS) == len(set(GRID_AREAS)) == 33
    areas = {raw(n).get("grid_area") for n in NAMES if n.endswith("two_part")}
    assert areas == set(GRID_AREAS)
    # the six tariffs of earlier releases keep their names
    for old in (
        "guangdong_2021_two_part",
        "jiangsu_2025_single_part",
        "jiangsu_2025_two_part",
        "shandong_2025_two_part",
        "shanghai_2025_two_part",
        "zhejiang_2024_two_part",
    ):
        assert old in NAMES
    # single-part tariffs where the reference gives them different rules
    single = {n.split("_")[0] for n in NAMES if n.endswith("single_part")}
    assert single == {"anhui", "beijing", "jiangsu", "shanghai", "shanxi", "sichuan"}


@pytest.mark.parametrize("name", NAMES)
def test_every_season_covers_24_hours_once(name: str) -> None:
    """Each season's periods cover the 48 half hours of the day exactly once, and the seasons
    the 12 months exactly once (the rule docs/tariffs.md states)."""
    data = raw(name)
    months = sorted(m for s in data["seasons"] for m in s["months"])
    assert months == list(range(1, 13))
    for season in data["seasons"]:
        count = [0] * SLOTS
        for spans in season["periods"].values():
            for start, end in spans:
                assert 0 <= start < end <= 24
                assert float(2 * start).is_integer() and float(2 * end).is_integer()
                for k in range(int(2 * start), int(2 * end)):
                    count[k] += 1
        assert count == [1] * SLOTS, (season["name"], count)


def _violations(name: str) -> list[str]:
    """Where the tariff falls short of 1093号, month by month."""
    tariff = load_tariff(name)
    out = []
    for month in range(1, 13):
        season = next(s for s in tariff.seasons if month in s.months)
        used = set(season.slot_periods)
        used |= {r.period for r in tariff.holiday_rules} | {r.period for r in tariff.date_rules}
        if (
            tariff.critical_peak_trigger is not None
            and month in tariff.critical_peak_trigger.months
        ):
            used.add("critical_peak")
        mult = {p: tariff.multiplier(p, month) for p in used}
        if {"peak", "valley"} <= used:
            ratio = mult["peak"] / mult["valley"]
            if ratio < tariff.min_peak_valley_ratio - RATIO_TOL:
                out.append(f"month {month}: peak/valley {ratio:.3f}")
        if {"peak", "critical_peak"} <= used:
            ratio = mult["critical_peak"] / mult["peak"]
            if ratio < CRITICAL_OVER_PEAK - RATIO_TOL:
                out.append(f"month {month}: critical/peak {ratio:.3f}")
    # tariff-level multipliers (Tibet has no season with both peak and valley)
    m = tariff.multipliers
    if "peak" in m and "valley" in m and m["peak"] / m["valley"] < tariff.min_peak_valley_ratio:
        out.append("tariff multipliers: peak/valley")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_spread_rules_of_the_2021_notice(name: str) -> None:
    """Peak/valley >= 3:1 and critical >= 1.2 x peak in every month, or a flagged exception; a
    flag must name a real shortfall (no stale flags)."""
    violations = _violations(name)
    exception = load_tariff(name).spread_exception
    if violations:
        assert exception, f"{name} breaks 1093号 without saying why: {violations}"
    else:
        assert not exception, f"{name} flags an exception but meets the rules"


def test_flagged_exceptions_are_the_ones_the_reference_gives() -> None:
    flagged = {n for n in NAMES if load_tariff(n).spread_exception}
    # critical = flat x 1.8 (Fujian, Jiangxi), x 2.0 (Shandong, Xinjiang), x 1.9 (Shaanxi), and
    # Shanghai's single-part scheme (peak x 1.2, valley x 0.55)
    assert flagged == {
        "fujian_2023_two_part",
        "jiangxi_2025_two_part",
        "shaanxi_2025_two_part",
        "shandong_2025_two_part",
        "shanghai_2025_single_part",
        "xinjiang_2023_two_part",
    }
    assert _violations("shandong_2025_two_part") == [
        f"month {m}: critical/peak 1.176" for m in range(1, 13)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_labels_source_confidence_and_defaults(name: str) -> None:
    data = raw(name)
    tariff = load_tariff(name)
    assert data["source"].strip() and tariff.confidence in CONFIDENCE
    # the flat price and the export price are defaults everywhere (monthly agency prices), and
    # so is the demand charge of every two-part tariff (none is given for 2024-2025)
    assert tariff.is_default("flat_price_yuan_per_kwh")
    assert tariff.is_default("export_price_yuan_per_kwh")
    assert tariff.is_default("demand_charge_yuan_per_kw_month") == name.endswith("two_part")
    assert "[unverified]" in tariff.source
    if tariff.market_formed:  # the market sets the spread: the multipliers are defaults
        assert tariff.is_default("multipliers.peak") and tariff.is_default("multipliers.valley")


def test_figures_transcribed_from_the_reference() -> None:
    """Spot checks, one per kind of rule, against the reference's text."""
    # §2.1 Beijing two-part 1.6:1:0.4, critical = peak x 1.2; Jul-Aug critical 11-13, 16-17
    bj = load_tariff("beijing_2023_two_part")
    assert (bj.multiplier("peak", 7), bj.multiplier("valley", 7)) == (1.6, 0.4)
    assert bj.multiplier("critical_peak", 7) == pytest.approx(1.6 * 1.2)
    july = next(s for s in bj.seasons if 7 in s.months).hour_periods
    assert [july[h] for h in (11, 12, 16)] == ["critical_peak"] * 3
    # §2.8 Liaoning: peak from 07:30, the 11:30-12:30 midday valley
    ln = next(s for s in load_tariff("liaoning_2023_two_part").seasons if 3 in s.months)
    assert ln.slot_periods[14:16] == ("flat", "peak")  # 07:00-07:30, 07:30-08:00
    assert ln.slot_periods[23:25] == ("valley", "valley")  # 11:30-12:30
    assert ln.slot_periods[22] == ln.slot_periods[25] == "flat"
    # §2.6 Mengxi: low-wind season 1.54:1:0.44, windy season 1.68:1:0.48
    mx = load_tariff("mengxi_2023_two_part")
    assert (mx.multiplier("peak", 7), mx.multiplier("valley", 7)) == (1.54, 0.44)
    assert (mx.multiplier("peak", 1), mx.multiplier("valley", 1)) == (1.68, 0.48)
    # §2.14 Anhui 302号: critical 15 Jul-31 Aug 20-22, holiday (>= 3 days) deep valley 11-15
    ah = raw("anhui_2025_two_part")
    assert ah["date_rules"][0] == {
        "start": "07-15",
        "end": "08-31",
        "period": "critical_peak",
        "hours": [[20, 22]],
    }
    assert ah["holiday_rules"][0]["min_block_days"] == 3
    # §2.21 and §2.25: the temperature triggers
    gd = load_tariff("guangdong_2021_two_part").critical_peak_trigger
    sc = load_tariff("sichuan_2025_two_part").critical_peak_trigger
    assert gd is not None and sc is not None
    assert (gd.temp_air_min_c, gd.consecutive_days, 7 in gd.months) == (35.0, 1, False)
    assert (sc.temp_air_min_c, sc.consecutive_days, sc.hours) == (35.0, 3, ((13, 14), (21, 23)))
    # §2.28 Tibet: no peak in the wet season, a 3-6 deep valley
    wet = next(s for s in load_tariff("tibet_2023_two_part").seasons if 7 in s.months)
    assert "peak" not in wet.hour_periods and wet.hour_periods[3:6] == ("deep_valley",) * 3
    # §2.30, §2.32: market-formed spreads
    assert {n for n in NAMES if load_tariff(n).market_formed} == {
        "gansu_2024_two_part",
        "ningxia_2024_two_part",
    }
