"""check_plan reads a `[site.load] bills` file before any work starts: a missing file, a folder
or a bill that does not parse stops the plan at once, naming the field (issue 11)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from peakzero.errors import PeakzeroError
from peakzero.plan import plan_from_dict

PLAN: dict[str, Any] = {
    "plan": {"title": "Small factory"},
    "site": {
        "name": "Small factory",
        "location": {"station": "Nanjing", "province": "Jiangsu"},
        "load": {"archetype": "factory_two_shift", "bills": "bills.csv"},
        "tariff": {"name": "jiangsu_2025_two_part", "export_limit_kw": 0.0},
        "pv": {"max_kwp": 800.0},
        "battery": {"enabled": False},
    },
    "inventory": {
        "entity": {"name": "Small factory", "region": "Jiangsu"},
        "years": [{"year": 2025, "electricity_mwh": 2000.0}],
    },
}

GOOD = "month,total\n" + "".join(f"{m},{150000 + 1000 * m}\n" for m in range(1, 13))


def _plan(tmp_path: Path) -> None:
    plan_from_dict(copy.deepcopy(PLAN), base_dir=tmp_path)


def test_good_bills_pass_the_check(tmp_path: Path) -> None:
    (tmp_path / "bills.csv").write_text(GOOD, "utf-8")
    _plan(tmp_path)


def test_missing_bills_file_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(PeakzeroError) as info:
        _plan(tmp_path)
    assert info.value.field == "site.load.bills"
    assert "bills.csv" in str(info.value) and "no such file" in str(info.value)


def test_a_folder_for_bills_is_named_as_a_folder(tmp_path: Path) -> None:
    (tmp_path / "bills.csv").mkdir()
    with pytest.raises(PeakzeroError, match="is a folder, not a file") as info:
        _plan(tmp_path)
    assert info.value.field == "site.load.bills"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("month,total\n" + "".join(f"{m},1000\n" for m in range(1, 12)), "month"),
        (GOOD.replace("3,153000", "3,abc"), "total of month 3 is not a kWh figure"),
        (GOOD.replace("month,total", "month,colour"), "colour"),
    ],
)
def test_bills_that_do_not_parse_stop_the_plan(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bills.csv").write_text(text, "utf-8")
    with pytest.raises(PeakzeroError) as info:
        _plan(tmp_path)
    assert info.value.field == "site.load.bills"
    assert message in str(info.value) and "[site.load.bills]" in str(info.value)
