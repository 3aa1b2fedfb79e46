"""Validated input models for carbon files (entity TOML): parsed once, at the edge."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from peakzero.errors import PeakzeroError, read_toml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FuelUse(_Strict):
    """One fuel burnt in a year: ``amount`` in the physical ``unit`` of its factors."""

    fuel: str = Field(description="fuel key, e.g. raw_coal, natural_gas, diesel")
    amount: float = Field(ge=0, description="activity data [t or 10^4 Nm3]")
    unit: str = Field(description="'t' or '1e4_Nm3' (must match the fuel's factor unit)")
    ncv_gj_per_unit: float | None = Field(default=None, gt=0, description="measured NCV override")
    cc_tc_per_gj: float | None = Field(default=None, gt=0, description="measured CC override")
    oxidation_fraction: float | None = Field(default=None, gt=0, le=1, description="OF override")


class YearActivity(_Strict):
    """Activity data of one year (GB/T 32150-2015 boundaries)."""

    year: int = Field(ge=1900, le=2100)
    fuels: list[FuelUse] = Field(default_factory=list)
    process_t: float = Field(default=0.0, ge=0, description="process emissions [tCO2]")
    electricity_mwh: float = Field(default=0.0, ge=0, description="purchased electricity [MWh]")
    green_electricity_mwh: float = Field(
        default=0.0, ge=0, description="green certificates + green power bought [MWh]"
    )
    heat_gj: float = Field(default=0.0, ge=0, description="purchased heat [GJ]")
    exported_electricity_mwh: float = Field(default=0.0, ge=0, description="[MWh]")
    exported_heat_gj: float = Field(default=0.0, ge=0, description="[GJ]")
    forest_area_ha: float = Field(default=0.0, ge=0, description="forest area owned [ha]")
    ccer_t: float = Field(default=0.0, ge=0, description="CCER offsets retired [tCO2]")
    grid_factor_t_per_mwh: float | None = Field(
        default=None, gt=0, lt=2, description="override of the published grid factor [tCO2/MWh]"
    )

    @model_validator(mode="after")
    def _green_within_purchase(self) -> YearActivity:
        if self.green_electricity_mwh > self.electricity_mwh:
            raise ValueError(
                f"green_electricity_mwh = {self.green_electricity_mwh} exceeds electricity_mwh = "
                f"{self.electricity_mwh}: green certificates/power can cover at most the "
                "electricity bought"
            )
        return self


class EntityInfo(_Strict):
    """Who is accounted and with which factors."""

    name: str
    region: str = Field(default="national", description="province or grid region")
    fuel_dataset: Literal["cn", "ipcc"] = "cn"
    market_residual_basis: Literal["same", "excl_market_nonfossil"] = Field(
        default="same",
        description="factor for non-green electricity in market-based scope 2: the location "
        "factor ('same') or the national factor excluding market-traded non-fossil power",
    )
    heat_ef_t_per_gj: float | None = Field(default=None, gt=0, lt=1)
    sink_factor_t_per_ha: float | None = Field(default=None, ge=0, lt=100)


class EntityFile(_Strict):
    """An entity TOML file: ``[entity]`` and one ``[[years]]`` table per year."""

    entity: EntityInfo
    years: list[YearActivity] = Field(min_length=1)

    @model_validator(mode="after")
    def _years_unique(self) -> EntityFile:
        seen: set[int] = set()
        for y in self.years:
            if y.year in seen:
                raise ValueError(f"year {y.year} appears twice; give each year once")
            seen.add(y.year)
        return self


def validation_message(exc: ValidationError, *, source: str) -> PeakzeroError:
    """Turn a pydantic error into one readable :class:`PeakzeroError` (field, value, rule)."""
    lines = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"])
        value = err.get("input")
        shown = "" if isinstance(value, dict | list) else f" (value {value!r})"
        lines.append(f"{loc or 'file'}{shown}: {err['msg']}")
    first = exc.errors()[0]["loc"] if exc.errors() else ()
    return PeakzeroError(
        f"{source}: invalid input: " + "; ".join(lines),
        field=".".join(str(p) for p in first) or None,
    )


def parse_entity(data: object, *, source: str = "entity file") -> EntityFile:
    """Validate a parsed TOML mapping into an :class:`EntityFile`."""
    try:
        return EntityFile.model_validate(data)
    except ValidationError as exc:
        raise validation_message(exc, source=source) from None


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


class RateSpec(_Strict):
    """Annual growth rate of one driver per period: mean and standard deviation [-]."""

    mean: list[float] = Field(min_length=1)
    sd: list[float] | None = None

    @model_validator(mode="after")
    def _same_length(self) -> RateSpec:
        if self.sd is not None and len(self.sd) != len(self.mean):
            raise ValueError(f"sd has {len(self.sd)} values but mean has {len(self.mean)}")
        if self.sd is not None and any(s < 0 for s in self.sd):
            raise ValueError("sd must be >= 0")
        if any(r <= -1 for r in self.mean):
            raise ValueError("growth rates must be > -1 (-100 %/yr)")
        return self


class ScenarioInfo(_Strict):
    """Projection settings."""

    name: str
    periods: list[int] = Field(min_length=2, description="period boundary years, first = base")
    peak_target_year: int = 2030
    neutral_target_year: int = 2060
    samples: int = Field(default=2000, ge=10, le=200_000)
    seed: int = 0
    history: str | None = Field(default=None, description="drivers CSV for the STIRPAT fit")

    @model_validator(mode="after")
    def _increasing(self) -> ScenarioInfo:
        if any(b <= a for a, b in zip(self.periods, self.periods[1:], strict=False)):
            raise ValueError(f"periods {self.periods} must be strictly increasing years")
        return self


class ScenarioFile(_Strict):
    """A projection TOML: ``[scenario]``, ``[base]`` Kaya factors, ``[rates.<factor>]``."""

    scenario: ScenarioInfo
    base: dict[str, float]
    rates: dict[str, RateSpec]

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
        for k, v in self.base.items():
            if v <= 0:
                raise ValueError(f"base.{k} = {v} must be > 0")
        return self


def load_scenario(path: Path) -> ScenarioFile:
    """Read and validate a projection scenario TOML file."""
    try:
        return ScenarioFile.model_validate(read_toml(path, kind="file", field="path"))
    except ValidationError as exc:
        raise validation_message(exc, source=str(path)) from None
