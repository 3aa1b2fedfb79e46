"""The COUNTY.toml file: a pydantic model validated once, at the edge.

A county file names the county, its province (grid emission factor), the buildings file, the
tariff and export rule of each programme category, the PV and battery costs, the economics, the
EMC terms and the capacity of every feeder. Relative paths are resolved against the folder of the
county file.

Example
-------
.. code-block:: toml

    name = "Example county"
    province = "Jiangsu"
    buildings = "buildings.geojson"
    crs = "EPSG:4326"
    [categories.commercial_industrial]
    tariff = "jiangsu_2025_two_part"
    export = "zero"
    [[feeders]]
    id = "F01"
    capacity_kva = 8000
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from peakzero.errors import PeakzeroError, read_toml
from peakzero.site.models import BatteryInput, EconomicsInput, EmcInput

#: The programme's building categories (NEA, June 2021), in the order of the NEA notice.
CATEGORIES: tuple[str, ...] = (
    "government",
    "public_service",
    "commercial_industrial",
    "rural_residential",
)
#: Chinese and English labels of the categories.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "government": ("党政机关", "Government"),
    "public_service": ("学校、医院、村委会等公共建筑", "Public service"),
    "commercial_industrial": ("工商业厂房", "Commercial & industrial"),
    "rural_residential": ("农村居民屋顶", "Rural homes"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryInput(_Strict):
    """Tariff and grid rule of one category.

    ``tariff`` is a bundled tariff name or a TOML/JSON tariff file (relative to the county file);
    ``export`` is ``"zero"`` (anti-backflow, 防逆流) or ``"surplus"`` (self-consumption with the
    surplus sold at the tariff's export price, 自发自用余电上网); ``battery = false`` never sizes a
    battery for this category; ``capex_yuan_per_kwp`` overrides the county PV cost.
    """

    tariff: str = "jiangsu_2025_single_part"
    export: Literal["zero", "surplus"] = "zero"
    battery: bool = True
    capex_yuan_per_kwp: float | None = Field(default=None, ge=100, le=20000)


class PVCostInput(_Strict):
    """County-wide PV options (per category cost in :class:`CategoryInput`)."""

    capex_yuan_per_kwp: float = Field(default=3000.0, ge=100, le=20000)
    om_yuan_per_kwp_year: float = Field(default=40.0, ge=0, le=500)
    degradation_per_year: float = Field(default=0.005, ge=0, le=0.05)
    dc_ac_ratio: float = Field(default=1.2, ge=0.5, le=2.5)
    min_kwp: float = Field(
        default=1.0, ge=0, le=1000, description="Roofs that carry less are screened out [kWp]."
    )


class FeederInput(_Strict):
    """A feeder (or distribution transformer) with the capacity PV may use [kVA]."""

    id: str = Field(min_length=1)
    capacity_kva: float = Field(gt=0, le=1e6)
    township: str | None = None


class GridRuleInput(_Strict):
    """Feeder flag thresholds on PV AC capacity / feeder capacity [-].

    green: ratio <= ``green_max``; yellow: up to ``yellow_max``; red above. Defaults 0.6 / 0.8
    are editable screening thresholds [unverified]: distribution companies commonly cap
    distributed PV on a transformer or feeder at 80 % of its rating to keep reverse flow and
    voltage rise in bounds, and start a detailed access study well before.
    """

    green_max: float = Field(default=0.6, gt=0, le=5)
    yellow_max: float = Field(default=0.8, gt=0, le=5)

    @model_validator(mode="after")
    def _ordered(self) -> GridRuleInput:
        if self.yellow_max < self.green_max:
            raise ValueError(
                f"grid.yellow_max = {self.yellow_max} is below grid.green_max = {self.green_max}"
            )
        return self


class CarbonCountyInput(_Strict):
    """Grid emission factor choice; ``region`` defaults to the county's province."""

    region: str | None = None
    factor_year: int = Field(default=2023, ge=2005, le=2060)
    decline_per_year: float = Field(default=0.0, ge=0, lt=1)


class ModelInput(_Strict):
    """Sizing model choices.

    ``block_days``: buildings whose tariff may make a battery pay are sized by the site LP on
    the full hourly year; the first of each chain of similar buildings starts from its sizes
    on one real day out of every ``block_days`` (weekday rotating). It changes the solver's
    path, not the optimum.
    """

    block_days: int = Field(default=5, ge=1, le=30)


class CountyInput(_Strict):
    """A whole county file."""

    name: str = Field(min_length=1)
    province: str = "national"
    year: int = Field(default=2025, ge=2000, le=2100)
    buildings: str
    crs: str = "EPSG:4326"
    categories: dict[str, CategoryInput] = Field(default_factory=dict)
    pv: PVCostInput = PVCostInput()
    battery: BatteryInput = BatteryInput()
    economics: EconomicsInput = EconomicsInput()
    emc: EmcInput = EmcInput()
    carbon: CarbonCountyInput = CarbonCountyInput()
    grid: GridRuleInput = GridRuleInput()
    model: ModelInput = ModelInput()
    feeders: list[FeederInput] = Field(default_factory=list)
    base_dir: str = "."

    @model_validator(mode="after")
    def _consistent(self) -> CountyInput:
        unknown = sorted(set(self.categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}: allowed {', '.join(CATEGORIES)}")
        ids = [f.id for f in self.feeders]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"feeder ids {twice} are given more than once")
        if self.emc.contract_years > self.economics.analysis_years:
            raise ValueError(
                f"emc.contract_years = {self.emc.contract_years} exceeds "
                f"economics.analysis_years = {self.economics.analysis_years}"
            )
        return self

    def category(self, name: str) -> CategoryInput:
        """The settings of category ``name`` (defaults when the file does not give them)."""
        return self.categories.get(name, CategoryInput())

    def resolve(self, relative: str) -> Path:
        """Path of a file named in the county file, relative to its folder."""
        path = Path(relative)
        return path if path.is_absolute() else Path(self.base_dir) / path

    def tariff_source(self, name: str) -> str:
        """Bundled tariff name or resolved file path of category ``name``."""
        tariff = self.category(name).tariff
        return str(self.resolve(tariff)) if tariff.endswith((".toml", ".json")) else tariff


def _explain(error: ValidationError, origin: str) -> PeakzeroError:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(file)"
    value = first.get("input")
    shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
    message = first["msg"].removeprefix("Value error, ")
    return PeakzeroError(
        f"{origin}: {where}: {message}{shown}. Fix this field in the county file.", field=where
    )


def county_from_dict(
    raw: dict[str, Any], *, origin: str = "county", base_dir: str = "."
) -> CountyInput:
    """Validate a county mapping; errors name the field, the value and the rule."""
    try:
        return CountyInput.model_validate({**raw, "base_dir": base_dir})
    except ValidationError as error:
        raise _explain(error, origin) from None


def load_county(path: str | Path) -> CountyInput:
    """Read and validate a COUNTY.toml file (the buildings are read by :func:`read_buildings`)."""
    path = Path(path)
    raw = read_toml(path, kind="county file", field="county")
    return county_from_dict(raw, origin=str(path), base_dir=str(path.parent))
