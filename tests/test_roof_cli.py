"""`peakzero roof layout`: JSON keys, polygon files, SVG output and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peakzero.cli import main

KEYS = {"modules", "kwp", "row_pitch_m", "gcr", "tilt_deg", "dead_load_kg_per_m2", "area_m2"}


def run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, object]:
    code = main(["roof", "layout", *args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result: dict[str, object] = json.loads(captured.out)
    return result


def test_flat_area_given_tilt(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_json(
        capsys, ["--station", "Nanjing", "--area-m2", "5000", "--roof", "flat", "--tilt", "25"]
    )
    assert set(res) >= KEYS
    assert res["tilt_deg"] == 25.0
    assert res["kwp"] == pytest.approx(res["modules"] * 0.59)  # type: ignore[operator]
    assert res["tilt_choice"] == "given"


def test_flat_optimised_per_area_is_flatter(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--lat", "39.9", "--lon", "116.4", "--area-m2", "2000", "--roof", "flat"]
    per_kwp = run_json(capsys, [*base, "--optimize", "per-kwp"])
    per_area = run_json(capsys, [*base, "--optimize", "per-area"])
    assert per_area["tilt_deg"] < per_kwp["tilt_deg"]  # type: ignore[operator]
    assert per_area["kwp"] > per_kwp["kwp"]  # type: ignore[operator]
    assert per_area["annual_ac_kwh"] >= per_kwp["annual_ac_kwh"]  # type: ignore[operator]


def test_pitched_polygon_json_with_svg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    poly = tmp_path / "roof.json"
    poly.write_text(json.dumps({"vertices": [[0, 0], [30, 0], [30, 12], [0, 12], [0, 0]]}))
    svg = tmp_path / "out" / "roof.svg"
    res = run_json(
        capsys,
        [
            "--station",
            "Hangzhou",
            "--polygon",
            str(poly),
            "--roof",
            "pitched",
            "--pitch-deg",
            "25",
            "--roof-azimuth",
            "180",
            "--svg",
            str(svg),
        ],
    )
    assert res["mounting"] == "flush" and res["tilt_deg"] == 25.0
    assert res["area_m2"] == pytest.approx(360.0)
    text = svg.read_text()
    assert text.count("<polygon") == res["modules"] + 1  # modules + roof outline  # type: ignore[operator]


def test_polygon_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    poly = tmp_path / "roof.csv"
    poly.write_text("x,y\n0,0\n40,0\n40,20\n20,20\n20,40\n0,40\n")
    res = run_json(
        capsys, ["--station", "Shanghai", "--polygon", str(poly), "--roof", "flat", "--tilt", "15"]
    )
    assert res["area_m2"] == pytest.approx(1200.0)
    assert res["modules"] > 0  # type: ignore[operator]


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "roof",
            "layout",
            "--station",
            "Nanjing",
            "--area-m2",
            "800",
            "--roof",
            "flat",
            "--tilt",
            "20",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "kWp" in out and "row pitch" in out and "kg/m2" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--station", "Nanjing", "--area-m2", "-5", "--roof", "flat"], "area_m2"),
        (["--lat", "95", "--lon", "116", "--area-m2", "500", "--roof", "flat"], "latitude"),
        (["--station", "Atlantis", "--area-m2", "500", "--roof", "flat"], "station"),
        (["--station", "Nanjing", "--area-m2", "500", "--roof", "dome"], "roof"),
        (["--station", "Nanjing", "--area-m2", "500", "--roof", "pitched"], "pitch-deg"),
        (
            ["--station", "Nanjing", "--area-m2", "500", "--roof", "flat", "--optimize", "best"],
            "optimize",
        ),
        (["--station", "Nanjing", "--roof", "flat"], "--area-m2"),
        (
            ["--station", "Nanjing", "--area-m2", "500", "--roof", "flat", "--tilt", "75"],
            "tilt_deg",
        ),
        (
            [
                "--station",
                "Nanjing",
                "--area-m2",
                "500",
                "--roof",
                "flat",
                "--tilt",
                "20",
                "--allowable-load-kg-per-m2",
                "5",
            ],
            "allowable_load_kg_per_m2",
        ),
        (["--station", "Nanjing", "--polygon", "/nonexistent.json", "--roof", "flat"], "polygon"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    assert main(["roof", "layout", *args]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.json", "{not json"),
        ("two.json", "[[0, 0], [1, 1]]"),
        ("words.json", '{"vertices": [["a", 0], [1, 0], [0, 1]]}'),
        ("cols.csv", "a,b\n0,0\n1,0\n0,1\n"),
    ],
)
def test_malformed_polygon_files_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    svg = tmp_path / "x.svg"
    code = main(
        [
            "roof",
            "layout",
            "--station",
            "Nanjing",
            "--polygon",
            str(path),
            "--roof",
            "flat",
            "--tilt",
            "20",
            "--svg",
            str(svg),
        ]
    )
    err = capsys.readouterr().err.replace("\n", " ")
    assert code == 2
    assert "polygon" in err and "Traceback" not in err
    assert not svg.exists()
