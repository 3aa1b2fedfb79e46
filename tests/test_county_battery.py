"""Battery buildings against the full-year site optimiser: an office on the single-part TOU
tariff, a second office of the same chain (sized from the first one's basis, the warm path)
and a factory on the two-part tariff with a demand charge under zero export, each through the
county run and through :func:`peakzero.site.optimize_site` on the same building."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_county_cases import FIVE, write_county

from peakzero.county import load_county, read_buildings, run_county
from peakzero.county.engines import (
    FullYearLP,
    assign_stations,
    optimize_reference,
    orientation_class,
    reference_site,
)
from peakzero.weather import list_stations

#: Sizes: the same LP solved to HiGHS's 1e-9 tolerances along another path; the planner
#: rounds sizes to 0.001. Where the optimum is a vertex both reach it; 1e-4 of the size (plus
#: the rounding) leaves room for the path only, far inside the issue's 5 %.
SIZE_REL = 1e-4
SIZE_ABS = 2e-3
#: NPV: the LP credits valley exports at the lower import price while the bill pays the export
#: price, so equally optimal dispatches may bill apart (see test_county_five); on these
#: buildings the figures agree far closer, 1e-4 relative, inside the issue's 1 %.
NPV_REL = 1e-4

ROWS = [
    {**FIVE[1], "id": "G1", "area_m2": 600, "annual_kwh": 120000},
    {**FIVE[1], "id": "G2", "area_m2": 900, "annual_kwh": 200000},
    {**FIVE[3], "id": "C1", "annual_kwh": 900000, "area_m2": 2500},
]


def test_battery_buildings_equal_the_site_optimiser(tmp_path: Path) -> None:
    path = write_county(tmp_path, ROWS)
    text = path.read_text("utf-8").replace("battery = false", "battery = true")
    path.write_text(text, "utf-8")  # every category may have a battery
    county = load_county(path)
    buildings, _ = read_buildings(county)
    results = run_county(county, buildings, tmp_path / "out", workers=0).results
    assert results["sizing"].tolist() == ["lp_full_year"] * 3
    stations = assign_stations(buildings)
    lat = {s.wmo_id: s.latitude_deg for s in list_stations()}
    for b, row in zip(buildings, results.to_dict(orient="records"), strict=True):
        wmo = stations[b.id]
        site = reference_site(
            county, b, station_wmo=wmo, orientation=orientation_class(b, lat[wmo]),
            max_kwp=row["roof_max_kwp"],
        )  # fmt: skip
        ref = optimize_reference(site).to_dict()
        assert ref["battery_kwh"] > 0, b.id
        for ours, theirs in (("pv_kwp", "pv_kwp"), ("battery_kw", "battery_kw"),
                             ("battery_kwh", "battery_kwh")):  # fmt: skip
            assert row[ours] == pytest.approx(ref[theirs], rel=SIZE_REL, abs=SIZE_ABS), (b.id, ours)
        assert row["npv_yuan"] == pytest.approx(ref["npv_yuan"], rel=NPV_REL), b.id


def test_chain_reuses_the_basis(tmp_path: Path) -> None:
    """The two offices form one chain; the second is solved from the first one's basis (no
    representative-day start) and gets the same sizes as when solved alone."""
    from peakzero.county.engines import county_context
    from peakzero.county.run import plan_chains
    from peakzero.county.screen import size_building

    path = write_county(tmp_path, ROWS)
    path.write_text(path.read_text("utf-8").replace("battery = false", "battery = true"), "utf-8")
    county = load_county(path)
    buildings, _ = read_buildings(county)
    stations = assign_stations(buildings)
    ctx = county_context(county, buildings, stations)
    assert sorted(next(c for c in plan_chains(buildings, stations, ctx) if 0 in c)) == [0, 1]
    chain = FullYearLP()
    rows = [size_building(b, stations[b.id], ctx, chain) for b in buildings[:2]]
    assert (chain.cold_starts, chain.warm_starts) == (1, 1)
    alone = size_building(buildings[1], stations[buildings[1].id], ctx, FullYearLP())
    for key in ("pv_kwp", "battery_kw", "battery_kwh"):
        assert rows[1][key] == pytest.approx(alone[key], rel=SIZE_REL, abs=SIZE_ABS), key
    assert rows[1]["npv_yuan"] == pytest.approx(alone["npv_yuan"], rel=NPV_REL)
