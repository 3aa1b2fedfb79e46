"""The PLAN.toml file: one entity, its roof and site, its inventory and its targets.

The whole file is one typed model (:class:`PlanFile`), validated once by :func:`plan_from_dict`
before any work starts: the plan's own sections here, ``[site]`` with the site model,
``[inventory]`` with the carbon entity model and ``[pathway]`` with the pathway models. Paths
written in it (roof outline, load file, tariff file) are relative to the plan file. An error
names the section and field, the value, the allowed range and the fix.

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

from pydantic import model_validator

from peakzero.carbon.models import EntityFile
from peakzero.errors import PeakzeroError, read_toml
from peakzero.params import param
from peakzero.pathway.models import GridSpec, GrowthPeriod, MeasureSpec, TargetsSpec
from peakzero.site.models import SiteInput
from peakzero.validation import Strict, UserPath, validate

#: Growth of every baseline source on today's course, when ``[baseline]`` is not given:
#: +2 %/yr to 2030, flat to 2040, -1 %/yr to 2060. An editable assumption, not a forecast.
DEFAULT_GROWTH: tuple[tuple[int, float], ...] = ((2030, 0.02), (2040, 0.0), (2060, -0.01))


class PlanHeader(Strict):
    """``[plan]``: what the report is called and which targets it checks."""

    title: str = param("PlanHeader.title", min_length=1)
    entity_name: str | None = param("PlanHeader.entity_name")
    base_year: int | None = param("PlanHeader.base_year")
    end_year: int = param("PlanHeader.end_year")
    peak_target_year: int = param("PlanHeader.peak_target_year")
    neutral_target_year: int = param("PlanHeader.neutral_target_year")

    @model_validator(mode="after")
    def _target_order(self) -> PlanHeader:
        if self.neutral_target_year < self.peak_target_year:
            raise ValueError(
                f"neutral_target_year = {self.neutral_target_year} is before "
                f"peak_target_year = {self.peak_target_year}"
            )
        return self


class RoofSpec(Strict):
    """``[roof]``: a flat or pitched roof by plan area [m2] or outline file (metres)."""

    kind: Literal["flat", "pitched"] = param("RoofSpec.kind")
    area_m2: float | None = param("RoofSpec.area_m2")
    polygon: UserPath | None = param("RoofSpec.polygon")
    pitch_deg: float = param("RoofSpec.pitch_deg")
    azimuth_deg: float = param("RoofSpec.azimuth_deg")
    setback_m: float = param("RoofSpec.setback_m")
    tilt_deg: float | None = param("RoofSpec.tilt_deg")
    optimize: Literal["per-kwp", "per-area"] = param("RoofSpec.optimize")
    allowable_load_kg_per_m2: float | None = param("RoofSpec.allowable_load_kg_per_m2")
    module_w: float = param("RoofSpec.module_w")

    @model_validator(mode="after")
    def _one_shape(self) -> RoofSpec:
        if (self.area_m2 is None) == (self.polygon is None):
            raise ValueError("give exactly one of roof.area_m2 or roof.polygon")
        if self.kind == "pitched" and self.pitch_deg <= 0:
            raise ValueError("a pitched roof needs roof.pitch_deg between 1 and 60")
        return self


def _default_growth() -> list[GrowthPeriod]:
    return [GrowthPeriod(until=u, rate=r) for u, r in DEFAULT_GROWTH]


class BaselineSpec(Strict):
    """``[baseline]``: growth per period of every source of the last inventory year."""

    growth: list[GrowthPeriod] = param("BaselineSpec.growth", default_factory=_default_growth)


class PlanPathway(Strict):
    """``[pathway]``: pathway options; the baseline comes from ``[inventory]`` and ``[baseline]``.

    Unset values follow the plan: the name is the plan title, the discount rate the site's, the
    grid factor the inventory's region declining as ``[site.carbon]`` says, the peak and neutral
    target years those of ``[plan]``.
    """

    name: str | None = param("PlanPathway.name")
    discount_rate: float | None = param("PlanPathway.discount_rate")
    capex_mode: Literal["upfront_salvage", "annuity"] | None = param("PlanPathway.capex_mode")
    macc_year: int | None = param("PlanPathway.macc_year")
    grid: GridSpec | None = param("PlanPathway.grid")
    targets: TargetsSpec | None = param("PlanPathway.targets")
    measures: list[MeasureSpec] = param("PlanPathway.measures", default_factory=list)


class PlanFile(Strict):
    """The whole PLAN.toml, every section typed."""

    plan: PlanHeader = param("PlanFile.plan")
    roof: RoofSpec | None = param("PlanFile.roof")
    site: SiteInput = param("PlanFile.site")
    inventory: EntityFile = param("PlanFile.inventory")
    baseline: BaselineSpec = param("PlanFile.baseline", default_factory=BaselineSpec)
    pathway: PlanPathway = param("PlanFile.pathway", default_factory=PlanPathway)

    @model_validator(mode="after")
    def _pv_bound(self) -> PlanFile:
        if self.roof is None and self.site.pv.max_kwp is None:
            raise ValueError(
                "give [roof] (area_m2 or polygon) or site.pv.max_kwp, so the PV size has an "
                "upper bound"
            )
        return self


@dataclass(frozen=True)
class Plan:
    """A validated plan: typed sections, paths resolved against the plan file's folder.

    ``site.pv.max_kwp`` is None when the roof sets it (see
    :func:`peakzero.plan.orchestrate.site_with_roof`).
    """

    header: PlanHeader
    roof: RoofSpec | None
    site: SiteInput
    entity: EntityFile
    baseline: BaselineSpec
    pathway: PlanPathway
    base_dir: Path
    origin: str

    def to_dict(self) -> dict[str, Any]:
        """The plan as a mapping of what was written (paths absolute): ``plan_from_dict`` of it
        gives this plan back."""
        out: dict[str, Any] = {
            "plan": self.header.model_dump(exclude_unset=True),
            "site": self.site.model_dump(exclude_unset=True, exclude={"base_dir"}),
            "inventory": self.entity.model_dump(exclude_unset=True),
        }
        if self.roof is not None:
            out["roof"] = self.roof.model_dump(exclude_unset=True)
        if self.baseline.model_fields_set:
            out["baseline"] = self.baseline.model_dump(exclude_unset=True)
        if self.pathway.model_fields_set:
            out["pathway"] = self.pathway.model_dump(exclude_unset=True)
        return out

    @property
    def base_year(self) -> int:
        """First pathway year: ``plan.base_year`` or the last inventory year."""
        if self.header.base_year is not None:
            return self.header.base_year
        return max(y.year for y in self.entity.years)


def parse_plan(raw: dict[str, Any], *, origin: str = "plan", base_dir: Path = Path(".")) -> Plan:
    """Validate a parsed plan mapping into a :class:`Plan` (types and ranges only; the names
    it uses are resolved by :func:`peakzero.plan.plan_from_dict`)."""
    data = dict(raw)
    if isinstance(data.get("site"), dict):
        data["site"] = {**data["site"], "base_dir": str(base_dir)}
    checked = validate(PlanFile, data, origin=origin, base_dir=base_dir)
    roof = checked.roof
    if roof is not None and roof.polygon is not None and not Path(roof.polygon).is_file():
        what = "is a folder, not a file" if Path(roof.polygon).is_dir() else "no such file"
        raise PeakzeroError(
            f"{origin}: roof.polygon = {roof.polygon!r}: {what} (paths are relative to the plan "
            "file). Fix this field.",
            field="roof.polygon",
        )
    return Plan(
        header=checked.plan,
        roof=roof,
        site=checked.site,
        entity=checked.inventory,
        baseline=checked.baseline,
        pathway=checked.pathway,
        base_dir=base_dir,
        origin=origin,
    )


def read_plan_file(path: str | Path) -> tuple[dict[str, Any], str, Path]:
    """The parsed PLAN.toml, its name for messages and its folder."""
    p = Path(path)
    return read_toml(p, kind="plan file", field="plan"), str(p), p.parent
