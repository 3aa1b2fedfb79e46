"""Grid factor library: published values, province fallback, year rules."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from peakzero.carbon.factors import (
    grid_emission_factor,
    grid_factor_lookup,
    grid_factor_note,
    grid_factor_trajectory,
    known_regions,
)
from peakzero.errors import PeakzeroError


@pytest.mark.parametrize(
    ("region", "year", "basis", "expected"),
    [
        # values typed from the MEE/NBS publications (china-facts.md), exact to 4 decimals
        ("national", 2021, "average", 0.5568),
        ("national", 2022, "average", 0.5366),
        ("national", 2023, "average", 0.5306),
        ("national", 2023, "fossil", 0.8273),
        ("national", 2022, "excl_market_nonfossil", 0.5856),
        ("national", 2023, "ets", 0.5703),
        ("east", 2022, "average", 0.5617),
        ("South", 2023, "average", 0.4042),
        ("Yunnan", 2022, "average", 0.1073),
        ("hebei", 2022, "average", 0.7252),
    ],
)
def test_published_values(region: str, year: int, basis: str, expected: float) -> None:
    assert grid_emission_factor(region, year, basis=basis) == expected


def test_province_without_own_value_uses_region() -> None:
    f = grid_factor_lookup("Jiangsu", 2022)
    assert (f.value_t_per_mwh, f.region_used, f.year_used) == (0.5617, "east", 2022)
    assert "East China" in f.source
    # Chinese name works too
    assert grid_emission_factor("广东", 2023) == 0.4042


def test_newer_regional_value_beats_older_provincial() -> None:
    # Hebei has a provincial value only for 2022; for 2023 the North grid 2023 value is newer.
    f = grid_factor_lookup("Hebei", 2023)
    assert (f.value_t_per_mwh, f.region_used, f.year_used) == (0.6361, "north", 2023)


def test_year_after_data_uses_nearest_earlier() -> None:
    f = grid_factor_lookup("national", 2030)
    assert (f.value_t_per_mwh, f.year_used) == (0.5306, 2023)
    assert grid_emission_factor("national", 2030, basis="ets") == 0.5703


def test_year_before_data_uses_the_first_data_year_with_a_note() -> None:
    # issue 11: a plan year before the data uses the nearest factor year, with a note
    f = grid_factor_lookup("national", 2019)
    assert (f.year_used, f.year_asked) == (2021, 2019)
    assert f.value_t_per_mwh == grid_emission_factor("national", 2021)
    assert f.note is not None and "2019" in f.note and "2021" in f.note
    s = grid_factor_lookup("Sichuan", 2018)
    assert s.year_used == 2022 and s == dataclasses.replace(
        grid_factor_lookup("Sichuan", 2022), year_asked=2018
    )
    assert grid_factor_note("Jiangsu", 2018) is not None
    assert grid_factor_note("Jiangsu", 2025) is None  # a later year: nearest earlier, no note
    path = grid_factor_trajectory("national", [2018, 2019, 2021], decline_per_year=0.0)
    assert path.tolist() == [grid_emission_factor("national", 2021)] * 3
    # a base year before all data declines from the first data year, not from the year asked
    early = grid_factor_trajectory("national", [2021, 2022], decline_per_year=0.1, base_year=1990)
    first = grid_emission_factor("national", 2021)
    assert early.tolist() == pytest.approx([first, first * 0.9], rel=1e-12)


@pytest.mark.parametrize("year", [20, 1899, 2101])
def test_year_outside_1900_2100_is_refused(year: int) -> None:
    with pytest.raises(PeakzeroError, match="allowed 1900 to 2100") as info:
        grid_factor_lookup("national", year)
    assert info.value.field == "year"


def test_unknown_region_and_basis() -> None:
    with pytest.raises(PeakzeroError, match="Atlantis"):
        grid_emission_factor("Atlantis")
    with pytest.raises(PeakzeroError, match="basis"):
        grid_emission_factor("national", 2023, basis="marginal")
    with pytest.raises(PeakzeroError, match="only for region 'national'"):
        grid_emission_factor("east", 2023, basis="fossil")


def test_every_province_resolves() -> None:
    for region in known_regions():
        assert 0.05 < grid_emission_factor(region, 2023) < 0.9


def test_trajectory_declines_geometrically() -> None:
    path = grid_factor_trajectory("east", [2022, 2023, 2024, 2025], decline_per_year=0.05)
    # 2022: own published value; from 2023 (latest data year) 0.5500 * 0.95**k
    expected = np.array([0.5617, 0.5500, 0.5500 * 0.95, 0.5500 * 0.95**2])
    np.testing.assert_allclose(path, expected, rtol=1e-12)  # float round-off only
    flat = grid_factor_trajectory("national", [2024, 2030])
    np.testing.assert_array_equal(flat, [0.5306, 0.5306])
    based = grid_factor_trajectory("national", [2022, 2023], decline_per_year=0.1, base_year=2022)
    np.testing.assert_allclose(based, [0.5366, 0.5366 * 0.9], rtol=1e-12)
    with pytest.raises(PeakzeroError, match="decline_per_year"):
        grid_factor_trajectory("national", [2024], decline_per_year=1.5)
