"""`peakzero pv yield`: JSON keys, hourly CSV, warnings and every bad-input path (exit 2)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from peakzero.cli import main
from peakzero.solar import PVSystem, pv_profile
from peakzero.weather import station_weather

KEYS = {
    "annual_ac_kwh",
    "specific_yield_kwh_per_kwp",
    "monthly_ac_kwh",
    "station",
    "distance_km",
    "performance_ratio",
}


def run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, object]:
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0, out
    result: dict[str, object] = json.loads(out)
    return result


def test_station_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hourly = tmp_path / "sub" / "h.csv"
    res = run_json(
        capsys,
        [
            "pv",
            "yield",
            "--station",
            "Nanjing",
            "--kwp",
            "500",
            "--tilt",
            "25",
            "--json",
            "--hourly",
            str(hourly),
        ],
    )
    assert set(res) >= KEYS
    monthly = res["monthly_ac_kwh"]
    assert isinstance(monthly, list) and len(monthly) == 12
    assert sum(monthly) == pytest.approx(res["annual_ac_kwh"], rel=1e-9)
    assert res["annual_ac_kwh"] == pytest.approx(500 * res["specific_yield_kwh_per_kwp"])
    assert res["station"]["name"] == "Nanjing"  # type: ignore[index]
    assert res["distance_km"] == 0.0
    frame = pd.read_csv(hourly)
    assert list(frame.columns) == ["timestamp", "ac_kw", "ac_kw_per_kwp"]
    assert len(frame) == 8760
    assert frame["timestamp"].iloc[0] == "2023-01-01T00:00:00+0800"
    assert frame["ac_kw"].sum() == pytest.approx(res["annual_ac_kwh"], rel=1e-9)


def test_default_tilt_and_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pv", "yield", "--station", "Beijing", "--kwp", "10"]) == 0
    out = capsys.readouterr().out
    assert "kWh/kWp" in out and "performance ratio" in out
    assert "35.8 deg tilt" in out  # 0.9 x 39.8 deg


def test_east_west_arrays(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_json(
        capsys,
        [
            "pv",
            "yield",
            "--station",
            "Hangzhou",
            "--kwp",
            "100",
            "--mounting",
            "flush",
            "--array",
            "15:90:0.5",
            "--array",
            "15:270:0.5",
            "--json",
        ],
    )
    assert [a["azimuth_deg"] for a in res["arrays"]] == [90.0, 270.0]  # type: ignore[index,union-attr]


def test_far_station_refused_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    # issue 11: a site more than 150 km from every station is refused unless a weather file is
    # given (it used to run with a warning)
    code = main(["pv", "yield", "--lat", "40", "--lon", "90", "--kwp", "1", "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""  # nothing half-printed on stdout
    assert "more than 150 km" in captured.err and "weather file" in captured.err


def test_csv_weather_file_matches_station(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    w = station_weather("Nanjing")
    st = w.station
    frame = w.data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].copy()
    frame.insert(0, "timestamp", w.data.index.strftime("%Y-%m-%dT%H:%M:%S+08:00"))
    path = tmp_path / "nanjing.csv"
    frame.to_csv(path, index=False)
    base = ["--kwp", "1", "--tilt", "25", "--json"]
    from_file = run_json(
        capsys,
        [
            "pv",
            "yield",
            "--weather",
            str(path),
            "--lat",
            str(st.latitude_deg),
            "--lon",
            str(st.longitude_deg),
            *base,
        ],
    )
    # A user CSV holds interval means (sun at the interval midpoint) while CSWD values are
    # centred on their labels: the reference is the station's data with the CSV's convention.
    as_csv = dataclasses.replace(w, irradiance_centre_minutes=None)
    system = PVSystem.single(25.0, 180.0, losses_fraction=0.1408)  # the CLI's --losses 14.08
    reference = pv_profile(as_csv, system).specific_yield_kwh_per_kwp
    # Same irradiance; the CSV carries no elevation (0 m instead of the station's), which only
    # changes the pressure used for refraction: annual yield within 0.1 %.
    assert from_file["annual_ac_kwh"] == pytest.approx(reference, rel=1e-3)
    # The station itself is evaluated with the sun at its labels (CSWD timing).
    from_station = run_json(capsys, ["pv", "yield", "--station", "Nanjing", *base])
    centred = pv_profile(w, system).specific_yield_kwh_per_kwp
    assert from_station["annual_ac_kwh"] == pytest.approx(centred, rel=1e-9)


def _gappy_csv(tmp_path: Path) -> Path:
    w = station_weather("Nanjing")
    frame = w.data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].copy()
    frame.insert(0, "timestamp", w.data.index.strftime("%Y-%m-%dT%H:%M:%S+08:00"))
    frame = frame.drop(frame.index[1000:1100])  # a 100-hour hole
    path = tmp_path / "gappy.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--lat", "95", "--lon", "118", "--kwp", "1"], "latitude"),
        (["--lat", "30", "--kwp", "1"], "--lon"),
        (["--station", "Atlantis", "--kwp", "1"], "station"),
        (["--station", "Nanjing", "--kwp", "-3"], "kwp"),
        (["--station", "Nanjing", "--kwp", "1", "--tilt", "95"], "tilt_deg"),
        (["--station", "Nanjing", "--kwp", "1", "--azimuth", "400"], "azimuth_deg"),
        (["--station", "Nanjing", "--kwp", "1", "--mounting", "roof"], "mounting"),
        (["--station", "Nanjing", "--kwp", "1", "--dc-ac-ratio", "9"], "dc_ac_ratio"),
        (["--station", "Nanjing", "--kwp", "1", "--losses", "95"], "losses"),
        (["--station", "Nanjing", "--kwp", "1", "--array", "10:90"], "TILT:AZIMUTH:SHARE"),
        (["--station", "Nanjing", "--kwp", "1", "--array", "10:90:0.5"], "add up to"),
        (["--station", "Nanjing", "--lat", "30", "--lon", "120", "--kwp", "1"], "exactly one"),
        (["--weather", "/nonexistent/w.epw", "--kwp", "1"], "weather"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    assert main(["pv", "yield", *args]) == 2
    captured = capsys.readouterr()
    assert needle in captured.err.replace("\n", " ")
    assert "Traceback" not in captured.err


def test_weather_file_with_gaps_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    path = _gappy_csv(tmp_path)
    code = main(
        [
            "pv",
            "yield",
            "--weather",
            str(path),
            "--lat",
            "32",
            "--lon",
            "118",
            "--kwp",
            "1",
            "--hourly",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and err.strip()
    assert not out.exists()  # nothing half-written
