"""Tariff data library and validation of user tariff files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from peakzero.errors import PeakzeroError
from peakzero.tariff import (
    PERIODS,
    hourly_energy_price,
    hourly_periods,
    list_tariffs,
    load_tariff,
    tariff_from_dict,
)

GOOD: dict[str, Any] = {
    "name": "my_site",
    "province": "Jiangsu",
    "flat_price_yuan_per_kwh": 0.7,
    "multipliers": {"peak": 1.5, "flat": 1.0, "valley": 0.5},
    "seasons": [
        {
            "name": "all_year",
            "months": list(range(1, 13)),
            "periods": {"valley": [[0, 8]], "flat": [[8, 18], [22, 24]], "peak": [[18, 22]]},
        }
    ],
    "export_limit_kw": 0.0,
    "source": "my bill, 2025-06",
}


def test_required_provinces_bundled_with_sources() -> None:
    names = list_tariffs()
    for province in ("Jiangsu", "Zhejiang", "Guangdong", "Shandong", "Shanghai"):
        matching = [n for n in names if load_tariff(n).province == province]
        assert matching, province
    for name in names:
        tariff = load_tariff(name)
        assert "[unverified]" in tariff.source  # flat price etc. are editable defaults
        two_part = tariff.demand_charge_yuan_per_kw_month is not None
        assert two_part == name.endswith("two_part")
        periods = set(hourly_periods(tariff, pd.date_range("2025-01-01", periods=8760, freq="h")))
        assert periods <= set(PERIODS)


def test_published_ratios_in_bundled_data() -> None:
    """Ratios quoted in china-facts.md: check they reached the files unchanged."""
    gd = load_tariff("guangdong_2021_two_part")
    assert (gd.multipliers["peak"], gd.multipliers["valley"]) == (1.7, 0.38)
    assert gd.multipliers["critical_peak"] == pytest.approx(1.7 * 1.25)
    sd = load_tariff("shandong_2025_two_part")
    assert [sd.multipliers[p] for p in PERIODS] == [2.0, 1.7, 1.0, 0.3, 0.1]
    js = load_tariff("jiangsu_2025_two_part")
    assert (js.multipliers["peak"], js.multipliers["valley"]) == (1.8, 0.35)
    assert load_tariff("jiangsu_2025_single_part").multipliers["peak"] == 1.7
    sh = load_tariff("shanghai_2025_two_part")
    assert sh.multipliers["critical_peak"] == pytest.approx(sh.multipliers["peak"] * 1.25)
    assert sh.multipliers["valley"] == 0.4 and sh.multipliers["deep_valley"] == 0.2


def test_shandong_midday_valley_and_shanghai_holiday() -> None:
    sd = load_tariff("shandong_2025_two_part")
    april = pd.date_range("2025-04-08 09:00", periods=7, freq="h", tz="Etc/GMT-8")
    assert hourly_periods(sd, april).tolist() == [
        "flat", "valley", "deep_valley", "deep_valley", "deep_valley", "valley", "flat",
    ]  # fmt: skip
    sh = load_tariff("shanghai_2025_two_part")
    # 沪发改价管〔2024〕28号: the holiday deep valley replaces the night valley (0-6, 22-24);
    # the earlier file had it at 10-14 (a placeholder the reference corrects).
    qingming = pd.DatetimeIndex(["2025-04-05 03:00", "2025-04-08 03:00"], tz="Etc/GMT-8")
    assert hourly_periods(sh, qingming).tolist() == ["deep_valley", "valley"]
    # season multiplier: Shanghai spring/autumn peak is 1.6 x flat, summer 1.8 x flat
    prices = hourly_energy_price(sh, pd.DatetimeIndex(["2025-04-08 09:00", "2025-07-08 09:00"]))
    assert prices.tolist() == pytest.approx([0.70 * 1.6, 0.70 * 1.8])


def test_user_toml_and_json(tmp_path: Path) -> None:
    toml_text = """
name = "my_site"
flat_price_yuan_per_kwh = 0.7
export_limit_kw = 0.0
source = "my bill"
[multipliers]
peak = 1.5
valley = 0.5
[[seasons]]
name = "all_year"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
[seasons.periods]
valley = [[0, 8]]
flat = [[8, 18], [22, 24]]
peak = [[18, 22]]
"""
    path = tmp_path / "t.toml"
    path.write_text(toml_text, encoding="utf-8")
    from_toml = load_tariff(path)
    json_path = tmp_path / "t.json"
    json_path.write_text(json.dumps(GOOD), encoding="utf-8")
    from_json = load_tariff(json_path)
    idx = pd.date_range("2025-03-03", periods=24, freq="h")
    assert np.array_equal(hourly_energy_price(from_toml, idx), hourly_energy_price(from_json, idx))
    assert hourly_energy_price(from_toml, idx)[[0, 8, 18]].tolist() == pytest.approx(
        [0.35, 0.7, 1.05]
    )
    assert from_json.export_limit_kw == 0.0


def _bad(mutate: Any) -> dict[str, Any]:
    raw = copy.deepcopy(GOOD)
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["seasons"][0]["periods"].update(peak=[[17, 22]]), "hour 17:00 is in both"),
        (lambda r: r["seasons"][0]["periods"].update(peak=[[19, 22]]), r"hours \[18\] belong"),
        (lambda r: r["seasons"][0]["periods"].update(peak=[[22, 18]]), "invalid"),
        (lambda r: r["seasons"][0]["periods"].update(peak=[[18, 25]]), "invalid"),
        (lambda r: r["multipliers"].update(valley=0.0), "must be > 0"),
        (lambda r: r["multipliers"].update(flat=1.2), "multipliers.flat must be 1.0"),
        (lambda r: r["multipliers"].pop("peak"), "no price multiplier"),
        (lambda r: r["seasons"][0].update(months=list(range(1, 12))), "every month 1-12"),
        (lambda r: r["seasons"][0].update(months=[0, *range(1, 13)]), "not calendar months"),
        (lambda r: r.update(flat_price_yuan_per_kwh=-0.1), "flat_price_yuan_per_kwh"),
        (lambda r: r.update(source="  "), "source"),
        (lambda r: r.pop("source"), "source"),
        (lambda r: r.update(export_limit_kw=-5.0), "zero export"),
        (
            lambda r: r.update(
                demand_charge_yuan_per_kw_month=30.0, capacity_charge_yuan_per_kva_month=20.0
            ),
            "not both",
        ),
        (lambda r: r.update(capacity_charge_yuan_per_kva_month=20.0), "transformer_kva"),
        (lambda r: r.update(flat_prise=0.7), "flat_prise"),
        (
            lambda r: r.update(
                holiday_rules=[{"holidays": ["xmas"], "period": "valley", "hours": [[0, 4]]}]
            ),
            "allowed names",
        ),
        (lambda r: r["multipliers"].update(superpeak=3.0), "superpeak"),
    ],
)
def test_validation_messages(mutate: Any, message: str) -> None:
    with pytest.raises(PeakzeroError, match=message):
        tariff_from_dict(_bad(mutate))


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(PeakzeroError, match="unknown tariff 'atlantis'"):
        load_tariff("atlantis")
    with pytest.raises(PeakzeroError, match="does not exist"):
        load_tariff(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("name = ", encoding="utf-8")
    with pytest.raises(PeakzeroError, match="not valid"):
        load_tariff(broken)
    with pytest.raises(PeakzeroError, match="unknown tariff override"):
        load_tariff("jiangsu_2025_two_part", flat_price=0.6)


def test_tariff_is_hashable_and_prices_by_month() -> None:
    a = load_tariff("zhejiang_2024_two_part")
    b = load_tariff("zhejiang_2024_two_part")
    c = load_tariff("zhejiang_2024_two_part", export_limit_kw=0.0)
    assert a == b and hash(a) == hash(b) and a != c
    assert len({a, b, c}) == 2
    assert a.price("critical_peak", 7) == pytest.approx(0.66 * 2.2)
    sh = load_tariff("shanghai_2025_two_part")
    assert sh.price("peak", 4) == pytest.approx(0.70 * 1.6)
