"""Candidates around the optimum: strings rounded down and up, battery units just below and above
the optimal energy and power of each product, within the plan's limits (hand-derived lists)."""

from __future__ import annotations

import pytest

from peakzero.design import (
    battery_candidates,
    find_module,
    load_battery_units,
    load_inverters,
    pv_candidates,
)

#: Suzhou demo site temperatures (as in test_design_rounding): string window 6-19 modules.
T_MIN_C, T_MAX_CELL_C = -4.5, 64.6


def _pv(target_kwp: float, max_modules: int | None = None) -> list[tuple[int, float, int]]:
    designs = pv_candidates(
        target_kwp,
        find_module("topcon_72_590"),
        load_inverters(),
        t_min_c=T_MIN_C,
        t_max_cell_c=T_MAX_CELL_C,
        max_modules=max_modules,
    )
    return [(d.strings, d.kwp, d.inverters) for d in designs]


def test_pv_strings_floor_and_ceil() -> None:
    # 3,729.3 kWp / (19 x 0.59 = 11.21 kWp per string) = 332.68 -> 332 and 333 strings
    got = _pv(3729.3)
    assert [(s, round(k, 6)) for s, k, _ in got] == [(332, 3721.72), (333, 3732.93)]
    # each on 150 kW inverters at the DC/AC ratio nearest 1.2 (3721.72 / 180 = 20.7 -> 21)
    assert [n for _, _, n in got] == [21, 21]


def test_pv_whole_strings_give_one_candidate_and_the_roof_stops_the_larger() -> None:
    assert [s for s, _, _ in _pv(11.21 * 300)] == [300]
    # the roof holds 332 strings of 19 (6,308 modules) plus 10 modules: 333 is left out
    assert [s for s, _, _ in _pv(3729.3, max_modules=332 * 19 + 10)] == [332]


def _battery(kw: float, kwh: float, **limits: float) -> list[tuple[str, int] | None]:
    got = battery_candidates(kw, kwh, load_battery_units(), **limits)
    return [None if b is None else (b.unit.id, b.units) for b in got]


def test_battery_units_around_optimal_energy_and_power_suzhou() -> None:
    # optimum 1,145.8 kW / 4,000 kWh with max_kwh = 4,000:
    # 215 kWh: 4000/215 = 18.6 -> 18 (19 x 215 = 4,085 > 4,000); 1145.8/100 = 11.5 -> 11, 12
    # 261 kWh: 4000/261 = 15.3 -> 15 (16 x 261 = 4,176 > 4,000); 1145.8/125 = 9.2 -> 9, 10
    # 2,064 kWh: 1.9 -> 1 (2 x 2,064 > 4,000); 1145.8/1000 = 1.1 -> 1, 2 (2 too much energy)
    # 5,016 kWh: 0.8 -> 0 (no battery), 1 too much energy; 1145.8/2500 = 0.46 -> 0, 1
    got = _battery(1145.8, 4000.0, max_kwh=4000.0)
    assert set(got) == {
        ("cabinet_100_215", 11),
        ("cabinet_100_215", 12),
        ("cabinet_100_215", 18),
        ("cabinet_125_261", 9),
        ("cabinet_125_261", 10),
        ("cabinet_125_261", 15),
        ("container_1000_2064", 1),
        None,
    }
    assert len(got) == len(set(got))  # no duplicates


def test_battery_limits_and_minimums() -> None:
    # a minimum energy rules out "no battery" and the small counts
    got = _battery(1145.8, 4000.0, max_kwh=4000.0, min_kwh=3000.0)
    assert None not in got
    assert all(b is not None and b[1] * {"cabinet_100_215": 215, "cabinet_125_261": 261}.get(
        b[0], 0) >= 3000 for b in got)  # fmt: skip
    # a power limit of 1,000 kW keeps only counts with at most 1,000 kW
    for b in _battery(1145.8, 4000.0, max_kwh=4000.0, max_kw=1000.0):
        if b is not None:
            kw = {"cabinet_100_215": 100, "cabinet_125_261": 125, "container_1000_2064": 1000}
            assert b[1] * kw[b[0]] <= 1000.0
    assert _battery(0.0, 0.0) == []


@pytest.mark.parametrize(("kw", "kwh"), [(100.0, 215.0), (250.0, 522.0)])
def test_exact_multiples_give_that_count(kw: float, kwh: float) -> None:
    got = _battery(kw, kwh)
    unit = "cabinet_100_215" if kwh == 215.0 else "cabinet_125_261"
    count = 1 if kwh == 215.0 else 2
    assert (unit, count) in got
    assert (unit, count + 1) not in got  # the ceiling of an exact multiple is the multiple
