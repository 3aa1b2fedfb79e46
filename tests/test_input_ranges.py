"""Issue 11 section 4, model-level: strict types, physical ranges, rates and years, paths
relative to the file they are written in, and --out replaced as a whole.

Every refusal is a PeakzeroError naming the field, with the range and unit where it has one.
"""

from __future__ import annotations

import copy
import math
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from peakzero.carbon.models import load_scenario, parse_entity
from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.load import archetype_load
from peakzero.plan import load_plan, plan_from_dict, run_plan, write_outputs
from peakzero.site.models import load_site, site_from_dict
from peakzero.tariff import load_tariff

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "examples" / "sites" / "suzhou_electronics" / "SITE.toml"
PLAN = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"
TARIFF = ROOT / "peakzero" / "data" / "tariffs" / "jiangsu_2025_single_part.toml"

SMALL_PLAN: dict[str, Any] = {
    "plan": {"title": "Small factory"},
    "site": {
        "name": "Small factory",
        "location": {"station": "Nanjing", "province": "Jiangsu"},
        "load": {"archetype": "factory_two_shift", "annual_kwh": 2_000_000},
        "tariff": {"name": "jiangsu_2025_two_part", "export_limit_kw": 0.0},
        "pv": {"max_kwp": 800.0},
        "battery": {"enabled": False},
    },
    "inventory": {
        "entity": {"name": "Small factory", "region": "Jiangsu"},
        "years": [{"year": 2025, "electricity_mwh": 2000.0}],
    },
    "pathway": {
        "measures": [
            {"name": "green_power", "type": "green_power", "max_units_per_year": 2000.0},
            {"name": "ccer", "type": "ccer", "max_units_per_year": 500.0},
        ]
    },
}


def _site() -> dict[str, Any]:
    return tomllib.loads(SITE.read_text("utf-8"))


def _set(raw: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    node: Any = out
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[parts[-1]] = value
    return out


@pytest.mark.parametrize(
    ("dotted", "value"),
    [
        ("tariff.export_limit_kw", False),  # must not become zero export
        ("tariff.export_limit_kw", True),
        ("pv.capex_yuan_per_kwp", True),
        ("economics.analysis_years", True),
        ("battery.enabled", 1),  # a number where a boolean belongs
        ("load.annual_kwh", "8000000"),  # text is not a number
        ("economics.analysis_years", 25.5),
    ],
)
def test_wrong_types_are_refused_not_coerced(dotted: str, value: Any) -> None:
    with pytest.raises(PeakzeroError) as info:
        site_from_dict(_set(_site(), dotted, value))
    assert info.value.field == dotted
    assert repr(value) in str(info.value)


@pytest.mark.parametrize(
    ("dotted", "value", "allowed"),
    [
        ("load.annual_kwh", math.inf, "above 0 to 1e+10 [kWh]"),
        ("load.annual_kwh", math.nan, "above 0 to 1e+10 [kWh]"),
        ("load.peak_kw", 1e12, "above 0 to 1e+07 [kW]"),
        ("pv.capex_yuan_per_kwp", 1e308, "0 to 20000 [yuan/kWp]"),
        ("pv.max_kwp", -math.inf, "above 0 to 1e+07 [kWp]"),
        ("battery.max_kwh", 1e308, "0 to 1e+08 [kWh]"),
        ("carbon.carbon_price_yuan_per_t", math.inf, "0 to 5000 [yuan/tCO2]"),
    ],
)
def test_numbers_beyond_physical_sense_are_refused_with_the_range(
    dotted: str, value: float, allowed: str
) -> None:
    raw = _set(_site(), dotted, value)
    if dotted == "load.peak_kw":
        raw["load"].pop("annual_kwh")
    with pytest.raises(PeakzeroError) as info:
        site_from_dict(raw)
    assert info.value.field == dotted
    assert f"allowed {allowed}" in str(info.value)
    assert "Fix this field" in str(info.value)


@pytest.mark.parametrize("value", [1e308, math.inf, 1e10])
def test_activity_beyond_sense_is_refused(value: float) -> None:
    year = {"year": 2023, "electricity_mwh": value}
    with pytest.raises(PeakzeroError) as info:
        parse_entity({"entity": {"name": "x"}, "years": [year]})
    assert info.value.field == "years.0.electricity_mwh"
    assert "allowed 0 to 1e+09 [MWh]" in str(info.value)


def test_growth_rate_written_in_percent_is_refused_with_the_hint() -> None:
    raw = _set(SMALL_PLAN, "baseline.growth", [{"until": 2030, "rate": 5}])
    with pytest.raises(PeakzeroError) as info:
        plan_from_dict(raw)
    assert info.value.field == "baseline.growth.0.rate"
    message = str(info.value)
    assert "allowed -0.5 to 0.5 [1/year]" in message
    assert "write 0.05 for 5 %" in message


@pytest.mark.parametrize(("rate", "ok"), [(5.0, False), (-1.5, False), (-1.0, False), (0.05, True)])
def test_projection_rates_beyond_one_are_refused(tmp_path: Path, rate: float, ok: bool) -> None:
    text = (ROOT / "examples" / "carbon" / "scenario.toml").read_text("utf-8")
    text = text.replace(
        "mean = [0.05, 0.045, 0.035, 0.025]", f"mean = [{rate}, 0.045, 0.035, 0.025]"
    )
    path = tmp_path / "scenario.toml"
    path.write_text(text, "utf-8")
    if ok:
        assert load_scenario(path).rates["gdp_per_capita"].mean[0] == rate
        return
    with pytest.raises(PeakzeroError) as info:
        load_scenario(path)
    assert info.value.field == "rates.gdp_per_capita.mean.0"
    assert "above -1 to 1 [1/year]" in str(info.value)
    if abs(rate) > 1:
        assert "Rates and fractions are decimals" in str(info.value)


@pytest.mark.parametrize(
    ("dotted", "value", "hint"),
    [
        ("plan.peak_target_year", 30, "Write the year in full (2030, not 30)"),
        ("plan.neutral_target_year", 2200, ""),
        ("inventory.years.0.year", 25, "Write the year in full (2025, not 25)"),
        ("inventory.years.0.year", 1899, ""),
        ("site.year", 2101, ""),
        ("pathway.measures.0.earliest_year", 1800, ""),
    ],
)
def test_years_outside_1900_2100_are_refused(dotted: str, value: int, hint: str) -> None:
    with pytest.raises(PeakzeroError) as info:
        plan_from_dict(_set(SMALL_PLAN, dotted, value))
    assert info.value.field == dotted
    assert "[year]" in str(info.value)
    assert hint in str(info.value)


def _write_load_csv(path: Path) -> None:
    load = archetype_load("factory_two_shift", year=2025, annual_kwh=2_000_000)
    pd.DataFrame({"timestamp": load.index, "load_kw": load.to_numpy()}).to_csv(path, index=False)


def test_paths_in_a_plan_file_are_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Load file, tariff file and roof outline written in PLAN.toml are found beside it, from
    any working folder."""
    folder = tmp_path / "project"
    (folder / "data").mkdir(parents=True)
    shutil.copy(TARIFF, folder / "data" / "my_tariff.toml")
    shutil.copy(ROOT / "examples" / "plans" / "hangzhou_office" / "roof.json", folder / "roof.json")
    _write_load_csv(folder / "data" / "meter.csv")
    text = PLAN.read_text("utf-8")
    text = text.replace(
        'archetype = "factory_two_shift"\nannual_kwh = 8_000_000', 'csv = "data/meter.csv"'
    )
    text = text.replace('name = "jiangsu_2025_two_part"', 'name = "data/my_tariff.toml"')
    text = text.replace("area_m2 = 24000               # plan area [m2]", 'polygon = "roof.json"')
    assert 'csv = "data/meter.csv"' in text and "my_tariff" in text and "roof.json" in text
    (folder / "PLAN.toml").write_text(text, "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    plan = load_plan(Path("..") / "project" / "PLAN.toml")
    assert Path(plan.site.load.csv or "") == (folder / "data" / "meter.csv").resolve()
    assert Path(plan.site.tariff.name) == (folder / "data" / "my_tariff.toml").resolve()
    assert (
        plan.roof is not None and Path(plan.roof.polygon or "") == (folder / "roof.json").resolve()
    )
    assert load_tariff(plan.site.tariff.name).name == load_tariff("jiangsu_2025_single_part").name


def test_paths_in_a_site_file_are_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(TARIFF, tmp_path / "tariff.toml")
    text = SITE.read_text("utf-8").replace('name = "jiangsu_2025_two_part"', 'name = "tariff.toml"')
    assert 'name = "tariff.toml"' in text
    (tmp_path / "SITE.toml").write_text(text, "utf-8")
    monkeypatch.chdir(ROOT)
    site = load_site(tmp_path / "SITE.toml")
    assert Path(site.tariff.name) == tmp_path / "tariff.toml"
    # A bundled name stays a name.
    assert load_site(SITE).tariff.name == "jiangsu_2025_two_part"


def test_scenario_history_is_relative_to_the_scenario_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT / "tests")
    info = load_scenario(ROOT / "examples" / "carbon" / "scenario.toml").scenario
    assert info.history is not None
    assert Path(info.history) == ROOT / "examples" / "carbon" / "drivers.csv"


def test_out_folder_is_replaced_as_a_whole(tmp_path: Path) -> None:
    run = run_plan(plan_from_dict(SMALL_PLAN))
    out = tmp_path / "out"
    write_outputs(run, out, report=False)
    first = {p.name for p in out.iterdir()}
    (out / "report.html").write_text("an earlier run's report", "utf-8")
    (out / "notes.txt").write_text("left by hand", "utf-8")
    write_outputs(run, out, report=False)
    assert {p.name for p in out.iterdir()} == first  # nothing of the earlier run survives
    assert not list(tmp_path.glob(".out.*"))  # no staging or old folder left behind


def test_out_folder_that_is_not_ours_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", "utf-8")
    assert main(["plan", str(PLAN), "--out", str(out), "--no-report"]) == 2
    assert "not a plan's outputs" in " ".join(capsys.readouterr().err.split())
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


@pytest.mark.parametrize("dotted", ["site.load.csv", "roof.polygon"])
def test_a_folder_where_a_file_belongs_is_named_as_a_folder(tmp_path: Path, dotted: str) -> None:
    (tmp_path / "meter").mkdir()
    raw = _set(SMALL_PLAN, dotted, "meter")
    if dotted == "site.load.csv":
        raw["site"]["load"] = {"csv": "meter"}
    else:
        raw["roof"] = {"polygon": "meter"}
    with pytest.raises(PeakzeroError) as info:
        plan_from_dict(raw, base_dir=tmp_path)
    assert info.value.field == dotted
    assert "is a folder, not a file" in str(info.value)
