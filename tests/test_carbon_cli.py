"""`peakzero carbon ...` end to end: JSON keys, example files, bad input -> exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peakzero.cli import main

EXAMPLES = Path(__file__).parents[1] / "examples" / "carbon"


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert isinstance(data, dict)
    return data


def test_trajectory_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["carbon", "trajectory", str(EXAMPLES / "series.csv"), "--json"])
    for key in ("peak_year", "peak_value_t", "status", "years_since_peak",
                "drop_from_peak_fraction", "neutral_year", "meets_peak_target",
                "meets_neutral_target"):  # fmt: skip
        assert key in data
    # series.csv: +3 %/yr to 2020, +1.5 %/yr to 2026, flat in 2027 (the first maximum wins)
    assert (data["status"], data["peak_year"], data["meets_peak_target"]) == ("peaked", 2026, True)
    assert data["neutral_year"] == 2058


def test_trajectory_never_neutral_is_null(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "s.csv"
    csv.write_text("year,emissions_t\n2020,10\n2021,11\n2022,12\n2023,13\n")
    data = _json(capsys, ["carbon", "trajectory", str(csv), "--json", "--peak-target", "2025"])
    assert data["neutral_year"] is None
    assert data["status"] == "not_peaked" and data["meets_peak_target"] is False


def test_trajectory_separate_sinks_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "s.csv"
    csv.write_text("year,emissions_t\n2058,10\n2059,9\n2060,8\n")
    sinks = tmp_path / "k.csv"
    sinks.write_text("year,sinks_t\n2058,5\n2059,9\n2060,9\n")
    data = _json(capsys, ["carbon", "trajectory", str(csv), "--sinks", str(sinks), "--json"])
    assert data["neutral_year"] == 2059 and data["meets_neutral_target"] is True
    sinks.write_text("year,sinks_t\n2058,5\n2059,9\n")
    assert main(["carbon", "trajectory", str(csv), "--sinks", str(sinks)]) == 2
    assert "do not match" in capsys.readouterr().err


def test_inventory_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["carbon", "inventory", str(EXAMPLES / "entity.toml"), "--json"])
    years = data["years"]
    assert isinstance(years, list) and [y["year"] for y in years] == [2022, 2023]
    assert years[1]["grid_ef_t_per_mwh"] == 0.55


def test_decompose_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["carbon", "decompose", str(EXAMPLES / "drivers.csv"), "--from", "2015", "--to", "2024"]
    data = _json(capsys, [*argv, "--json"])
    effects = data["effects_t"]
    assert isinstance(effects, dict) and set(effects) == {
        "population", "gdp_per_capita", "energy_intensity", "carbon_intensity"
    }  # fmt: skip
    change = data["change_t"]
    assert isinstance(change, float)
    assert sum(effects.values()) == pytest.approx(change, abs=1e-6)  # 1e-13 of ~1e7 tCO2
    assert data["tapio_state"] == "weak decoupling"
    assert main(argv) == 0  # the table form runs too


def test_project_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["carbon", "project", str(EXAMPLES / "scenario.toml"), "--samples", "300", "--json"]
    data = _json(capsys, argv)
    mc = data["monte_carlo"]
    assert isinstance(mc, dict) and mc["n_samples"] == 300
    assert 0.0 <= mc["prob_peak_by_target"] <= 1.0
    assert "stirpat" in data and "peak_year" in data["baseline"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("csv_text", "match"),
    [
        ("year,emissions_t\n2020,1\n2021,2\n2023,3\n", "missing years [2022]"),
        ("year,emissions_t\n2020,1\n2021,2\n2021,3\n", "duplicated years [2021]"),
        ("year,emissions_t\n2020,1\n2021,\n2022,3\n", "empty or non-numeric"),
        ("year,co2\n2020,1\n2021,2\n2022,3\n", "column 'emissions_t' is missing"),
        ("year,emissions_t\n2020,1\n2021,2\n", "at least 3"),
    ],
)
def test_trajectory_bad_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], csv_text: str, match: str
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(csv_text)
    assert main(["carbon", "trajectory", str(csv)]) == 2
    err = capsys.readouterr().err
    assert match in " ".join(err.split())


@pytest.mark.parametrize(
    ("fuel_line", "match"),
    [
        ('{ fuel = "diesel", amount = -3.0, unit = "t" }', "greater than or equal to 0"),
        ('{ fuel = "plutonium", amount = 3.0, unit = "t" }', "'plutonium' is unknown"),
        (
            '{ fuel = "natural_gas", amount = 3.0, unit = "t" }',
            "unit mismatch for fuel 'natural_gas'",
        ),
        (
            '{ fuel = "diesel", amount = 3.0, unit = "barrel" }',
            "'barrel' for fuel 'diesel' is unknown",
        ),
    ],
)
def test_inventory_bad_entity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fuel_line: str, match: str
) -> None:
    toml = tmp_path / "e.toml"
    toml.write_text(f'[entity]\nname = "x"\n\n[[years]]\nyear = 2023\nfuels = [{fuel_line}]\n')
    assert main(["carbon", "inventory", str(toml)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert match in err
    assert "Traceback" not in err


def test_missing_file_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["carbon", "inventory", "/nonexistent/e.toml"]) == 2
    assert "file not found" in capsys.readouterr().err
