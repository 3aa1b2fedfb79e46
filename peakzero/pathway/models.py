"""PATHWAY.toml: the validated input of the pathway planner (pydantic models).

A pathway file has a ``[pathway]`` header, one ``[baseline.<source>]`` table per emission source,
an optional ``[grid]`` table, ``[targets]`` (with ``[[targets.caps]]``) and ``[[measures]]``. See
``examples/pathway/industrial_park.toml``. Inputs are checked here, once; errors name the field,
the value, what is allowed and the fix, as :class:`peakzero.errors.PeakzeroError`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import model_validator

from peakzero.errors import PeakzeroError, read_toml
from peakzero.params import item, param
from peakzero.validation import Strict, validate

Category = Literal["fuels", "electricity", "heat", "process"]


class GrowthPeriod(Strict):
    """Growth rate of a baseline source over the years after the previous period up to ``until``."""

    until: int = param("GrowthPeriod.until")
    rate: float = param("GrowthPeriod.rate")


class SourceSpec(Strict):
    """One baseline emission source: a base-year value and growth by period, or a full series.

    Electricity (``category = "electricity"``) is given in MWh (``base_mwh`` / ``series_mwh``) and
    turned into tCO2 with the grid factor of each year; the other categories in tCO2.
    """

    category: Category = param("SourceSpec.category")
    base_t: float | None = param("SourceSpec.base_t")
    base_mwh: float | None = param("SourceSpec.base_mwh")
    growth: list[GrowthPeriod] = param("SourceSpec.growth", default_factory=list)
    series_t: list[Annotated[float, item("SourceSpec.series_t")]] | None = param(
        "SourceSpec.series_t"
    )
    series_mwh: list[Annotated[float, item("SourceSpec.series_mwh")]] | None = param(
        "SourceSpec.series_mwh"
    )

    @model_validator(mode="after")
    def _one_way(self) -> SourceSpec:
        unit = "mwh" if self.category == "electricity" else "t"
        other = "t" if unit == "mwh" else "mwh"
        given = [k for k in (f"base_{unit}", f"series_{unit}") if getattr(self, k) is not None]
        wrong = [k for k in (f"base_{other}", f"series_{other}") if getattr(self, k) is not None]
        if wrong:
            raise ValueError(
                f"{wrong[0]} does not fit category {self.category!r}: electricity is given in MWh "
                "(base_mwh, series_mwh), fuels/heat/process in tCO2 (base_t, series_t)"
            )
        if len(given) != 1:
            raise ValueError(f"give exactly one of base_{unit} (with growth) or series_{unit}")
        series = getattr(self, f"series_{unit}")
        if series is not None and (self.growth or any(v < 0 for v in series)):
            raise ValueError(f"series_{unit} must be >= 0 and comes without growth periods")
        return self


class GridSpec(Strict):
    """Grid emission factor trajectory: from the MEE factor library, or given explicitly."""

    region: str = param("GridSpec.region")
    factor_year: int | None = param("GridSpec.factor_year")
    decline_per_year: float = param("GridSpec.decline_per_year")
    ef_t_per_mwh: (
        Annotated[float, item("GridSpec.ef_t_per_mwh")]
        | list[Annotated[float, item("GridSpec.ef_t_per_mwh")]]
        | None
    ) = param("GridSpec.ef_t_per_mwh")


class CapSpec(Strict):
    """An intermediate cap: at most ``max_t``, or ``reduction_vs_base`` below the base year."""

    year: int = param("CapSpec.year")
    reduction_vs_base: float | None = param("CapSpec.reduction_vs_base")
    max_t: float | None = param("CapSpec.max_t")
    basis: Literal["gross", "net"] = param("CapSpec.basis")

    @model_validator(mode="after")
    def _one_way(self) -> CapSpec:
        if (self.reduction_vs_base is None) == (self.max_t is None):
            raise ValueError("give exactly one of reduction_vs_base or max_t")
        return self


class TargetsSpec(Strict):
    """Targets and limits; set a year to ``false`` (TOML) / None to drop that target."""

    peak_year: int | None = param("TargetsSpec.peak_year")
    neutral_year: int | None = param("TargetsSpec.neutral_year")
    peak_basis: Literal["gross", "net"] = param("TargetsSpec.peak_basis")
    peak_min_decline_per_year: float = param("TargetsSpec.peak_min_decline_per_year")
    caps: list[CapSpec] = param("TargetsSpec.caps", default_factory=list)
    budget_yuan_per_year: float | None = param("TargetsSpec.budget_yuan_per_year")

    @model_validator(mode="before")
    @classmethod
    def _false_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: (None if k in ("peak_year", "neutral_year") and v is False else v)
                for k, v in data.items()
            }
        return data


class MeasureSpec(Strict):
    """One measure of the menu: a built-in ``type`` with overrides, or ``type = "custom"``."""

    name: str = param("MeasureSpec.name", min_length=1)
    type: str = param("MeasureSpec.type")
    max_units_per_year: float = param("MeasureSpec.max_units_per_year")
    max_units_total: float | None = param("MeasureSpec.max_units_total")
    earliest_year: int | None = param("MeasureSpec.earliest_year")
    unit: str | None = param("MeasureSpec.unit")
    capex_yuan_per_unit: float | None = param("MeasureSpec.capex_yuan_per_unit")
    opex_yuan_per_unit_year: float | None = param("MeasureSpec.opex_yuan_per_unit_year")
    lifetime_years: int | None = param("MeasureSpec.lifetime_years")
    cost_decline_per_year: float | None = param("MeasureSpec.cost_decline_per_year")
    acts_on: str | None = param("MeasureSpec.acts_on")
    direct_t_per_unit_year: float | None = param("MeasureSpec.direct_t_per_unit_year")
    grid_mwh_per_unit_year: float | None = param("MeasureSpec.grid_mwh_per_unit_year")
    offset_t_per_unit_year: float | None = param("MeasureSpec.offset_t_per_unit_year")
    sink_cmax_t_per_unit: float | None = param("MeasureSpec.sink_cmax_t_per_unit")
    sink_k_per_year: float | None = param("MeasureSpec.sink_k_per_year")
    sink_shape: float | None = param("MeasureSpec.sink_shape")
    # rooftop PV + storage, per kW (filled from the site optimiser's per-kW results)
    kwh_per_kw_year: float | None = param("MeasureSpec.kwh_per_kw_year")
    capex_yuan_per_kw: float | None = param("MeasureSpec.capex_yuan_per_kw")
    annual_saving_yuan_per_kw: float | None = param("MeasureSpec.annual_saving_yuan_per_kw")
    om_yuan_per_kw_year: float | None = param("MeasureSpec.om_yuan_per_kw_year")
    source: str | None = param("MeasureSpec.source")

    @model_validator(mode="after")
    def _pv_fields(self) -> MeasureSpec:
        if self.type != "custom":
            from peakzero.pathway.measures import builtin_defaults

            try:
                builtin_defaults(self.type)
            except PeakzeroError as exc:
                raise ValueError(str(exc)) from None
        pv = ("kwh_per_kw_year", "capex_yuan_per_kw", "annual_saving_yuan_per_kw")
        pv_all = (*pv, "om_yuan_per_kw_year")
        if self.type != "pv_storage" and any(getattr(self, k) is not None for k in pv_all):
            raise ValueError("kwh_per_kw_year etc. are for type = 'pv_storage' only")
        if self.type == "custom":
            needed = ("unit", "capex_yuan_per_unit", "opex_yuan_per_unit_year", "lifetime_years")
            missing = [k for k in needed if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a custom measure needs {', '.join(missing)}")
        return self


class PathwayHeader(Strict):
    """Plan-wide settings."""

    name: str = param("PathwayHeader.name")
    base_year: int = param("PathwayHeader.base_year")
    end_year: int = param("PathwayHeader.end_year")
    discount_rate: float = param("PathwayHeader.discount_rate")
    capex_mode: Literal["upfront_salvage", "annuity"] = param("PathwayHeader.capex_mode")
    macc_year: int | None = param("PathwayHeader.macc_year")


class PathwayInput(Strict):
    """The whole pathway file, validated."""

    pathway: PathwayHeader = param("PathwayInput.pathway")
    baseline: dict[str, SourceSpec] = param("PathwayInput.baseline")
    grid: GridSpec = param("PathwayInput.grid", default_factory=GridSpec)
    targets: TargetsSpec = param("PathwayInput.targets", default_factory=TargetsSpec)
    measures: list[MeasureSpec] = param("PathwayInput.measures", min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> PathwayInput:
        h = self.pathway
        n = h.end_year - h.base_year + 1
        if n < 3:
            raise ValueError(f"end_year must be at least base_year + 2 (got {h.end_year})")
        if not self.baseline:
            raise ValueError("baseline needs at least one source")
        elec = [k for k, s in self.baseline.items() if s.category == "electricity"]
        if len(elec) > 1:
            raise ValueError(f"at most one electricity source, got {elec}")
        for key, src in self.baseline.items():
            series = src.series_t if src.series_t is not None else src.series_mwh
            if series is not None and len(series) != n:
                raise ValueError(
                    f"baseline.{key}: series has {len(series)} values, needs one per year "
                    f"{h.base_year}-{h.end_year} ({n})"
                )
        ef = self.grid.ef_t_per_mwh
        if isinstance(ef, list) and len(ef) != n:
            raise ValueError(f"grid.ef_t_per_mwh has {len(ef)} values, needs 1 or {n}")
        names = [m.name for m in self.measures]
        if len(set(names)) != len(names):
            raise ValueError(f"measure names must be unique, got {names}")
        direct = {k for k, s in self.baseline.items() if s.category != "electricity"}
        for m in self.measures:
            if m.acts_on is not None and m.acts_on not in direct:
                raise ValueError(
                    f"measure {m.name!r}: acts_on = {m.acts_on!r} is not a fuels/heat/process "
                    f"baseline source; choose one of {sorted(direct)}"
                )
            if m.earliest_year is not None and not h.base_year <= m.earliest_year <= h.end_year:
                raise ValueError(
                    f"measure {m.name!r}: earliest_year = {m.earliest_year} is outside "
                    f"{h.base_year}-{h.end_year}"
                )
        t = self.targets
        for label, year in (("peak_year", t.peak_year), ("neutral_year", t.neutral_year)):
            if year is not None and not h.base_year <= year <= h.end_year:
                raise ValueError(
                    f"targets.{label} = {year} is outside the horizon {h.base_year}-{h.end_year}; "
                    "extend end_year or move the target"
                )
        for cap in t.caps:
            if not h.base_year < cap.year <= h.end_year:
                raise ValueError(
                    f"targets.caps: year {cap.year} is outside {h.base_year + 1}-{h.end_year}"
                )
        if h.macc_year is not None and not h.base_year <= h.macc_year <= h.end_year:
            raise ValueError(f"pathway.macc_year = {h.macc_year} is outside the horizon")
        return self


def parse_pathway(data: dict[str, Any]) -> PathwayInput:
    """Validate a parsed pathway mapping; errors become :class:`PeakzeroError`."""
    return validate(PathwayInput, data, origin="pathway input")


def load_pathway(path: str | Path) -> PathwayInput:
    """Read and validate a PATHWAY.toml file."""
    return parse_pathway(read_toml(path, kind="pathway file", field="path"))


def finite_or_inf(value: float | None) -> float:
    """``value`` or ``inf`` when None."""
    return math.inf if value is None else float(value)
