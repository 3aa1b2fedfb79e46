"""The `peakzero tariff` and `peakzero load` commands, checked against the engine and by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.cli import main
from peakzero.load import year_index
from peakzero.tariff import compute_bill, list_tariffs, load_tariff


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_tariff_list_names_every_bundled_tariff(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["tariff", "list", "--json"])
    rows = data["tariffs"]
    assert isinstance(rows, list)
    assert [r["name"] for r in rows] == list_tariffs()
    assert {"Jiangsu", "Zhejiang", "Guangdong", "Shandong", "Shanghai"} <= {
        r["province"] for r in rows
    }


def test_tariff_show_jiangsu_matches_the_notice(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["tariff", "show", "jiangsu_2025_two_part", "--json"])
    seasons = data["seasons"]
    assert isinstance(seasons, list)
    summer = next(s for s in seasons if 7 in s["months"])
    # Su Fa Gai Jia Ge Fa [2025] 426, summer: peak 14-22, valley 0-6 and 11-13.
    periods = summer["hour_periods"]
    assert periods[14:22] == ["peak"] * 8
    assert periods[0:6] == ["valley"] * 6 and periods[11:13] == ["valley"] * 2
    flat = data["flat_price_yuan_per_kwh"]
    assert isinstance(flat, float)
    # Peak = flat x 1.8 (two-part +80 %), valley = flat x 0.35 (-65 %).
    assert summer["prices_yuan_per_kwh"]["peak"] == pytest.approx(flat * 1.8, rel=1e-12)
    assert summer["prices_yuan_per_kwh"]["valley"] == pytest.approx(flat * 0.35, rel=1e-12)


def test_flat_load_bill_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """100 kW all year 2025 under Jiangsu two-part: hand arithmetic vs the CLI."""
    index = year_index(2025)
    csv = tmp_path / "flat.csv"
    pd.DataFrame({"timestamp": index, "load_kw": 100.0}).to_csv(csv, index=False)
    data = _json(
        capsys, ["tariff", "bill", str(csv), "--tariff", "jiangsu_2025_two_part", "--json"]
    )
    t = load_tariff("jiangsu_2025_two_part")
    f = t.flat_price_yuan_per_kwh
    # Summer/winter (Jan, Feb, Jun, Jul, Aug, Dec: 31+28+30+31+31+31 = 182 days): 8 h peak,
    # 8 h valley, 8 h flat. Spring/autumn (183 days): 7 h peak, 8 h valley, 9 h flat.
    per_day_sw = 100 * (8 * 1.8 + 8 * 0.35 + 8 * 1.0) * f
    per_day_sa = 100 * (7 * 1.8 + 8 * 0.35 + 9 * 1.0) * f
    demand = 12 * 100 * (t.demand_charge_yuan_per_kw_month or 0.0)
    expected = 182 * per_day_sw + 183 * per_day_sa + demand
    # Tolerance: the CLI rounds the total to 0.01 yuan.
    assert data["total_yuan"] == pytest.approx(expected, abs=0.006)
    engine = compute_bill(t, index, np.full(len(index), 100.0))
    assert data["total_yuan"] == pytest.approx(engine.total_yuan, abs=0.006)


def test_load_archetype_writes_a_profile_the_checker_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mall.csv"
    made = _json(
        capsys,
        [
            "load",
            "archetype",
            "mall",
            "--year",
            "2024",
            "--annual-kwh",
            "2e6",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert made["intervals"] == 8784  # 2024 is a leap year
    assert made["annual_kwh"] == pytest.approx(2e6, rel=1e-9)
    checked = _json(capsys, ["load", "check", str(out), "--json"])
    # The CSV stores kW to 4 decimals: 8784 values x 5e-5 kW at most.
    assert checked["annual_kwh"] == pytest.approx(2e6, abs=0.5)
    monthly = checked["monthly_kwh"]
    assert isinstance(monthly, list) and len(monthly) == 12


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["load", "archetype", "steelworks", "--annual-kwh", "1"], "unknown load archetype"),
        (["load", "archetype", "office"], "--annual-kwh"),
        (["tariff", "show", "atlantis_2025"], "atlantis_2025"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert needle in capsys.readouterr().err.replace("\n", " ")
