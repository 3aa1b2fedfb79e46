"""Inventory (GB/T 32150-2015) worked by hand, and every bad input with a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peakzero.carbon.factors import check_fuel_unit, fuel_factor
from peakzero.carbon.inventory import entity_inventory, year_inventory
from peakzero.carbon.models import YearActivity, load_entity, parse_entity
from peakzero.errors import PeakzeroError

# Hand arithmetic, tolerance: only float round-off in sums of a few terms.
ABS_TOL_T = 1e-9

# natural gas 10 x 10^4 Nm3 (cn): 10 x 389.31 GJ = 3893.1 GJ; x 0.0153 tC/GJ = 59.56443 tC;
#   x OF 0.99 = 58.9687857 tC; x 44/12 = 216.2188809 tCO2
NG_T = 216.2188809
# diesel 100 t (cn): 100 x 42.652 = 4265.2 GJ; x 0.0202 = 86.15704 tC; x 0.98 = 84.4338992 tC;
#   x 44/12 = 309.5909637(3) tCO2
DIESEL_T = 309.59096373333
# raw coal 1000 t (cn): 1000 x 20.908 = 20908 GJ; x 0.02637 = 551.34396 tC; x 0.94 = 518.2633224 tC;
#   x 44/12 = 1900.2988488 tCO2
COAL_T = 1900.2988488


def _activity(**overrides: Any) -> YearActivity:
    data: dict[str, Any] = {
        "year": 2023,
        "fuels": [
            {"fuel": "natural_gas", "amount": 10, "unit": "1e4_Nm3"},
            {"fuel": "diesel", "amount": 100, "unit": "t"},
            {"fuel": "raw_coal", "amount": 1000, "unit": "t"},
        ],
        "process_t": 50,
        "electricity_mwh": 1000,
        "green_electricity_mwh": 400,
        "heat_gj": 1000,
        "exported_electricity_mwh": 100,
        "forest_area_ha": 10,
        "ccer_t": 20,
    }
    data.update(overrides)
    return YearActivity.model_validate(data)


def test_worked_example_jiangsu_2023() -> None:
    inv = year_inventory(_activity(), region="Jiangsu")
    src = inv.by_source_t
    assert src["fuel:natural_gas"] == pytest.approx(NG_T, abs=1e-6)  # NG_T typed to 7 decimals
    assert src["fuel:diesel"] == pytest.approx(DIESEL_T, abs=1e-9)
    assert src["fuel:raw_coal"] == pytest.approx(COAL_T, abs=1e-9)
    # scope 1 = 216.2188809 + 309.5909637 + 1900.2988488 + process 50 = 2476.1086934
    assert inv.scope1_t == pytest.approx(2476.1086934, abs=1e-6)
    # Jiangsu -> East China grid 2023: 0.5500 tCO2/MWh; 1000 MWh -> 550.0; heat 1000 GJ x 0.11 = 110
    assert inv.grid_ef_t_per_mwh == 0.55
    assert src["electricity"] == pytest.approx(550.0, abs=ABS_TOL_T)
    assert src["heat"] == pytest.approx(110.0, abs=ABS_TOL_T)
    assert inv.scope2_location_t == pytest.approx(660.0, abs=ABS_TOL_T)
    # market-based: (1000 - 400 green) x 0.55 = 330; + heat 110 = 440
    assert inv.scope2_market_t == pytest.approx(440.0, abs=ABS_TOL_T)
    # exported 100 MWh x 0.55 = 55 subtracted
    assert inv.exported_t == pytest.approx(55.0, abs=ABS_TOL_T)
    assert inv.gross_location_t == pytest.approx(2476.1086934 + 660 - 55, abs=1e-6)
    assert inv.gross_market_t == pytest.approx(2476.1086934 + 440 - 55, abs=1e-6)
    # sinks 10 ha x 3.3 = 33; CCER 20: net = 3081.1086934 - 53 = 3028.1086934
    assert inv.sinks_t == pytest.approx(33.0, abs=ABS_TOL_T)
    assert inv.net_location_t == pytest.approx(3028.1086934, abs=1e-6)
    assert sum(src.values()) == pytest.approx(inv.gross_location_t, abs=1e-9)


def test_ipcc_dataset_and_overrides() -> None:
    act = _activity(
        fuels=[{"fuel": "diesel", "amount": 100, "unit": "t"}],
        electricity_mwh=0,
        green_electricity_mwh=0,
        heat_gj=0,
        exported_electricity_mwh=0,
        process_t=0,
        grid_factor_t_per_mwh=0.6,
    )
    # IPCC diesel: 100 t x 43.0 GJ/t x 0.0202 tC/GJ x 1.0 x 44/12 = 318.4866667 tCO2
    inv = year_inventory(act, fuel_dataset="ipcc")
    assert inv.scope1_t == pytest.approx(318.4866667, abs=1e-6)
    # measured NCV override: 100 x 40.0 x 0.0202 x 0.98 x 44/12 = 290.3413333
    act2 = _activity(
        fuels=[{"fuel": "diesel", "amount": 100, "unit": "t", "ncv_gj_per_unit": 40.0}],
        process_t=0,
    )
    assert year_inventory(act2).by_source_t["fuel:diesel"] == pytest.approx(290.3413333, abs=1e-6)


def test_market_residual_excl_nonfossil_and_old_year_note() -> None:
    act = _activity(fuels=[], process_t=0, heat_gj=0, exported_electricity_mwh=0, year=2025)
    inv = year_inventory(act, region="national", market_residual_basis="excl_market_nonfossil")
    # location: 1000 x 0.5306 (2023 factor, latest <= 2025); market: 600 x 0.6096
    assert inv.scope2_location_t == pytest.approx(530.6, abs=ABS_TOL_T)
    assert inv.scope2_market_t == pytest.approx(600 * 0.6096, abs=ABS_TOL_T)
    assert inv.notes == ("grid factor of 2023 used for 2025 (latest earlier)",)


def test_unit_mismatch_names_fuel_and_units() -> None:
    act = _activity(fuels=[{"fuel": "natural_gas", "amount": 10, "unit": "t"}])
    with pytest.raises(PeakzeroError) as err:
        year_inventory(act)
    msg = str(err.value)
    assert "natural_gas" in msg and "'t'" in msg and "'1e4_Nm3'" in msg
    # spellings of the same unit are accepted, a different one never converted
    check_fuel_unit(fuel_factor("natural_gas"), "10^4 Nm3")
    with pytest.raises(PeakzeroError, match="unknown"):
        check_fuel_unit(fuel_factor("diesel"), "kg")


def test_unknown_fuel() -> None:
    with pytest.raises(PeakzeroError, match=r"fuel = 'unobtainium'.*known fuels are .*diesel"):
        year_inventory(_activity(fuels=[{"fuel": "unobtainium", "amount": 1, "unit": "t"}]))


@pytest.mark.parametrize(
    ("patch", "match"),
    [
        ({"fuels": [{"fuel": "diesel", "amount": -5, "unit": "t"}]}, r"amount \(value -5\)"),
        ({"electricity_mwh": -1}, "electricity_mwh"),
        ({"green_electricity_mwh": 5000}, "exceeds electricity_mwh"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_year_data(patch: dict[str, Any], match: str) -> None:
    year = {"year": 2023, "electricity_mwh": 1000, **patch}
    with pytest.raises(PeakzeroError, match=match):
        parse_entity({"entity": {"name": "x"}, "years": [year]})


def test_duplicate_years_rejected() -> None:
    with pytest.raises(PeakzeroError, match="year 2023 appears twice"):
        parse_entity({"entity": {"name": "x"}, "years": [{"year": 2023}, {"year": 2023}]})


def test_example_entity_file() -> None:
    path = Path(__file__).parents[1] / "examples" / "carbon" / "entity.toml"
    inv = entity_inventory(load_entity(path))
    assert [y.year for y in inv.years] == [2022, 2023]
    y22 = inv.years[0]
    # 2022 East China 0.5617: 18000 MWh -> 10110.6; heat 15000 GJ x 0.11 = 1650
    assert y22.scope2_location_t == pytest.approx(10110.6 + 1650.0, abs=1e-6)
