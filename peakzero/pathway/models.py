"""PATHWAY.toml: the validated input of the pathway planner (pydantic models).

A pathway file has a ``[pathway]`` header, one ``[baseline.<source>]`` table per emission source,
an optional ``[grid]`` table, ``[targets]`` (with ``[[targets.caps]]``) and ``[[measures]]``. See
``examples/pathway/industrial_park.toml``. Inputs are checked here, once; errors name the field,
the value, what is allowed and the fix, as :class:`peakzero.errors.PeakzeroError`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from peakzero.errors import PeakzeroError, read_toml

Category = Literal["fuels", "electricity", "heat", "process"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GrowthPeriod(_Strict):
    """Growth rate of a baseline source over the years after the previous period up to ``until``."""

    until: int = Field(ge=1990, le=2100, description="last year of the period (inclusive)")
    rate: float = Field(ge=-0.5, le=0.5, description="growth per year, 0.03 = +3 %/yr")


class SourceSpec(_Strict):
    """One baseline emission source: a base-year value and growth by period, or a full series.

    Electricity (``category = "electricity"``) is given in MWh (``base_mwh`` / ``series_mwh``) and
    turned into tCO2 with the grid factor of each year; the other categories in tCO2.
    """

    category: Category
    base_t: float | None = Field(default=None, ge=0)
    base_mwh: float | None = Field(default=None, ge=0)
    growth: list[GrowthPeriod] = Field(default_factory=list)
    series_t: list[float] | None = None
    series_mwh: list[float] | None = None

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


class GridSpec(_Strict):
    """Grid emission factor trajectory: from the MEE factor library, or given explicitly."""

    region: str = "national"
    factor_year: int | None = Field(default=None, description="data year of the starting factor")
    decline_per_year: float = Field(default=0.0, ge=0.0, lt=1.0)
    ef_t_per_mwh: float | list[float] | None = Field(
        default=None, description="explicit factor [tCO2/MWh]: one value or one per year"
    )


class CapSpec(_Strict):
    """An intermediate cap: at most ``max_t``, or ``reduction_vs_base`` below the base year."""

    year: int
    reduction_vs_base: float | None = Field(default=None, ge=-1.0, le=2.0)
    max_t: float | None = None
    basis: Literal["gross", "net"] = "net"

    @model_validator(mode="after")
    def _one_way(self) -> CapSpec:
        if (self.reduction_vs_base is None) == (self.max_t is None):
            raise ValueError("give exactly one of reduction_vs_base or max_t")
        return self


class TargetsSpec(_Strict):
    """Targets and limits; set a year to ``false`` (TOML) / None to drop that target."""

    peak_year: int | None = 2030
    neutral_year: int | None = 2060
    peak_basis: Literal["gross", "net"] = "gross"
    peak_min_decline_per_year: float = Field(default=0.0, ge=0.0, le=0.5)
    caps: list[CapSpec] = Field(default_factory=list)
    budget_yuan_per_year: float | None = Field(default=None, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _false_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: (None if k in ("peak_year", "neutral_year") and v is False else v)
                for k, v in data.items()
            }
        return data


class MeasureSpec(_Strict):
    """One measure of the menu: a built-in ``type`` with overrides, or ``type = "custom"``."""

    name: str = Field(min_length=1)
    type: str
    max_units_per_year: float = Field(ge=0)
    max_units_total: float | None = Field(default=None, ge=0)
    earliest_year: int | None = None
    unit: str | None = None
    capex_yuan_per_unit: float | None = Field(default=None, ge=0)
    opex_yuan_per_unit_year: float | None = None
    lifetime_years: int | None = Field(default=None, ge=1, le=100)
    cost_decline_per_year: float | None = Field(default=None, ge=0.0, lt=1.0)
    acts_on: str | None = None
    direct_t_per_unit_year: float | None = Field(default=None, ge=0)
    grid_mwh_per_unit_year: float | None = None
    offset_t_per_unit_year: float | None = Field(default=None, ge=0)
    sink_cmax_t_per_unit: float | None = Field(default=None, ge=0)
    sink_k_per_year: float | None = Field(default=None, gt=0)
    sink_shape: float | None = Field(default=None, gt=0)
    # rooftop PV + storage, per kW (filled from the site optimiser's per-kW results)
    kwh_per_kw_year: float | None = Field(default=None, ge=0, le=3000)
    capex_yuan_per_kw: float | None = Field(default=None, ge=0)
    annual_saving_yuan_per_kw: float | None = None
    om_yuan_per_kw_year: float | None = Field(default=None, ge=0)
    source: str | None = None

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


class PathwayHeader(_Strict):
    """Plan-wide settings."""

    name: str = "pathway"
    base_year: int = Field(ge=2000, le=2059)
    end_year: int = Field(default=2060, ge=2001, le=2100)
    discount_rate: float = Field(default=0.06, ge=0.0, le=0.3)
    capex_mode: Literal["upfront_salvage", "annuity"] = "upfront_salvage"
    macc_year: int | None = None


class PathwayInput(_Strict):
    """The whole pathway file, validated."""

    pathway: PathwayHeader
    baseline: dict[str, SourceSpec]
    grid: GridSpec = Field(default_factory=GridSpec)
    targets: TargetsSpec = Field(default_factory=TargetsSpec)
    measures: list[MeasureSpec] = Field(min_length=1)

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
    try:
        return PathwayInput.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "pathway file"
        value = err.get("input")
        shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
        more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise PeakzeroError(
            f"pathway input: {where}: {msg}{shown}{more}. Fix that field and run again.",
            field=where,
        ) from None


def load_pathway(path: str | Path) -> PathwayInput:
    """Read and validate a PATHWAY.toml file."""
    return parse_pathway(read_toml(path, kind="pathway file", field="path"))


def finite_or_inf(value: float | None) -> float:
    """``value`` or ``inf`` when None."""
    return math.inf if value is None else float(value)
