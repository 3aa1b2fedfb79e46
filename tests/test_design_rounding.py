"""Rounding designs to whole products: exact kWp, window-respecting strings, whole units."""

from __future__ import annotations

import pytest

from peakzero.data import read_table
from peakzero.design import (
    equipment_list,
    find_module,
    load_battery_units,
    load_inverters,
    load_modules,
    round_battery,
    round_pv,
    string_window,
)
from peakzero.errors import PeakzeroError

#: Suzhou demo: the LP's 3,729.3 kWp and 1,145.8 kW / 4,000 kWh; CSWD Shanghai -4.5 deg C coldest
#: hour and 64.6 deg C hottest SAPM cell (rows at 10 deg).
T_MIN_C, T_MAX_CELL_C = -4.5, 64.6


def test_catalogues_have_sources() -> None:
    for name in ("modules", "inverters", "batteries"):
        frame = read_table(f"products/{name}.csv")  # refuses a row without source
        assert len(frame) >= 2
    assert {m.id for m in load_modules()} >= {"topcon_72_590"}


def test_kwp_is_modules_times_power_exactly() -> None:
    module = find_module("topcon_72_590")
    pv = round_pv(3729.3, module, load_inverters(), t_min_c=T_MIN_C, t_max_cell_c=T_MAX_CELL_C)
    assert pv.modules == pv.modules_per_string * pv.strings
    assert pv.kwp == pv.modules * 590 / 1000  # exact: integer x 590 / 1000
    # strings of 19 (window 6-19, see test_design_strings): 3729.3 / 11.21 = 332.7 -> 333 strings
    assert (pv.modules_per_string, pv.strings, pv.modules) == (19, 333, 6327)
    assert pv.kwp == pytest.approx(3732.93, abs=1e-9)
    w = string_window(module, pv.inverter, T_MIN_C, T_MAX_CELL_C)
    assert w.min_modules <= pv.modules_per_string <= w.max_modules
    assert pv.string_voc_cold_v < pv.inverter.max_dc_v
    # all strings have an input; the maker's DC/AC limit holds; near the target 1.2
    assert pv.strings <= pv.inverters * pv.inverter.inputs
    assert pv.dc_ac_ratio <= pv.inverter.max_dc_ac_ratio
    assert abs(pv.dc_ac_ratio - 1.2) <= 0.05
    # 1100 V by default: the 1500 V class is left out
    assert pv.inverter.max_dc_v <= 1100


def test_max_modules_caps_the_roof() -> None:
    module = find_module("topcon_72_590")
    pv = round_pv(
        5000.0,
        module,
        load_inverters(),
        t_min_c=T_MIN_C,
        t_max_cell_c=T_MAX_CELL_C,
        max_modules=7525,
    )
    # 7525 modules on the roof: 7525 // 19 = 396 strings = 7524 modules
    assert pv.modules == 7524 and pv.modules <= 7525


def test_no_inverter_fits_is_clear() -> None:
    module = find_module("topcon_72_590")
    small = [i for i in load_inverters() if i.max_dc_v <= 1100]
    with pytest.raises(PeakzeroError, match="no inverter"):
        # a 600 V system voltage cap leaves no inverter of the catalogue
        round_pv(
            100.0,
            module,
            small,
            t_min_c=T_MIN_C,
            t_max_cell_c=T_MAX_CELL_C,
            max_system_voltage_v=600.0,
        )


def test_battery_whole_units() -> None:
    units = load_battery_units()
    b = round_battery(1145.8, 4000.0, units, max_kwh=4000.0)
    assert b is not None
    assert b.kwh == b.units * b.unit.kwh and b.kw == b.units * b.unit.kw
    assert b.kwh <= 4000.0
    assert b.kw >= 1145.8  # power is not short
    # 261 kWh cabinets: 4000 / 261 = 15.3 -> 15 = 3,915 kWh (2.1 % short); 215 kWh: 19 -> 4,085
    # over the cap -> 18 = 3,870 (3.3 %); 2,064 kWh containers: 2 over the cap -> 1 (48 %)
    assert (b.unit.id, b.units) == ("cabinet_125_261", 15)
    assert round_battery(0.0, 0.0, units) is None


def test_battery_cap_too_small_is_clear() -> None:
    with pytest.raises(PeakzeroError, match="max_kwh"):
        round_battery(50.0, 100.0, load_battery_units(), max_kwh=100.0)


def test_equipment_list_quantities() -> None:
    module = find_module("topcon_72_590")
    pv = round_pv(3729.3, module, load_inverters(), t_min_c=T_MIN_C, t_max_cell_c=T_MAX_CELL_C)
    b = round_battery(1145.8, 4000.0, load_battery_units(), max_kwh=4000.0)
    table = equipment_list(pv, b)
    qty = dict(zip(table["item"], table["quantity"], strict=True))
    assert qty == {
        "pv_module": 6327,
        "pv_string": 333,
        "inverter": pv.inverters,
        "battery_cabinet": 15,
    }
    assert table["source"].str.len().gt(0).all()
