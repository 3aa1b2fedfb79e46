"""`peakzero weather stations` and `peakzero weather show`: output and exit codes."""

from __future__ import annotations

import json

import pytest

from peakzero.cli import main
from peakzero.weather import station_weather

#: Rounded to 0.1 in the JSON output: half a unit of that.
JSON_ROUNDING = 0.05 + 1e-9


def test_stations_json_all_and_by_province(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["weather", "stations", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["stations"]
    assert len(rows) == 270
    assert set(rows[0]) == {
        "name",
        "name_zh",
        "province",
        "province_zh",
        "wmo_id",
        "latitude_deg",
        "longitude_deg",
        "elevation_m",
        "annual_ghi_kwh_per_m2",
    }
    assert main(["weather", "stations", "--province", "Tibet", "--json"]) == 0
    tibet = json.loads(capsys.readouterr().out)["stations"]
    assert [r["name"] for r in tibet] == ["Lhasa", "Nyingchi", "Qamdo"]
    assert tibet[0]["annual_ghi_kwh_per_m2"] == pytest.approx(2033, abs=0.5)


@pytest.mark.parametrize("province", ["江苏", "江苏省", "jiangsu", "JiangSu"])
def test_stations_by_chinese_or_pinyin_province_with_chinese_names(
    capsys: pytest.CaptureFixture[str], province: str
) -> None:
    # issue 11: --province 江苏 was refused; the listing now names stations in Chinese too
    assert main(["weather", "stations", "--province", province, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["stations"]
    assert {r["province"] for r in rows} == {"Jiangsu"} and len(rows) == 6
    nanjing = next(r for r in rows if r["name"] == "Nanjing")
    assert (nanjing["name_zh"], nanjing["province_zh"]) == ("南京", "江苏")
    assert main(["weather", "stations", "--province", province]) == 0
    assert "南京" in capsys.readouterr().out


def test_unknown_province_is_refused_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["weather", "stations", "--province", "火星"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "province = '火星' is not known" in err and "江苏" in err


def test_stations_table_has_units(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["weather", "stations", "--province", "Shanghai"]) == 0
    out = capsys.readouterr().out
    assert "Shanghai" in out
    assert "583620" in out
    assert "[deg]" in out
    assert "1271" in out


def test_show_json_keys_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["weather", "show", "nanjing", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in (
        "station",
        "wmo_id",
        "province",
        "latitude_deg",
        "longitude_deg",
        "annual_ghi_kwh_per_m2",
        "monthly_ghi_kwh_per_m2",
        "monthly_temp_air_mean_c",
        "annual_temp_air_mean_c",
    ):
        assert key in result
    assert (result["station"], result["wmo_id"], result["province"]) == (
        "Nanjing",
        "582380",
        "Jiangsu",
    )
    assert len(result["monthly_ghi_kwh_per_m2"]) == 12
    assert len(result["monthly_temp_air_mean_c"]) == 12
    # recomputed from the series independently: January = first 31 x 24 hours
    data = station_weather("Nanjing").data
    assert result["monthly_ghi_kwh_per_m2"][0] == pytest.approx(
        data["ghi"].iloc[: 31 * 24].sum() / 1000, abs=JSON_ROUNDING
    )
    assert result["monthly_temp_air_mean_c"][6] == pytest.approx(
        data["temp_air"].iloc[181 * 24 : 212 * 24].mean(), abs=JSON_ROUNDING
    )
    assert sum(result["monthly_ghi_kwh_per_m2"]) == pytest.approx(
        result["annual_ghi_kwh_per_m2"], abs=12 * JSON_ROUNDING
    )
    assert result["annual_ghi_kwh_per_m2"] == pytest.approx(1208, abs=0.5)


def test_show_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["weather", "show", "545110"]) == 0
    out = capsys.readouterr().out
    assert "Beijing" in out
    assert "1401 kWh/m2" in out
    assert "deg C" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["weather", "show", "Nanjin"], "Did you mean Nanjing"),
        (["weather", "show", "Chaoyang"], "ambiguous"),
        (["weather", "stations", "--province", "Atlantis"], "province = 'Atlantis'"),
    ],
)
def test_bad_input_exits_2_with_message(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert fragment in " ".join(captured.err.split())
    assert "Traceback" not in captured.err


def test_missing_argument_is_a_usage_error() -> None:
    assert main(["weather", "show"]) == 2
