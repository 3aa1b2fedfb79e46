"""Common input mistakes are refused with a message that names the field and the fix."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.pathway.models import parse_pathway
from peakzero.site.models import site_from_dict

ROOT = Path(__file__).resolve().parents[1]


def _site() -> dict[str, Any]:
    text = (ROOT / "examples" / "sites" / "suzhou_electronics" / "SITE.toml").read_text("utf-8")
    return tomllib.loads(text)


@pytest.mark.parametrize(
    ("section", "key", "value", "needle"),
    [
        ("pv", "capex_yuan_per_kwp", 3.0, "looks like yuan/W"),
        ("battery", "capex_yuan_per_kwh", 0.9, "looks like yuan/Wh"),
    ],
)
def test_capex_per_watt_is_refused(section: str, key: str, value: float, needle: str) -> None:
    raw = _site()
    raw[section][key] = value
    with pytest.raises(PeakzeroError, match=needle) as info:
        site_from_dict(raw)
    assert info.value.field == section


def test_unknown_measure_type_lists_the_allowed_ones() -> None:
    text = (ROOT / "examples" / "pathway" / "industrial_park.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    raw["measures"][0]["type"] = "fusion"
    with pytest.raises(PeakzeroError, match=r"'fusion' is unknown: allowed .*heat_pump"):
        parse_pathway(raw)


def test_mistyped_sinks_column_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    series = str(ROOT / "examples" / "carbon" / "series.csv")
    assert main(["carbon", "trajectory", series, "--sinks-col", "sink_t"]) == 2
    assert "--sinks-col 'sink_t'" in " ".join(capsys.readouterr().err.split())
