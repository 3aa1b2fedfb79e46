"""Emission-factor library: grid electricity, fuels, purchased heat and forest sinks.

Every number comes from a bundled CSV under ``peakzero/data/carbon/`` whose ``source`` column says
where it was taken from; figures that could not be checked against their primary source say
``[unverified]`` there and are editable defaults only.

Grid factors [tCO2/MWh] are the MEE/NBS published averages (national 2021-2023, ETS reporting
values, regional and provincial 2022/2023). A province without a provincial value uses its grid
region. When the requested year is not in the data, the nearest *earlier* year is used; a year
before all data uses the first data year (the nearest one; factors are not extrapolated
backwards), and :func:`grid_factor_note` says so for the results' notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from peakzero.data import read_table
from peakzero.errors import PeakzeroError

#: Calendar years a factor may be asked for (two-digit years are refused, not guessed).
YEAR_MIN, YEAR_MAX = 1900, 2100

GRID_BASES = ("average", "excl_market_nonfossil", "fossil", "ets")
"""Bases of the national grid factor: grid average (location-based scope 2), national average
excluding market-traded non-fossil power, fossil-fired power, carbon-market (ETS) reporting."""

_REGION_ALIASES = {
    "national": "national",
    "china": "national",
    "全国": "national",
    "north china": "north",
    "华北": "north",
    "northeast china": "northeast",
    "东北": "northeast",
    "east china": "east",
    "华东": "east",
    "central china": "central",
    "华中": "central",
    "northwest china": "northwest",
    "西北": "northwest",
    "south china": "south",
    "southern": "south",
    "南方": "south",
    "southwest china": "southwest",
    "西南": "southwest",
    "neimenggu": "inner mongolia",
    "nei mongol": "inner mongolia",
    "xizang": "tibet",
}


@dataclass(frozen=True)
class GridFactor:
    """A grid emission factor and where it came from.

    Attributes
    ----------
    value_t_per_mwh
        The factor [tCO2/MWh].
    region_used
        The region whose value was used: ``"national"``, a grid region or a province.
    year_used
        The data year of the value (may be earlier than the year asked for).
    source
        The ``source`` of the data row.
    year_asked
        The year asked for (``year_used`` is later when it is before all data).
    """

    value_t_per_mwh: float
    region_used: str
    year_used: int
    source: str
    year_asked: int | None = None

    @property
    def note(self) -> str | None:
        """A note when the year asked is before all data and a later year stands in."""
        if self.year_asked is None or self.year_asked >= self.year_used:
            return None
        return (
            f"Grid factor: {self.year_asked} is before the first published data year "
            f"{self.year_used} for {self.region_used!r}; the {self.year_used} factor "
            f"({self.value_t_per_mwh:g} tCO2/MWh) is used for it."
        )


@lru_cache(maxsize=1)
def _grid_table() -> pd.DataFrame:
    frame = read_table("carbon/grid_factors.csv")
    frame["region"] = frame["region"].str.strip().str.lower()
    frame["basis"] = frame["basis"].str.strip()
    return frame


@lru_cache(maxsize=1)
def _province_regions() -> dict[str, str]:
    frame = read_table("carbon/grid_regions.csv")
    mapping: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        region = str(row.grid_region).strip().lower()
        mapping[str(row.province).strip().lower()] = region
        mapping[str(row.name_zh).strip()] = region
    return mapping


@lru_cache(maxsize=1)
def _zh_to_province() -> dict[str, str]:
    frame = read_table("carbon/grid_regions.csv")
    return {str(r.name_zh).strip(): str(r.province).strip().lower() for r in frame.itertuples()}


def _normalise_region(region: str) -> str:
    key = " ".join(str(region).strip().lower().replace("_", " ").replace("-", " ").split())
    key = _REGION_ALIASES.get(key, key)
    return _zh_to_province().get(key, key)


def known_regions() -> list[str]:
    """Names accepted as ``region``: ``"national"``, the grid regions and the provinces."""
    regions = sorted(set(_province_regions().values()))
    provinces = sorted(p for p in _province_regions() if p.isascii())
    return ["national", *regions, *provinces]


def _int(value: object) -> int:
    return int(str(value))


def _float(value: object) -> float:
    return float(str(value))


def _latest_row(rows: pd.DataFrame, year: int) -> dict[str, object] | None:
    """The row with the latest year <= ``year`` as a mapping, or None."""
    earlier = rows[rows["year"] <= year].sort_values("year")
    if earlier.empty:
        return None
    return {str(k): v for k, v in earlier.iloc[-1].to_dict().items()}


def grid_factor_lookup(
    region: str = "national", year: int = 2023, *, basis: str = "average"
) -> GridFactor:
    """Grid emission factor with the region and year actually used.

    Parameters
    ----------
    region
        ``"national"``, a grid region (``"north"``, ``"northeast"``, ``"east"``, ``"central"``,
        ``"northwest"``, ``"south"``, ``"southwest"``) or a province (English or Chinese name,
        case-insensitive, e.g. ``"Jiangsu"``).
    year
        Data year wanted (1900-2100). When absent from the data the nearest earlier year is
        used; before all data, the first data year (with :attr:`GridFactor.note`).
    basis
        One of :data:`GRID_BASES`; bases other than ``"average"`` exist only for ``"national"``.

    Returns
    -------
    GridFactor
        For a province: the provincial value when one exists, else its grid region's. Between the
        provincial and the regional value, the one with the later data year (<= ``year``) wins;
        on equal years the provincial value wins.

    Raises
    ------
    PeakzeroError
        Unknown region or basis; a year outside 1900-2100.

    Examples
    --------
    >>> f = grid_factor_lookup("Jiangsu", 2023)
    >>> (f.value_t_per_mwh, f.region_used, f.year_used)
    (0.55, 'east', 2023)
    """
    if basis not in GRID_BASES:
        raise PeakzeroError(
            f"grid factor basis = {basis!r} is unknown: allowed {', '.join(GRID_BASES)}.",
            field="basis",
        )
    key = _normalise_region(region)
    table = _grid_table()
    provinces = _province_regions()
    regions = set(provinces.values())
    if key == "national":
        candidates = ["national"]
    elif key in regions:
        candidates = [key]
    elif key in provinces:
        candidates = [key, provinces[key]]
    else:
        raise PeakzeroError(
            f"grid region = {region!r} is unknown: use 'national', a grid region "
            f"({', '.join(sorted(regions))}) or a province name such as 'Jiangsu'.",
            field="region",
        )
    if basis != "average" and key != "national":
        raise PeakzeroError(
            f"grid factor basis = {basis!r} is published only for region 'national', "
            f"not {region!r}; use basis='average' for a region or province.",
            field="basis",
        )
    if not YEAR_MIN <= int(year) <= YEAR_MAX:
        raise PeakzeroError(
            f"grid factor year = {year} is out of range: allowed {YEAR_MIN} to {YEAR_MAX} "
            "(a four-digit calendar year).",
            field="year",
        )
    best: dict[str, object] | None = None
    for name in candidates:
        rows = table[(table["region"] == name) & (table["basis"] == basis)]
        row = _latest_row(rows, int(year))
        if row is not None and (best is None or _int(row["year"]) > _int(best["year"])):
            best = row
    if best is None:  # before all data: the nearest (first) data year, noted
        rows = table[table["region"].isin(candidates) & (table["basis"] == basis)]
        first = int(rows["year"].min())
        for name in candidates:
            row = _latest_row(rows[rows["region"] == name], first)
            if row is not None:
                best = row
                break
    assert best is not None
    return GridFactor(
        value_t_per_mwh=_float(best["ef_t_per_mwh"]),
        region_used=str(best["region"]),
        year_used=_int(best["year"]),
        source=str(best["source"]),
        year_asked=int(year),
    )


def grid_factor_note(region: str, year: int) -> str | None:
    """The note to show when ``year`` is before all grid factor data for ``region`` (the first
    data year stands in), else ``None``."""
    return grid_factor_lookup(region, year).note


def grid_emission_factor(
    region: str = "national", year: int = 2023, *, basis: str = "average"
) -> float:
    """Grid emission factor [tCO2/MWh] for ``region`` and ``year``.

    See :func:`grid_factor_lookup` for the rules (province -> region fallback, nearest earlier
    year).

    Examples
    --------
    >>> grid_emission_factor("national", 2022)
    0.5366
    >>> grid_emission_factor("national", 2025, basis="ets")
    0.5703
    """
    return grid_factor_lookup(region, year, basis=basis).value_t_per_mwh


def grid_factor_trajectory(
    region: str,
    years: Sequence[int],
    *,
    decline_per_year: float = 0.0,
    base_year: int | None = None,
) -> np.ndarray:
    """Grid factor path [tCO2/MWh] declining geometrically from a base year.

    ``ef(y) = ef(base_year) * (1 - decline_per_year) ** (y - base_year)`` for ``y >= base_year``;
    years before ``base_year`` use their own published factor (nearest earlier year; before all
    data, the first data year).

    Parameters
    ----------
    region
        As in :func:`grid_factor_lookup`.
    years
        Years wanted.
    decline_per_year
        Fractional decline per year (0.02 = 2 %/yr), in [0, 1).
    base_year
        Year whose published factor starts the decline; default the latest data year available
        for ``region`` (so with ``decline_per_year = 0`` the path is flat at the latest factor).

    Examples
    --------
    >>> path = grid_factor_trajectory("national", [2023, 2024, 2025], decline_per_year=0.1)
    >>> path.round(5).tolist()
    [0.5306, 0.47754, 0.42979]
    """
    if not 0.0 <= decline_per_year < 1.0:
        raise PeakzeroError(
            f"decline_per_year = {decline_per_year} is out of range: allowed 0 to <1 "
            "(0.02 = 2 %/yr).",
            field="decline_per_year",
        )
    years_arr = np.asarray(list(years), dtype=int)
    if base_year is None:
        base = grid_factor_lookup(region, YEAR_MAX)
        base_year = base.year_used
    else:
        base = grid_factor_lookup(region, base_year)
        base_year = max(base_year, base.year_used)  # before all data: decline from the first
    out = np.empty(years_arr.shape, dtype=float)
    for i, y in enumerate(years_arr):
        if y >= base_year:
            out[i] = base.value_t_per_mwh * (1.0 - decline_per_year) ** (int(y) - base_year)
        else:
            out[i] = grid_factor_lookup(region, int(y)).value_t_per_mwh
    return out


FUEL_DATASETS = ("cn", "ipcc")
"""Fuel factor sets: Chinese defaults (GB/T 32150-2015 / MEE guidelines) and IPCC 2006 defaults."""

_UNIT_SPELLINGS = {
    "t": "t",
    "tonne": "t",
    "tonnes": "t",
    "吨": "t",
    "1e4_nm3": "1e4_Nm3",
    "1e4 nm3": "1e4_Nm3",
    "1e4nm3": "1e4_Nm3",
    "10^4 nm3": "1e4_Nm3",
    "10^4nm3": "1e4_Nm3",
    "10^4_nm3": "1e4_Nm3",
    "万nm3": "1e4_Nm3",
    "万立方米": "1e4_Nm3",
}
"""Accepted spellings of the two physical fuel units. These are names of the *same* unit, never
conversions: a fuel given in another unit than its factor's is an error."""

CO2_PER_C = 44.0 / 12.0
"""Mass ratio CO2 / C [tCO2/tC]."""


@dataclass(frozen=True)
class FuelFactor:
    """Combustion factors of one fuel (GB/T 32150-2015 Appendix).

    Attributes
    ----------
    fuel, dataset
        Fuel key (e.g. ``"natural_gas"``) and factor set (``"cn"`` or ``"ipcc"``).
    unit
        Physical unit activity data must be given in (``"t"`` or ``"1e4_Nm3"``).
    ncv_gj_per_unit
        Net calorific value [GJ/unit].
    cc_tc_per_gj
        Carbon content per unit heat [tC/GJ].
    oxidation_fraction
        Oxidation fraction [-].
    source
        Where the figures come from (``[unverified]`` where not checked).
    """

    fuel: str
    dataset: str
    unit: str
    ncv_gj_per_unit: float
    cc_tc_per_gj: float
    oxidation_fraction: float
    source: str

    @property
    def ef_t_per_unit(self) -> float:
        """Emission factor [tCO2/unit] = NCV x CC x OF x 44/12."""
        return self.ncv_gj_per_unit * self.cc_tc_per_gj * self.oxidation_fraction * CO2_PER_C


def normalise_unit(unit: str) -> str | None:
    """Canonical spelling of a fuel unit (``"t"`` or ``"1e4_Nm3"``), or None when unknown.

    >>> normalise_unit("10^4 Nm3")
    '1e4_Nm3'
    """
    return _UNIT_SPELLINGS.get(" ".join(str(unit).strip().lower().split()))


@lru_cache(maxsize=1)
def _fuel_table() -> dict[tuple[str, str], FuelFactor]:
    frame = read_table("carbon/fuels.csv")
    out: dict[tuple[str, str], FuelFactor] = {}
    for r in frame.itertuples(index=False):
        f = FuelFactor(
            fuel=str(r.fuel).strip(),
            dataset=str(r.dataset).strip(),
            unit=str(r.unit).strip(),
            ncv_gj_per_unit=_float(r.ncv_gj_per_unit),
            cc_tc_per_gj=_float(r.cc_tc_per_gj),
            oxidation_fraction=_float(r.oxidation_fraction),
            source=str(r.source),
        )
        out[(f.fuel, f.dataset)] = f
    return out


def known_fuels(dataset: str = "cn") -> list[str]:
    """Fuel keys available in a factor set."""
    return sorted(f for f, d in _fuel_table() if d == dataset)


def fuel_factor(fuel: str, dataset: str = "cn") -> FuelFactor:
    """Combustion factors of ``fuel`` from the bundled library.

    Raises
    ------
    PeakzeroError
        Unknown dataset or fuel (the message lists the known fuels).

    Examples
    --------
    >>> f = fuel_factor("natural_gas")
    >>> (f.unit, f.ncv_gj_per_unit, f.cc_tc_per_gj, f.oxidation_fraction)
    ('1e4_Nm3', 389.31, 0.0153, 0.99)
    """
    if dataset not in FUEL_DATASETS:
        raise PeakzeroError(
            f"fuel factor dataset = {dataset!r} is unknown: allowed {', '.join(FUEL_DATASETS)}.",
            field="fuel_dataset",
        )
    key = str(fuel).strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return _fuel_table()[(key, dataset)]
    except KeyError:
        raise PeakzeroError(
            f"fuel = {fuel!r} is unknown in the {dataset!r} factor set: known fuels are "
            f"{', '.join(known_fuels(dataset))}. Use one of them, or enter the emissions as "
            "process emissions.",
            field="fuel",
        ) from None


def check_fuel_unit(fuel: FuelFactor, unit: str) -> None:
    """Raise :class:`PeakzeroError` unless ``unit`` is the unit ``fuel``'s factors are given per.

    No conversion is attempted: natural gas in t when the factor is per 10^4 Nm3 is an error.
    """
    canonical = normalise_unit(unit)
    if canonical is None:
        raise PeakzeroError(
            f"unit = {unit!r} for fuel {fuel.fuel!r} is unknown: allowed 't' (tonnes) or "
            f"'1e4_Nm3' (10^4 normal cubic metres); {fuel.fuel!r} expects {fuel.unit!r}.",
            field="unit",
        )
    if canonical != fuel.unit:
        raise PeakzeroError(
            f"unit mismatch for fuel {fuel.fuel!r}: given in {unit!r} but its {fuel.dataset!r} "
            f"factors are per {fuel.unit!r}. Give the amount in {fuel.unit!r} (convert it with "
            "your own measured density) or choose another factor set; peakzero does not convert.",
            field="unit",
        )


def combustion_emissions_t(
    amount: np.ndarray | float,
    ncv_gj_per_unit: float,
    cc_tc_per_gj: float,
    oxidation_fraction: float,
) -> np.ndarray:
    """Fuel combustion CO2 [tCO2] = AD x NCV x CC x OF x 44/12 (GB/T 32150-2015, formula (2)).

    Parameters
    ----------
    amount
        Activity data [unit of the factors, t or 10^4 Nm3], array or scalar.
    ncv_gj_per_unit
        Net calorific value [GJ/unit].
    cc_tc_per_gj
        Carbon content [tC/GJ].
    oxidation_fraction
        Oxidation fraction [-].

    Examples
    --------
    >>> float(combustion_emissions_t(10.0, 389.31, 0.0153, 0.99).round(4))
    216.2189
    """
    ad = np.asarray(amount, dtype=float)
    return ad * ncv_gj_per_unit * cc_tc_per_gj * oxidation_fraction * CO2_PER_C


@lru_cache(maxsize=1)
def _other_factors() -> dict[str, tuple[float, str]]:
    frame = read_table("carbon/other_factors.csv")
    return {str(r.name): (_float(r.value), str(r.source)) for r in frame.itertuples(index=False)}


def heat_emission_factor() -> float:
    """Default purchased-heat emission factor [tCO2/GJ] (0.11, [unverified], editable).

    >>> heat_emission_factor()
    0.11
    """
    return _other_factors()["heat_ef_t_per_gj"][0]


def forest_sink_factor() -> float:
    """Default forest sink [tCO2/(ha yr)] (about 3.3, biomass only; Yang et al. 2022).

    >>> forest_sink_factor()
    3.3
    """
    return _other_factors()["forest_sink_t_per_ha_year"][0]
