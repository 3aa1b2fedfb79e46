"""County inputs: every bad building row named, refusal before any work, --skip-invalid, CRS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_county_cases import FIVE, write_county

from peakzero.cli import main
from peakzero.county import example_county, load_county, read_buildings
from peakzero.errors import PeakzeroError

BAD = [
    {**FIVE[0], "id": "X1", "category": "factory"},
    {**FIVE[1], "id": "X2", "annual_kwh": -5},
    {**FIVE[4], "id": "X3", "pitch_deg": 75},
    {**FIVE[2], "id": "X4", "latitude_deg": 0.5},
    {**FIVE[3], "id": "X5", "feeder": "F9"},
    {**FIVE[2], "id": "X6", "load": "disco"},
]


def test_every_bad_row_is_named_and_nothing_runs(tmp_path: Path) -> None:
    county = load_county(write_county(tmp_path, FIVE + BAD))
    with pytest.raises(PeakzeroError) as err:
        read_buildings(county)
    text = str(err.value)
    assert "6 invalid building(s), nothing was computed" in text
    for expected in (
        "building X1: category = 'factory': allowed one of government, public_service,",
        "building X2: annual_kwh = '-5': allowed 1.0 to 1000000000.0 kWh",
        "building X3: pitch_deg = '75': allowed 1.0 to 60.0 deg",
        "building X4: latitude_deg = 0.5: allowed (3.0, 54.0) deg (China)",
        "building X5: feeder = 'F9': allowed one of F1, F2",
        "building X6: load = 'disco': allowed one of factory_one_shift",
        "skip them (skip_invalid)",  # the engine names the setting, not a command-line option
    ):
        assert expected in text


def test_the_command_line_names_its_option_for_invalid_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peakzero.cli import main

    county_file = write_county(tmp_path, FIVE + BAD)
    out = tmp_path / "out"
    assert main(["county", "run", str(county_file), "--out", str(out), "--workers", "0"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "6 invalid building(s)" in err and "--skip-invalid" in err
    assert not out.exists()  # refused before any work: nothing written


def test_skip_invalid_keeps_the_good_rows_and_lists_the_bad(tmp_path: Path) -> None:
    county = load_county(write_county(tmp_path, FIVE + BAD))
    good, skipped = read_buildings(county, skip_invalid=True)
    assert [b.id for b in good] == [r["id"] for r in FIVE]
    assert sorted({e.id for e in skipped}) == ["X1", "X2", "X3", "X4", "X5", "X6"]


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    county = load_county(write_county(tmp_path, [*FIVE, FIVE[0]]))
    with pytest.raises(PeakzeroError, match="building R1: id = 'R1': allowed unique ids"):
        read_buildings(county)


def test_cli_refuses_with_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_county(tmp_path, FIVE + BAD[:1])
    out = tmp_path / "out"
    assert main(["county", "run", str(path), "--out", str(out), "--workers", "0"]) == 2
    assert "building X1: category = 'factory'" in capsys.readouterr().err
    assert not out.exists()


def test_county_file_errors_name_the_field(tmp_path: Path) -> None:
    path = write_county(tmp_path, FIVE, extra="[grid]\ngreen_max = 0.9\nyellow_max = 0.5\n")
    with pytest.raises(PeakzeroError, match=r"grid: .*yellow_max = 0.5 is below"):
        load_county(path)


def test_gauss_kruger_outlines_read_as_the_same_roofs(tmp_path: Path) -> None:
    """The same outlines in WGS84 and in CGCS2000 / 3-degree GK CM 120 E (EPSG:4549) give the
    same areas (to 1e-6 relative: a projection round trip) and centroids (1e-6 deg)."""
    from pyproj import Transformer

    wgs = tmp_path / "wgs"
    example_county(6, wgs, seed=7)
    data = json.loads((wgs / "buildings.geojson").read_text(encoding="utf-8"))
    to_gk = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)
    for feature in data["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"][0] = [list(to_gk.transform(x, y)) for x, y in ring]
    gk = tmp_path / "gk"
    gk.mkdir()
    (gk / "tariffs").mkdir()
    (gk / "buildings.geojson").write_text(json.dumps(data), encoding="utf-8")
    toml = (wgs / "COUNTY.toml").read_text(encoding="utf-8")
    (gk / "COUNTY.toml").write_text(toml.replace('"EPSG:4326"', '"EPSG:4549"'), "utf-8")
    (gk / "tariffs" / "jiangsu_residential_flat.toml").write_text(
        (wgs / "tariffs" / "jiangsu_residential_flat.toml").read_text("utf-8"), "utf-8"
    )
    a, _ = read_buildings(load_county(wgs / "COUNTY.toml"))
    b, _ = read_buildings(load_county(gk / "COUNTY.toml"))
    assert len(a) == len(b) == 6
    for x, y in zip(a, b, strict=True):
        assert x.area_m2 == pytest.approx(y.area_m2, rel=1e-6)
        assert x.latitude_deg == pytest.approx(y.latitude_deg, abs=1e-6)
        assert x.longitude_deg == pytest.approx(y.longitude_deg, abs=1e-6)


def test_unknown_crs_is_a_clear_error(tmp_path: Path) -> None:
    example_county(3, tmp_path, seed=1)
    path = tmp_path / "COUNTY.toml"
    path.write_text(path.read_text("utf-8").replace("EPSG:4326", "EPSG:999999"), "utf-8")
    with pytest.raises(PeakzeroError, match="crs = 'EPSG:999999' is not a coordinate"):
        read_buildings(load_county(path))


def test_bad_outline_is_named(tmp_path: Path) -> None:
    example_county(3, tmp_path, seed=2)
    path = tmp_path / "buildings.geojson"
    data = json.loads(path.read_text("utf-8"))
    ring = data["features"][1]["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]  # a bow tie: self-intersecting
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(PeakzeroError, match="building B000002: geometry = Self-intersection"):
        read_buildings(load_county(tmp_path / "COUNTY.toml"))
