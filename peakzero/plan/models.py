"""The PLAN.toml file: one entity, its roof and site, its inventory and its targets.

Everything is validated before any work starts (:func:`load_plan`): the plan's own sections
here, the ``[site]`` section with the site model, ``[inventory]`` with the carbon entity model
and ``[pathway]`` with the pathway model (its baseline derived from the inventory). An error
names the section and field, the value and the rule.

Sections
--------
``[plan]``        title, entity name, target years, end year
``[roof]``        the roof (area or polygon) the PV goes on; sets the site's PV maximum
``[site]``        as in SITE.toml (location, load, tariff, pv, battery, economics, emc, carbon)
``[inventory]``   as in an entity TOML (``[inventory.entity]``, ``[[inventory.years]]``)
``[baseline]``    growth of every baseline source per period (today's course)
``[pathway]``     pathway options: ``grid``, ``targets``, ``measures`` (the rooftop PV + storage
                  measure is added from the site design unless one is given)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from peakzero.carbon.models import EntityFile, parse_entity
from peakzero.errors import PeakzeroError, read_toml
from peakzero.pathway.models import GrowthPeriod
from peakzero.site.models import SiteInput, site_from_dict

#: Growth of every baseline source on today's course, when ``[baseline]`` is not given:
#: +2 %/yr to 2030, flat to 2040, -1 %/yr to 2060. An editable assumption, not a forecast.
DEFAULT_GROWTH: tuple[tuple[int, float], ...] = ((2030, 0.02), (2040, 0.0), (2060, -0.01))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanHeader(_Strict):
    """``[plan]``: what the report is called and which targets it checks."""

    title: str = Field(min_length=1)
    entity_name: str | None = None
    base_year: int | None = Field(
        default=None,
        ge=2000,
        le=2059,
        description="first pathway year; default: last inventory year",
    )
    end_year: int = Field(default=2060, ge=2030, le=2100)
    peak_target_year: int = Field(default=2030, ge=2000, le=2100)
    neutral_target_year: int = Field(default=2060, ge=2000, le=2100)

    @model_validator(mode="after")
    def _target_order(self) -> PlanHeader:
        if self.neutral_target_year < self.peak_target_year:
            raise ValueError(
                f"neutral_target_year = {self.neutral_target_year} is before "
                f"peak_target_year = {self.peak_target_year}"
            )
        return self


class RoofSpec(_Strict):
    """``[roof]``: a flat or pitched roof by plan area [m2] or outline file (metres)."""

    kind: Literal["flat", "pitched"] = "flat"
    area_m2: float | None = Field(default=None, gt=0, le=1e7)
    polygon: str | None = Field(default=None, description="JSON or CSV outline, metres")
    pitch_deg: float = Field(default=0.0, ge=0, le=60)
    azimuth_deg: float = Field(default=180.0, ge=0, le=360, description="180 = south")
    setback_m: float = Field(default=0.5, ge=0, le=20)
    tilt_deg: float | None = Field(default=None, ge=0, le=60, description="flat roofs")
    optimize: Literal["per-kwp", "per-area"] = "per-kwp"
    allowable_load_kg_per_m2: float | None = Field(default=None, gt=0, le=1000)
    module_w: float = Field(default=590.0, gt=100, le=1000)

    @model_validator(mode="after")
    def _one_shape(self) -> RoofSpec:
        if (self.area_m2 is None) == (self.polygon is None):
            raise ValueError("give exactly one of roof.area_m2 or roof.polygon")
        if self.kind == "pitched" and self.pitch_deg <= 0:
            raise ValueError("a pitched roof needs roof.pitch_deg between 1 and 60")
        return self


class BaselineSpec(_Strict):
    """``[baseline]``: growth per period of every source of the last inventory year."""

    growth: list[GrowthPeriod] = Field(
        default_factory=lambda: [GrowthPeriod(until=u, rate=r) for u, r in DEFAULT_GROWTH]
    )


class PlanFile(_Strict):
    """The whole PLAN.toml; ``site``, ``inventory`` and ``pathway`` are checked by their models."""

    plan: PlanHeader
    roof: RoofSpec | None = None
    site: dict[str, Any]
    inventory: dict[str, Any]
    baseline: BaselineSpec = Field(default_factory=BaselineSpec)
    pathway: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _pathway_keys(self) -> PlanFile:
        unknown = (
            set(self.pathway)
            - {"name", "discount_rate", "capex_mode", "macc_year"}
            - {
                "grid",
                "targets",
                "measures",
            }
        )
        if unknown:
            raise ValueError(
                f"pathway has unknown keys {sorted(unknown)}; allowed: name, discount_rate, "
                "capex_mode, macc_year, grid, targets, measures (the baseline comes from "
                "[inventory] and [baseline])"
            )
        return self


@dataclass(frozen=True)
class Plan:
    """A validated plan: typed sections, paths resolved against the plan file's folder."""

    header: PlanHeader
    roof: RoofSpec | None
    site: SiteInput  # validated; pv.max_kwp is a placeholder when the roof sets it
    site_raw: dict[str, Any]  # the [site] section as written
    entity: EntityFile
    baseline: BaselineSpec
    pathway_raw: dict[str, Any]
    base_dir: Path
    origin: str

    @property
    def base_year(self) -> int:
        """First pathway year: ``plan.base_year`` or the last inventory year."""
        if self.header.base_year is not None:
            return self.header.base_year
        return max(y.year for y in self.entity.years)

    def resolve(self, relative: str) -> Path:
        """A path named in the plan, relative to the plan file's folder."""
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path


def _explain(exc: ValidationError, origin: str) -> PeakzeroError:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(file)"
    value = err.get("input")
    shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return PeakzeroError(f"{origin}: {where}: {msg}{shown}. Fix this field.", field=where)


#: PV maximum used only to validate ``[site]`` before the roof layout is known [kWp].
_PV_MAX_PLACEHOLDER_KWP = 1.0e7


def plan_from_dict(
    raw: dict[str, Any], *, origin: str = "plan", base_dir: Path = Path(".")
) -> Plan:
    """Validate a parsed plan mapping; every section is checked before any work starts."""
    try:
        plan_file = PlanFile.model_validate(raw)
    except ValidationError as exc:
        raise _explain(exc, origin) from None
    site_raw = dict(plan_file.site)  # as the user wrote it: the roof fills pv.max_kwp later
    checked = dict(site_raw)
    pv = dict(site_raw.get("pv", {}))
    if "max_kwp" not in pv:
        if plan_file.roof is None:
            raise PeakzeroError(
                f"{origin}: give [roof] (area_m2 or polygon) or site.pv.max_kwp, so the PV size "
                "has an upper bound",
                field="roof",
            )
        pv["max_kwp"] = _PV_MAX_PLACEHOLDER_KWP
    checked["pv"] = pv
    try:
        site = site_from_dict(checked, origin=f"{origin} [site]", base_dir=str(base_dir))
    except PeakzeroError as exc:
        raise PeakzeroError(str(exc), field=f"site.{exc.field}" if exc.field else "site") from None
    try:
        entity = parse_entity(plan_file.inventory, source=f"{origin} [inventory]")
    except PeakzeroError as exc:
        raise PeakzeroError(
            str(exc), field=f"inventory.{exc.field}" if exc.field else "inventory"
        ) from None
    if plan_file.roof is not None and plan_file.roof.polygon is not None:
        polygon = Path(plan_file.roof.polygon)
        if not (polygon if polygon.is_absolute() else base_dir / polygon).is_file():
            raise PeakzeroError(
                f"{origin}: roof.polygon = {plan_file.roof.polygon!r}: no such file (paths are "
                "relative to the plan file)",
                field="roof.polygon",
            )
    return Plan(
        header=plan_file.plan,
        roof=plan_file.roof,
        site=site,
        site_raw=site_raw,
        entity=entity,
        baseline=plan_file.baseline,
        pathway_raw=dict(plan_file.pathway),
        base_dir=base_dir,
        origin=origin,
    )


def load_plan(path: str | Path) -> Plan:
    """Read and validate a PLAN.toml file (the pathway section is checked by the planner's
    :func:`peakzero.plan.orchestrate.check_plan`, which needs the inventory's baseline)."""
    p = Path(path)
    raw = read_toml(p, kind="plan file", field="plan")
    return plan_from_dict(raw, origin=str(p), base_dir=p.parent)
