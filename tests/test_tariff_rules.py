"""Validation of the fields the tariffs of every grid area added: each bad value is refused
with a message naming the field and the fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from peakzero.errors import PeakzeroError
from peakzero.tariff import tariff_from_dict

GOOD: dict[str, Any] = {
    "name": "t",
    "flat_price_yuan_per_kwh": 0.6,
    "multipliers": {"flat": 1.0, "peak": 1.6, "valley": 0.4, "critical_peak": 1.92},
    "seasons": [
        {
            "name": "all",
            "months": list(range(1, 13)),
            "periods": {"valley": [[0, 7.5]], "flat": [[7.5, 10], [22, 24]], "peak": [[10, 22]]},
        }
    ],
    "source": "test",
}


def _with(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(GOOD)
    raw.update(changes)
    return raw


def test_half_hours_accepted() -> None:
    season = tariff_from_dict(GOOD).seasons[0]
    assert season.slot_periods[14:16] == ("valley", "flat") and season.has_half_hours


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            _with(seasons=[{**GOOD["seasons"][0], "periods": {"flat": [[0, 7.25], [7.25, 24]]}}]),
            "half hour",
        ),
        (
            _with(seasons=[{**GOOD["seasons"][0], "periods": {"flat": [[0, 7.5], [8, 24]]}}]),
            r"hours \['07:30'\] belong to no period",
        ),
        (_with(flat_price_by_month_yuan_per_kwh=[0.6] * 11), "give 12"),
        (_with(flat_price_by_month_yuan_per_kwh=[0.6] * 11 + [9.0]), r"\(12, 9.0\)"),
        (_with(defaults=["flat_prise"]), "name no tariff field"),
        (_with(min_peak_valley_ratio=0.5), "min_peak_valley_ratio"),
        (_with(confidence="sure"), "confidence"),
        (
            _with(critical_peak_trigger={"temp_air_min_c": 95, "months": [6], "hours": [[11, 12]]}),
            "25-45",
        ),
        (
            _with(
                critical_peak_trigger={
                    "temp_air_min_c": 35,
                    "consecutive_days": 0,
                    "months": [6],
                    "hours": [[11, 12]],
                }
            ),
            "consecutive_days",
        ),
        (
            _with(
                multipliers={"flat": 1.0, "peak": 1.6, "valley": 0.4},
                critical_peak_trigger={"temp_air_min_c": 35, "months": [6], "hours": [[11, 12]]},
            ),
            "multipliers.critical_peak",
        ),
        (
            _with(
                date_rules=[
                    {"start": "7-15x", "end": "08-31", "period": "peak", "hours": [[20, 22]]}
                ]
            ),
            "MM-DD",
        ),
        (
            _with(
                holiday_rules=[
                    {
                        "holidays": ["all"],
                        "period": "valley",
                        "hours": [[11, 15]],
                        "min_block_days": 0,
                    }
                ]
            ),
            "min_block_days",
        ),
    ],
)
def test_bad_new_fields_are_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(PeakzeroError, match=message):
        tariff_from_dict(raw)


@pytest.mark.parametrize(
    ("override", "shown"),
    [
        ({"export_limit_kw": False}, "value False"),  # a boolean is not zero export
        ({"flat_price_yuan_per_kwh": float("inf")}, "finite"),
        ({"flat_price_yuan_per_kwh": "0.6"}, "valid number"),  # text is not a price
    ],
)
def test_tariff_numbers_are_strict(override: dict[str, object], shown: str) -> None:
    from peakzero.tariff import load_tariff

    field = next(iter(override))
    with pytest.raises(PeakzeroError, match=shown) as err:
        load_tariff("jiangsu_2025_two_part", **override)
    assert err.value.field == field


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_tariff_file_as_windows_saves_it(tmp_path: Path, encoding: str) -> None:
    """A tariff TOML saved by Notepad (BOM) or on a Chinese Windows PC (GBK) is read."""
    from peakzero.data import data_path
    from peakzero.tariff import load_tariff

    text = (data_path("tariffs") / "jiangsu_2025_two_part.toml").read_text(encoding="utf-8")
    path = tmp_path / "my_tariff.toml"
    path.write_bytes(text.encode(encoding))
    mine = load_tariff(path)
    bundled = load_tariff("jiangsu_2025_two_part")
    assert mine.name == bundled.name
    assert mine.flat_price_yuan_per_kwh == bundled.flat_price_yuan_per_kwh
