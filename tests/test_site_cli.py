"""`peakzero site optimize`: JSON, CSV outputs, bad inputs and the infeasible case (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.site import load_site, site_from_dict

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sites"

SMALL = """
name = "test"
year = 2025
[location]
station = "Jinan"
province = "Shandong"
[load]
archetype = "cold_storage"
annual_kwh = 2000000
[tariff]
name = "shandong_2025_two_part"
export_limit_kw = 0
[pv]
max_kwp = 200
[battery]
enabled = false
"""


def test_json_and_out_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "SITE.toml"
    site.write_text(SMALL, encoding="utf-8")
    code = main(["site", "optimize", str(site), "--json", "--out", str(tmp_path / "out")])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal"
    assert data["battery_kwh"] == 0.0 and 0.0 < data["pv_kwp"] <= 200.0
    hourly = pd.read_csv(tmp_path / "out" / "dispatch_hourly.csv")
    flows = pd.read_csv(tmp_path / "out" / "cash_flows.csv")
    assert len(hourly) == 8760 and hourly["pv_to_grid_kw"].max() == 0.0  # zero export
    assert len(flows) == 26 and flows["year"].iloc[-1] == 25


def test_infeasible_target_exit_2_names_constraint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "SITE.toml"
    site.write_text(SMALL + "[targets]\nmin_co2_reduction_fraction = 0.9\n", encoding="utf-8")
    assert main(["site", "optimize", str(site)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "infeasible" in err and "min_co2_reduction_fraction" in err


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"pv": {"max_kwp": -5}}, "pv.max_kwp"),
        ({"pv": {"max_kwp": 100, "fixed_kwp": 200}}, "(file)"),
        ({"battery": {"soc_min": 1.5}}, "battery.soc_min"),
        ({"load": {"archetype": "mall", "csv": "x.csv"}}, "load"),
        ({"location": {"province": "Shandong"}}, "location"),
        ({"economics": {"analysis_years": 10}, "emc": {"contract_years": 20}}, "(file)"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_site_inputs_name_the_field(patch: dict[str, object], field: str) -> None:
    import tomllib

    raw = tomllib.loads(SMALL)
    raw.update(patch)
    with pytest.raises(PeakzeroError) as info:
        site_from_dict(raw)
    assert info.value.field == field
    assert "Fix this field" in str(info.value)


def test_missing_file_and_unknown_station(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["site", "optimize", str(tmp_path / "nope.toml")]) == 2
    assert "does not exist" in " ".join(capsys.readouterr().err.split())
    site = tmp_path / "SITE.toml"
    site.write_text(SMALL.replace('"Jinan"', '"Atlantis"'), encoding="utf-8")
    assert main(["site", "optimize", str(site)]) == 2
    assert "Atlantis" in capsys.readouterr().err


def test_examples_validate() -> None:
    for folder in ("suzhou_electronics", "guangzhou_mall", "jinan_cold_storage"):
        site = load_site(EXAMPLES / folder / "SITE.toml")
        assert site.name
