"""Validated input models for carbon files (entity TOML): parsed once, at the edge."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import model_validator

from peakzero.errors import PeakzeroError, read_toml
from peakzero.params import item, param
from peakzero.validation import Strict, UserPath, validate


class FuelUse(Strict):
    """One fuel burnt in a year: ``amount`` in the physical ``unit`` of its factors."""

    fuel: str = param("FuelUse.fuel")
    amount: float = param("FuelUse.amount")
    unit: str = param("FuelUse.unit")
    ncv_gj_per_unit: float | None = param("FuelUse.ncv_gj_per_unit")
    cc_tc_per_gj: float | None = param("FuelUse.cc_tc_per_gj")
    oxidation_fraction: float | None = param("FuelUse.oxidation_fraction")


class YearActivity(Strict):
    """Activity data of one year (GB/T 32150-2015 boundaries)."""

    year: int = param("YearActivity.year")
    fuels: list[FuelUse] = param("YearActivity.fuels", default_factory=list)
    process_t: float = param("YearActivity.process_t")
    electricity_mwh: float = param("YearActivity.electricity_mwh")
    green_electricity_mwh: float = param("YearActivity.green_electricity_mwh")
    heat_gj: float = param("YearActivity.heat_gj")
    exported_electricity_mwh: float = param("YearActivity.exported_electricity_mwh")
    exported_heat_gj: float = param("YearActivity.exported_heat_gj")
    forest_area_ha: float = param("YearActivity.forest_area_ha")
    ccer_t: float = param("YearActivity.ccer_t")
    grid_factor_t_per_mwh: float | None = param("YearActivity.grid_factor_t_per_mwh")

    @model_validator(mode="after")
    def _green_within_purchase(self) -> YearActivity:
        if self.green_electricity_mwh > self.electricity_mwh:
            raise ValueError(
                f"green_electricity_mwh = {self.green_electricity_mwh} exceeds electricity_mwh = "
                f"{self.electricity_mwh}: green certificates/power can cover at most the "
                "electricity bought"
            )
        return self


class EntityInfo(Strict):
    """Who is accounted and with which factors."""

    name: str = param("EntityInfo.name")
    region: str = param("EntityInfo.region")
    fuel_dataset: Literal["cn", "ipcc"] = param("EntityInfo.fuel_dataset")
    market_residual_basis: Literal["same", "excl_market_nonfossil"] = param(
        "EntityInfo.market_residual_basis"
    )
    heat_ef_t_per_gj: float | None = param("EntityInfo.heat_ef_t_per_gj")
    sink_factor_t_per_ha: float | None = param("EntityInfo.sink_factor_t_per_ha")


class EntityFile(Strict):
    """An entity TOML file: ``[entity]`` and one ``[[years]]`` table per year."""

    entity: EntityInfo = param("EntityFile.entity")
    years: list[YearActivity] = param("EntityFile.years", min_length=1)

    @model_validator(mode="after")
    def _years_unique(self) -> EntityFile:
        seen: set[int] = set()
        for y in self.years:
            if y.year in seen:
                raise ValueError(f"year {y.year} appears twice; give each year once")
            seen.add(y.year)
        return self


def parse_entity(data: object, *, source: str = "entity file") -> EntityFile:
    """Validate a parsed TOML mapping into an :class:`EntityFile`."""
    return validate(EntityFile, data, origin=source)


def load_entity(path: Path) -> EntityFile:
    """Read and validate an entity TOML file."""
    return parse_entity(read_toml(path, kind="file", field="path"), source=str(path))


def read_csv_columns(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, np.ndarray]:
    """Read numeric columns from a user CSV; the ``year`` column is checked for gaps/duplicates.

    Raises :class:`PeakzeroError` for a missing file or column, empty or non-numeric cells.
    """
    from peakzero.carbon.trajectory import check_years

    try:
        frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    except FileNotFoundError:
        raise PeakzeroError(f"file not found: {path}", field="path") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PeakzeroError(f"{path}: cannot read as CSV: {exc}", field="path") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    out: dict[str, np.ndarray] = {}
    for name in [*required, *[c for c in optional if c in frame.columns]]:
        if name not in frame.columns:
            raise PeakzeroError(
                f"{path}: column {name!r} is missing; columns found: {list(frame.columns)}; "
                f"required: {list(required)}",
                field=name,
            )
        values = pd.to_numeric(frame[name], errors="coerce")
        bad = values.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise PeakzeroError(
                f"{path}: column {name!r} has an empty or non-numeric value on line {row} "
                f"({frame[name].iloc[row - 2]!r}); every year needs a number",
                field=name,
            )
        out[name] = values.to_numpy(dtype=float)
    if "year" in out:
        out["year"] = check_years(out["year"], field=f"{path.name}: year")
    return out


class RateSpec(Strict):
    """Annual growth rate of one driver per period: mean and standard deviation [-]."""

    mean: list[Annotated[float, item("RateSpec.mean")]] = param("RateSpec.mean", min_length=1)
    sd: list[Annotated[float, item("RateSpec.sd")]] | None = param("RateSpec.sd")

    @model_validator(mode="after")
    def _same_length(self) -> RateSpec:
        if self.sd is not None and len(self.sd) != len(self.mean):
            raise ValueError(f"sd has {len(self.sd)} values but mean has {len(self.mean)}")
        return self


class ScenarioInfo(Strict):
    """Projection settings."""

    name: str = param("ScenarioInfo.name")
    periods: list[Annotated[int, item("ScenarioInfo.periods")]] = param(
        "ScenarioInfo.periods", min_length=2
    )
    peak_target_year: int = param("ScenarioInfo.peak_target_year")
    neutral_target_year: int = param("ScenarioInfo.neutral_target_year")
    samples: int = param("ScenarioInfo.samples")
    seed: int = param("ScenarioInfo.seed")
    history: UserPath | None = param("ScenarioInfo.history")

    @model_validator(mode="after")
    def _increasing(self) -> ScenarioInfo:
        if any(b <= a for a, b in zip(self.periods, self.periods[1:], strict=False)):
            raise ValueError(f"periods {self.periods} must be strictly increasing years")
        return self


class ScenarioFile(Strict):
    """A projection TOML: ``[scenario]``, ``[base]`` Kaya factors, ``[rates.<factor>]``."""

    scenario: ScenarioInfo = param("ScenarioFile.scenario")
    base: dict[str, Annotated[float, item("ScenarioFile.base")]] = param("ScenarioFile.base")
    rates: dict[str, RateSpec] = param("ScenarioFile.rates")

    @model_validator(mode="after")
    def _consistent(self) -> ScenarioFile:
        if set(self.base) != set(self.rates):
            raise ValueError(
                f"[base] factors {sorted(self.base)} and [rates] factors "
                f"{sorted(self.rates)} differ"
            )
        m = len(self.scenario.periods) - 1
        for k, spec in self.rates.items():
            if len(spec.mean) != m:
                raise ValueError(f"rates.{k}.mean has {len(spec.mean)} values for {m} periods")
        return self


def load_scenario(path: Path) -> ScenarioFile:
    """Read and validate a projection scenario TOML file."""
    raw = read_toml(path, kind="file", field="path")
    return validate(ScenarioFile, raw, origin=str(path), base_dir=Path(path).parent)
