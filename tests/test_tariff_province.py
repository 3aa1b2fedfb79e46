"""Provinces: names in any spelling, each province's default tariff, and refusing a tariff of
another province (a Chengdu plan left on the Jiangsu tariff)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from peakzero.cli import main
from peakzero.errors import PeakzeroError
from peakzero.plan import check_plan, plan_from_dict
from peakzero.provinces import provinces, resolve_province
from peakzero.tariff import (
    catalog,
    check_tariff_province,
    default_tariff,
    default_tariff_name,
    load_tariff,
    tariff_from_dict,
)

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"


def test_every_station_province_is_in_the_table() -> None:
    import pandas as pd

    stations = pd.read_csv(ROOT / "peakzero" / "data" / "weather" / "stations.csv", comment="#")
    assert set(stations["province"]) == {p.name for p in provinces()}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("四川", "Sichuan"),
        ("四川省", "Sichuan"),
        ("SICHUAN", "Sichuan"),
        (" sichuan ", "Sichuan"),
        ("江苏省", "Jiangsu"),
        ("shanxi", "Shanxi"),
        ("Shaanxi", "Shaanxi"),
        ("陕西", "Shaanxi"),
        ("内蒙古", "Nei Mongol"),
        ("Inner Mongolia", "Nei Mongol"),
        ("neimenggu", "Nei Mongol"),
        ("广西壮族自治区", "Guangxi Zhuang"),
        ("xizang", "Tibet"),
        ("jibei", "Hebei"),  # a grid-area id names its province
        ("Jiāngsū", "Jiangsu"),  # pinyin with tone marks
        ("JIĀNGSŪ", "Jiangsu"),
        ("Guǎngdōng", "Guangdong"),
        ("Nèi Měnggǔ", "Nei Mongol"),
        ("Shǎnxī", "Shaanxi"),  # 陕西: the third tone keeps it apart from 山西
        ("Shănxī", "Shaanxi"),  # the breve often typed for the caron
        ("Shānxī", "Shanxi"),  # 山西
        ("Jiangsū", "Jiangsu"),  # a combining macron typed after the letter
    ],
)
def test_resolve_province_any_spelling(text: str, name: str) -> None:
    assert resolve_province(text).name == name


def test_unknown_province_lists_close_matches() -> None:
    with pytest.raises(PeakzeroError, match="close matches: Sichuan") as info:
        resolve_province("Sichaun")
    assert info.value.field == "province"
    with pytest.raises(PeakzeroError, match="四川"):
        resolve_province("四州")


def test_default_tariff_of_every_province_is_its_own() -> None:
    for prov in provinces():
        tariff = default_tariff(prov.name_zh)
        assert tariff.province == prov.name and tariff.grid_area == prov.grid_areas[0]
        assert tariff.demand_charge_yuan_per_kw_month is not None  # two-part
        check_tariff_province(tariff, prov.pinyin)  # passes
    assert default_tariff_name("江苏") == "jiangsu_2025_two_part"


def test_tariff_of_another_province_is_refused_naming_both() -> None:
    jiangsu = load_tariff("jiangsu_2025_two_part")
    with pytest.raises(PeakzeroError) as info:
        check_tariff_province(jiangsu, "四川")
    message = str(info.value)
    assert "Jiangsu" in message and "Sichuan" in message and "sichuan_2025_two_part" in message
    assert "allow_other_province" in message and info.value.field == "tariff"
    check_tariff_province(jiangsu, "national")  # no province given: nothing to check
    # Jibei and the Hebei Southern Grid are both Hebei
    check_tariff_province(load_tariff("jibei_2023_two_part"), "河北")


def test_allow_other_province_lets_a_what_if_through() -> None:
    raw = tomllib.loads(
        (ROOT / "peakzero" / "data" / "tariffs" / "jiangsu_2025_two_part.toml").read_text("utf-8")
    )
    raw["allow_other_province"] = True
    check_tariff_province(tariff_from_dict(raw), "Sichuan")


def _chengdu_plan() -> dict[str, Any]:
    raw = tomllib.loads(PLAN.read_text(encoding="utf-8"))
    raw["site"]["location"] = {"latitude_deg": 30.67, "longitude_deg": 104.02}  # Chengdu
    assert raw["site"]["tariff"]["name"] == "jiangsu_2025_two_part"
    return raw


def test_chengdu_plan_on_the_jiangsu_tariff_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan's site has no province: the nearest station (Chengdu, Sichuan) gives it, and the
    Jiangsu tariff is refused before the optimiser runs and before any report is written."""
    import peakzero.plan.orchestrate as orchestrate
    import peakzero.site.planner as planner

    def no_work(*_a: object, **_k: object) -> None:
        raise AssertionError("the optimiser ran on a tariff of another province")

    monkeypatch.setattr(planner, "optimize_dispatch", no_work)
    plan = plan_from_dict(_chengdu_plan(), origin="PLAN.toml", base_dir=PLAN.parent)
    with pytest.raises(PeakzeroError) as info:
        check_plan(plan)
        orchestrate.run_plan(plan)
    message = str(info.value)
    assert "Jiangsu" in message and "Sichuan" in message


def test_chengdu_plan_cli_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PLAN.read_text("utf-8")
    text = text.replace("latitude_deg = 31.30", "latitude_deg = 30.67")
    text = text.replace("longitude_deg = 120.70", "longitude_deg = 104.02")
    text = text.replace('province = "Jiangsu"', 'province = "四川"')
    bad = tmp_path / "PLAN.toml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["plan", str(bad), "--out", str(out), "--no-report"]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "Jiangsu" in err and "Sichuan" in err
    assert not out.exists()


def test_catalog_and_tariff_list_do_not_import_pandas() -> None:
    """What `peakzero tariff list` needs (the catalogue, the provinces) reads the TOML files with
    tomllib only, and cli/tariff.py imports nothing heavy at module level. (The command group
    package peakzero/cli/__init__.py is made lazy separately.)"""
    code = (
        "import sys\n"
        "from peakzero.tariff import tariffs_for_province\n"
        "from peakzero.provinces import resolve_province\n"
        "print([e.name for e in tariffs_for_province('四川')])\n"
        "mods = ('pandas', 'numpy', 'pvlib', 'highspy', 'pydantic')\n"
        "heavy = [m for m in mods if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "sichuan_2025_two_part" in out
    assert out.strip().splitlines()[-1] == "HEAVY []"
    assert len(catalog()) == 39
    tree = ast.parse((ROOT / "peakzero" / "cli" / "tariff.py").read_text("utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in top if isinstance(n, ast.ImportFrom)}
    assert names <= {"__future__", "re", "pathlib", "typing", "typer", "peakzero.errors"}


def test_tariff_list_fits_80_columns_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tariff", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 80
    assert sum("_part" in line for line in lines) == 39
    for text in ("四川", "sichuan", "Sichuan"):
        assert main(["tariff", "list", "--province", text]) == 0
        names = [ln.split()[0] for ln in capsys.readouterr().out.splitlines() if "_part" in ln]
        assert names == ["sichuan_2025_single_part", "sichuan_2025_two_part"]
    assert main(["tariff", "list", "--province", "内蒙古", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["tariffs"]
    assert {r["grid_area"] for r in rows} == {"mengxi", "mengdong"}
    assert main(["tariff", "list", "--province", "Atlantis"]) == 2


def test_tariff_new_writes_a_commented_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "my_tariff.toml"
    assert main(["tariff", "new", "--province", "四川", "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert text.startswith("# Your tariff") and "# Fields" in text
    tariff = load_tariff(out)
    bundled = load_tariff("sichuan_2025_two_part")
    assert tariff.name == "my_tariff" and tariff.seasons == bundled.seasons
    assert tariff.critical_peak_trigger == bundled.critical_peak_trigger
    assert main(["tariff", "new", "--province", "四川", "--out", str(out)]) == 2  # exists
    assert "--force" in capsys.readouterr().err
    assert main(["tariff", "new", "--province", "四川", "--out", str(out), "--force"]) == 0
    other = tmp_path / "x.toml"
    args = ["tariff", "new", "--province", "四川", "--tariff", "jiangsu_2025_two_part"]
    assert main([*args, "--out", str(other)]) == 2
    assert not other.exists()
    # a what-if: the user's file may say allow_other_province = true
    what_if = tmp_path / "what_if.toml"
    assert "# allow_other_province = true" in text
    what_if.write_text(text.replace("# allow_other_province", "allow_other_province"), "utf-8")
    check_tariff_province(load_tariff(what_if), "Jiangsu")
