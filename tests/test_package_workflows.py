"""The CLI's workflows as package functions: station resolution, PV yield summary, roof design,
carbon projection, station climate, load summary.

Each is checked against the engine functions it composes, called directly (the composition is
the thing under test), against hand-derived values, and against the CLI's JSON output (the CLI
must be nothing but parse -> call -> print).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.carbon.decomposition import kaya_factors
from peakzero.carbon.drivers import decompose_drivers, energy_column
from peakzero.carbon.models import load_scenario, read_csv_columns
from peakzero.carbon.montecarlo import simulate_peak
from peakzero.carbon.projection import fit_stirpat, project_kaya
from peakzero.carbon.scenario import project_scenario
from peakzero.carbon.series import series_trajectory
from peakzero.carbon.trajectory import analyze_trajectory
from peakzero.cli import main
from peakzero.cli._output import to_json
from peakzero.errors import PeakzeroError
from peakzero.load.summary import load_summary
from peakzero.roof import Module, choose_tilt, layout_roof
from peakzero.roof.design import design_roof, roof_outline
from peakzero.solar import PVArray, PVSystem, default_tilt_deg, orientation_yields, pv_profile
from peakzero.solar.summary import pv_yield_summary
from peakzero.weather import (
    find_station,
    nearest_station,
    resolve_station,
    resolve_weather,
    station_weather,
)
from peakzero.weather.climate import station_climate
from peakzero.weather.stations import annual_ghi_kwh_per_m2

ROOT = Path(__file__).resolve().parents[1]
CARBON = ROOT / "examples" / "carbon"
#: Relative tolerance of sums of floating-point series against their totals (8760 terms).
SUM_RTOL = 1e-9


def _cli_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main([*argv, "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def _as_json(data: dict[str, object]) -> object:
    return json.loads(to_json(data))


# --- station resolution -------------------------------------------------------------------


def test_resolve_station_by_name_and_by_location() -> None:
    named = resolve_station("Nanjing")
    assert named.station == find_station("Nanjing")
    assert named.distance_km == 0.0 and named.warning is None
    located = resolve_station(latitude_deg=31.30, longitude_deg=120.70)
    assert located == nearest_station(31.30, 120.70)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "location"),
        ({"station": "Nanjing", "latitude_deg": 32.0, "longitude_deg": 118.8}, "location"),
        ({"latitude_deg": 32.0}, "longitude"),
        ({"longitude_deg": 118.8}, "latitude"),
        ({"latitude_deg": 95.0, "longitude_deg": 118.8}, "latitude"),
        ({"station": "Atlantis"}, "station"),
    ],
)
def test_resolve_station_refuses(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(PeakzeroError) as info:
        resolve_station(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "--" not in str(info.value)


def test_resolve_weather_sources(tmp_path: Path) -> None:
    site = resolve_weather("Nanjing")
    assert len(site.weather.data) == 8760 and site.weather.data.index[0].year == 2023
    leap = resolve_weather("Nanjing", year=2024)
    assert len(leap.weather.data) == 8784  # 29 February repeats 28 February
    with pytest.raises(PeakzeroError) as far:  # > 150 km from every station: refused
        resolve_weather(latitude_deg=45.0, longitude_deg=80.0)
    assert far.value.field == "location" and "--" not in str(far.value)
    with pytest.raises(PeakzeroError) as info:
        resolve_weather()
    assert info.value.field == "weather_source"
    with pytest.raises(PeakzeroError) as info:
        resolve_weather(weather_file=tmp_path / "none.epw")
    assert info.value.field == "weather"


# --- PV yield summary ---------------------------------------------------------------------


def test_pv_yield_summary_is_the_profile_scaled_to_the_kwp() -> None:
    weather = station_weather("Nanjing")
    summary = pv_yield_summary(500.0, weather)
    tilt = default_tilt_deg(weather.station.latitude_deg)
    assert tilt == pytest.approx(0.9 * 32.83, abs=0.05)  # rounded to 0.1 deg
    profile = pv_profile(weather, PVSystem((PVArray(tilt, 180.0),)))
    assert summary.annual_ac_kwh == pytest.approx(500.0 * profile.specific_yield_kwh_per_kwp)
    assert summary.monthly_ac_kwh.sum() == pytest.approx(summary.annual_ac_kwh, rel=SUM_RTOL)
    hourly = summary.hourly()
    assert list(hourly.columns) == ["timestamp", "ac_kw", "ac_kw_per_kwp"]
    assert hourly["ac_kw"].sum() * 1.0 == pytest.approx(summary.annual_ac_kwh, rel=SUM_RTOL)
    assert summary.peak_ac_kw == pytest.approx(500.0 * profile.ac_kw_per_kwp.max())


def test_pv_yield_summary_faces_are_one_system() -> None:
    weather = station_weather("Shanghai")
    east_west = pv_yield_summary(
        100.0, weather, faces=[(10, 90, 0.5), (10, 270, 0.5)], mounting="flush"
    )
    system = PVSystem((PVArray(10, 90, "flush", 0.5), PVArray(10, 270, "flush", 0.5)))
    assert east_west.profile.system == system
    profile = pv_profile(weather, system)
    np.testing.assert_array_equal(east_west.profile.ac_kw_per_kwp, profile.ac_kw_per_kwp)
    assert [a["share"] for a in east_west.to_dict()["arrays"]] == [0.5, 0.5]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kwp": 0.0}, "kwp"),
        ({"mounting": "roof"}, "mounting"),
        ({"faces": [(10, 90, 0.5)]}, "share"),
        ({"dc_ac_ratio": 9.0}, "dc_ac_ratio"),
    ],
)
def test_pv_yield_summary_refuses(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"kwp": 10.0, **kwargs}
    with pytest.raises(PeakzeroError) as info:
        pv_yield_summary(site=station_weather("Nanjing"), **args)  # type: ignore[arg-type]
    assert info.value.field == field


def test_pv_yield_summary_is_what_the_cli_prints(capsys: pytest.CaptureFixture[str]) -> None:
    cli = _cli_json(capsys, ["pv", "yield", "--station", "Nanjing", "--kwp", "50", "--tilt", "20"])
    summary = pv_yield_summary(
        50.0, resolve_weather("Nanjing"), tilt_deg=20.0, losses_fraction=0.1408
    )
    expected = summary.to_dict()
    assert cli.pop("hourly_file") is None
    assert list(cli) == list(expected)  # same keys in the same order
    assert cli == _as_json(expected)


# --- roof design --------------------------------------------------------------------------


def test_roof_outline() -> None:
    assert roof_outline("flat", area_m2=900.0).area_m2 == pytest.approx(900.0)
    l_shape = [(0.0, 0.0), (40.0, 0.0), (40.0, 20.0), (20.0, 20.0), (20.0, 40.0), (0.0, 40.0)]
    assert roof_outline("flat", polygon=l_shape).area_m2 == pytest.approx(1200.0)  # 40x40-20x20
    pitched = roof_outline("pitched", area_m2=400.0, pitch_deg=20.0, azimuth_deg=200.0)
    assert pitched.pitch_deg == 20.0 and pitched.azimuth_deg == 200.0
    assert roof_outline("flat", area_m2=400.0, pitch_deg=20.0).pitch_deg == 0.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "dome", "area_m2": 100.0}, "roof"),
        ({"kind": "flat"}, "area_m2"),
        ({"kind": "flat", "area_m2": 100.0, "polygon": [(0, 0), (1, 0), (1, 1)]}, "area_m2"),
        ({"kind": "flat", "area_m2": -5.0}, "area_m2"),
        ({"kind": "pitched", "area_m2": 100.0}, "pitch_deg"),
        ({"kind": "flat", "polygon": Path("/nonexistent.json")}, "polygon"),
    ],
)
def test_roof_outline_refuses(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(PeakzeroError) as info:
        roof_outline(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "--" not in str(info.value)


def test_design_roof_given_tilt_is_the_layout_and_its_yield() -> None:
    weather = station_weather("Nanjing")
    roof = roof_outline("flat", area_m2=2000.0)
    design = design_roof(roof, weather, tilt_deg=20.0)
    layout = layout_roof(roof, weather.station.latitude_deg, 20.0)
    assert design.layout.modules == layout.modules > 0
    assert design.layout.kwp == pytest.approx(layout.modules * 0.590)  # 590 W modules
    specific = float(orientation_yields(weather, [PVSystem((layout.pv_array(),))])[0])
    assert design.specific_yield_kwh_per_kwp == specific
    assert design.annual_ac_kwh == pytest.approx(specific * layout.kwp)
    assert design.tilt_choice == "given"
    assert design.svg().count("<polygon") == layout.modules + 1  # modules + roof outline


def test_design_roof_chooses_the_tilt_of_a_flat_roof() -> None:
    weather = station_weather("Beijing")
    roof = roof_outline("flat", area_m2=2000.0)
    for objective in ("per-kwp", "per-area"):
        design = design_roof(roof, weather, optimize=objective)
        choice = choose_tilt(roof, weather, objective, module=Module())  # type: ignore[arg-type]
        assert design.layout.tilt_deg == choice.layout.tilt_deg
        assert design.specific_yield_kwh_per_kwp == choice.specific_yield_kwh_per_kwp
        assert design.tilt_choice == f"optimised {objective}"


def test_design_roof_pitched_lies_at_the_pitch() -> None:
    roof = roof_outline("pitched", area_m2=400.0, pitch_deg=25.0, azimuth_deg=180.0)
    design = design_roof(roof, station_weather("Hangzhou"))
    assert design.layout.tilt_deg == 25.0 and design.layout.mounting == "flush"
    assert design.tilt_choice == "roof pitch"


def test_design_roof_refuses_a_roof_without_room_for_a_module() -> None:
    roof = roof_outline("flat", area_m2=4.0)  # 2 m x 2 m, less the 0.5 m setback: 1 m x 1 m
    with pytest.raises(PeakzeroError, match="no module fits") as info:
        design_roof(roof, station_weather("Nanjing"), tilt_deg=20.0)
    assert info.value.field == "area_m2"
    with pytest.raises(PeakzeroError) as info:
        design_roof(roof, station_weather("Nanjing"), optimize="best")
    assert info.value.field == "optimize"


def test_design_roof_is_what_the_cli_prints(capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--lat", "31.3", "--lon", "120.7"]
    cli = _cli_json(capsys, ["roof", "layout", "--roof", "flat", "--area-m2", "1500", *where])
    design = design_roof(
        roof_outline("flat", area_m2=1500.0),
        resolve_weather(latitude_deg=31.3, longitude_deg=120.7),
    )
    assert cli.pop("svg_file") is None
    assert list(cli) == list(design.to_dict())
    assert cli == _as_json(design.to_dict())


# --- carbon projection --------------------------------------------------------------------


def test_project_scenario_composes_the_engines() -> None:
    path = CARBON / "scenario.toml"
    result = project_scenario(path, samples=300)
    sc = load_scenario(path)
    means = {k: np.asarray(r.mean) for k, r in sc.rates.items()}
    base = project_kaya(sc.base, means, sc.scenario.periods)
    np.testing.assert_array_equal(result.baseline.emissions_t, base.emissions_t)
    # the base year is the product of the Kaya factors of [base], by hand
    product = 1_058_055 * 135_992 * 3.1666e-5 * 2.1726
    assert result.baseline.emissions_t[0] == pytest.approx(product, rel=1e-12)
    sds = {k: np.asarray(r.sd) for k, r in sc.rates.items()}
    mc = simulate_peak(
        sc.base, means, sds, sc.scenario.periods, n_samples=300, seed=7, target_year=2030
    )
    assert result.monte_carlo.to_dict() == mc.to_dict()
    h = read_csv_columns(
        CARBON / "drivers.csv", ["year", "emissions_t", "population", "gdp_yuan", "energy_tce"]
    )
    kf = kaya_factors(h["population"], h["gdp_yuan"], h["energy_tce"], h["emissions_t"])
    fit = fit_stirpat(
        h["emissions_t"], kf["population"], kf["gdp_per_capita"], kf["energy_intensity"]
    )
    assert result.stirpat is not None and result.stirpat.fit == fit
    assert result.stirpat.emissions_t is not None
    assert len(result.stirpat.emissions_t) == len(base.years)


def test_project_scenario_from_a_parsed_scenario_needs_its_folder() -> None:
    sc = load_scenario(CARBON / "scenario.toml")
    from_file = project_scenario(CARBON / "scenario.toml", samples=50)
    parsed = project_scenario(sc, samples=50, base_dir=CARBON)
    assert parsed.to_dict() == from_file.to_dict()
    info = sc.scenario.model_copy(update={"history": None})
    no_history = sc.model_copy(update={"scenario": info})
    assert "stirpat" not in project_scenario(no_history, samples=50).to_dict()


def test_project_scenario_is_what_the_cli_prints(capsys: pytest.CaptureFixture[str]) -> None:
    path = CARBON / "scenario.toml"
    cli = _cli_json(capsys, ["carbon", "project", str(path), "--samples", "200", "--seed", "3"])
    assert cli == _as_json(project_scenario(path, samples=200, seed=3).to_dict())


def test_decompose_drivers_effects_add_up_to_the_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = CARBON / "drivers.csv"
    change = decompose_drivers(path, 2015, 2023)
    dec = change.decomposition
    h = read_csv_columns(path, ["year", "emissions_t"])
    by_year = dict(zip(h["year"].tolist(), h["emissions_t"].tolist(), strict=True))
    assert dec.emissions_from_t == by_year[2015] and dec.emissions_to_t == by_year[2023]
    # LMDI-I is exact: the effects add up to the change (floating-point sum of 4 terms)
    assert sum(dec.effects_t.values()) == pytest.approx(dec.change_t, rel=1e-12)
    cli = _cli_json(capsys, ["carbon", "decompose", str(path), "--from", "2015", "--to", "2023"])
    assert cli == _as_json(change.to_dict())


def test_series_trajectory_reads_and_analyses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = CARBON / "series.csv"
    data = read_csv_columns(path, ["year", "emissions_t", "sinks_t", "offsets_t"])
    direct = analyze_trajectory(
        data["year"], data["emissions_t"], data["sinks_t"], data["offsets_t"]
    )
    assert _as_json(series_trajectory(path).to_dict()) == _as_json(direct.to_dict())
    cli = _cli_json(capsys, ["carbon", "trajectory", str(path)])
    assert cli == _as_json(direct.to_dict())
    sinks = tmp_path / "sinks.csv"
    years = data["year"].astype(int)
    sinks.write_text("year,sinks_t\n" + "".join(f"{y},1000\n" for y in years))
    with_sinks = series_trajectory(path, sinks=sinks)  # replaces the sinks_t column
    expected_net = data["emissions_t"] - 1000.0 - data["offsets_t"]
    np.testing.assert_allclose(with_sinks.net_t, expected_net, rtol=0, atol=1e-6)
    with pytest.raises(PeakzeroError) as info:
        series_trajectory(path, sinks_col="sink_t")
    assert info.value.field == "sinks_col" and "--" not in str(info.value)


def test_energy_column(tmp_path: Path) -> None:
    assert energy_column(CARBON / "drivers.csv") == "energy_tce"
    gj = tmp_path / "gj.csv"
    gj.write_text("year,emissions_t,energy_gj,energy\n2020,1,2,3\n")
    assert energy_column(gj) == "energy_gj"  # looked for before a bare "energy"
    none = tmp_path / "none.csv"
    none.write_text("year,emissions_t\n2020,1\n")
    with pytest.raises(PeakzeroError) as info:
        energy_column(none)
    assert info.value.field == "energy"
    with pytest.raises(PeakzeroError) as info:
        energy_column(tmp_path / "missing.csv")
    assert info.value.field == "path"


# --- station climate and load summary -----------------------------------------------------


def test_station_climate_agrees_with_the_station_table() -> None:
    climate = station_climate("Beijing")
    station = find_station("Beijing")
    assert climate["annual_ghi_kwh_per_m2"] == round(annual_ghi_kwh_per_m2(station), 1)
    monthly = climate["monthly_ghi_kwh_per_m2"]
    assert len(monthly) == 12
    # each month is rounded to 0.1 kWh/m2: the 12 roundings move the sum by at most 0.6
    assert sum(monthly) == pytest.approx(climate["annual_ghi_kwh_per_m2"], abs=0.6 + 0.05)


def test_load_summary_of_a_constant_load() -> None:
    index = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Etc/GMT-8")
    summary = load_summary(pd.Series(100.0, index=index))
    assert summary["annual_kwh"] == 876_000.0 and summary["load_factor"] == 1.0
    monthly = summary["monthly_kwh"]
    assert isinstance(monthly, list)
    assert monthly[0] == 31 * 24 * 100.0 and monthly[1] == 28 * 24 * 100.0
