"""The SITE.toml file: a pydantic model validated once, at the edge.

A site file names the weather station, the load (a built-in archetype or a CSV), the tariff
(bundled name or file, with overrides), the PV and battery options, the economics, optional
targets, the EMC terms and the carbon accounting choices. Relative paths are resolved against
the folder of the site file.

Example
-------
.. code-block:: toml

    name = "Suzhou electronics factory"
    year = 2025
    [location]
    station = "Suzhou"
    province = "Jiangsu"
    [load]
    archetype = "two_shift"
    annual_kwh = 6000000
    [tariff]
    name = "jiangsu_2025_two_part"
    export_limit_kw = 0
    [pv]
    max_kwp = 2000
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from peakzero.errors import PeakzeroError, read_toml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocationInput(_Strict):
    """Where the site is: a bundled weather station (or the one nearest to latitude/longitude,
    north and east positive [deg]) and the province for the grid factor."""

    station: str | None = None
    latitude_deg: float | None = Field(default=None, ge=-90, le=90)
    longitude_deg: float | None = Field(default=None, ge=-180, le=180)
    province: str = "national"

    @model_validator(mode="after")
    def _where(self) -> LocationInput:
        has_point = self.latitude_deg is not None and self.longitude_deg is not None
        if (self.station is None) == (not has_point):
            raise ValueError(
                "give either location.station or both location.latitude_deg and "
                "location.longitude_deg"
            )
        return self


class LoadInput(_Strict):
    """Site load: ``archetype`` (with annual, monthly or peak scaling, or ``bills``) or ``csv``
    path (a meter file: CSV or .xlsx; ``annual_kwh``/``monthly_kwh`` beside it are checked)."""

    archetype: str | None = None
    csv: str | None = None
    bills: str | None = None
    unit: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    annual_kwh: float | None = Field(default=None, gt=0)
    monthly_kwh: list[float] | None = None
    peak_kw: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_source(self) -> LoadInput:
        if (self.archetype is None) == (self.csv is None):
            raise ValueError("give exactly one of load.archetype or load.csv")
        if self.csv is not None and self.peak_kw is not None:
            raise ValueError("load.peak_kw scales an archetype; a meter file has its own peak")
        if self.bills is not None and self.archetype is None:
            raise ValueError(
                "load.bills needs load.archetype (the shape of the hours), not load.csv"
            )
        if self.bills is not None and self.model_fields_set & {
            "annual_kwh",
            "monthly_kwh",
            "peak_kw",
        }:
            raise ValueError("load.bills gives the kWh: drop annual_kwh, monthly_kwh and peak_kw")
        if self.monthly_kwh is not None and len(self.monthly_kwh) != 12:
            raise ValueError(f"load.monthly_kwh needs 12 values, got {len(self.monthly_kwh)}")
        return self


class TariffInput(_Strict):
    """Tariff name or file plus overrides of its fields (e.g. ``export_limit_kw = 0``)."""

    name: str
    demand_charge_yuan_per_kw_month: float | None = Field(default=None, ge=0)
    capacity_charge_yuan_per_kva_month: float | None = Field(default=None, ge=0)
    transformer_kva: float | None = Field(default=None, gt=0)
    export_price_yuan_per_kwh: float | None = Field(default=None, ge=0)
    export_limit_kw: float | None = Field(default=None, ge=0)
    flat_price_yuan_per_kwh: float | None = Field(default=None, gt=0)

    def overrides(self) -> dict[str, Any]:
        """Fields set in the file, to pass to :func:`peakzero.tariff.load_tariff`.

        A tariff bills either maximum demand or transformer capacity: giving
        ``capacity_charge_yuan_per_kva_month`` alone switches a bundled demand-charged tariff to
        capacity billing (TOML has no null to clear the demand charge with).
        """
        given = {
            k: v for k, v in self.model_dump(exclude={"name"}).items() if k in self.model_fields_set
        }
        if "capacity_charge_yuan_per_kva_month" in given:
            given.setdefault("demand_charge_yuan_per_kw_month", None)
        return given


class PVInput(_Strict):
    """PV options; ``max_kwp`` is the roof maximum [kWp]."""

    max_kwp: float = Field(gt=0)
    min_kwp: float = Field(default=0.0, ge=0)
    fixed_kwp: float | None = Field(default=None, ge=0)
    tilt_deg: float | None = Field(default=None, ge=0, le=90)
    azimuth_deg: float = Field(default=180.0, ge=0, le=360)
    dc_ac_ratio: float = Field(default=1.2, ge=0.5, le=2.5)
    capex_yuan_per_kwp: float = Field(default=3000.0, ge=0)
    om_yuan_per_kwp_year: float = Field(default=40.0, ge=0)
    degradation_per_year: float = Field(default=0.005, ge=0, le=0.05)

    @model_validator(mode="after")
    def _per_kwp(self) -> PVInput:
        if 0 < self.capex_yuan_per_kwp < 100:
            raise ValueError(
                f"pv.capex_yuan_per_kwp = {self.capex_yuan_per_kwp} looks like yuan/W; give "
                "yuan per kWp (2.5-3.2 yuan/W is 2500-3200 yuan/kWp), or 0 for a free system"
            )
        return self


class BatteryInput(_Strict):
    """Battery options (see :class:`peakzero.storage.Battery`); ``enabled = false`` for PV only."""

    enabled: bool = True
    round_trip_efficiency: float = Field(default=0.88, ge=0.5, le=1.0)
    soc_min: float = Field(default=0.05, ge=0, le=1)
    soc_max: float = Field(default=0.95, ge=0, le=1)
    grid_charging: bool = True
    max_cycles_per_day: float | None = Field(default=2.0, ge=0, le=24)
    capex_yuan_per_kw: float = Field(default=300.0, ge=0)
    capex_yuan_per_kwh: float = Field(default=900.0, ge=0)
    om_yuan_per_kw_year: float = Field(default=20.0, ge=0)
    calendar_fade_per_year: float = Field(default=0.01, ge=0, le=0.2)
    fade_per_cycle: float = Field(default=3.0e-5, ge=0, le=0.01)
    end_of_life_soh: float = Field(default=0.7, ge=0, le=1)
    replacement_year: int | None = Field(default=None, ge=1, le=100)
    replacement_cost_fraction: float = Field(default=0.6, ge=0, le=2)
    min_kw: float = Field(default=0.0, ge=0)
    max_kw: float = Field(default=1.0e5, ge=0)
    min_kwh: float = Field(default=0.0, ge=0)
    max_kwh: float = Field(default=4.0e5, ge=0)
    fixed_kw: float | None = Field(default=None, ge=0)
    fixed_kwh: float | None = Field(default=None, ge=0)
    export: bool = False

    @model_validator(mode="after")
    def _per_kwh(self) -> BatteryInput:
        if 0 < self.capex_yuan_per_kwh < 50:
            raise ValueError(
                f"battery.capex_yuan_per_kwh = {self.capex_yuan_per_kwh} looks like yuan/Wh; give "
                "yuan per kWh (0.6-0.9 yuan/Wh is 600-900 yuan/kWh), or 0"
            )
        return self


class EconomicsInput(_Strict):
    """Analysis period and rates."""

    analysis_years: int = Field(default=25, ge=1, le=60)
    discount_rate: float = Field(default=0.06, ge=0, le=0.5)
    tariff_escalation: float = Field(default=0.0, ge=-0.2, le=0.5)
    om_escalation: float = Field(default=0.02, ge=-0.2, le=0.5)


class TargetsInput(_Strict):
    """Optional constraints."""

    min_co2_reduction_fraction: float | None = Field(default=None, ge=0, le=1)
    min_renewable_share: float | None = Field(default=None, ge=0, le=1)
    capex_budget_yuan: float | None = Field(default=None, ge=0)


class EmcInput(_Strict):
    """Energy management contract (合同能源管理) terms: shared savings (节能效益分享型).

    The investor owns the PV + storage system; for ``contract_years`` the host keeps
    ``discount_fraction`` of the bill reduction and pays the rest to the investor (for PV alone
    this is close to buying the PV energy at that discount on the grid price); then the system
    passes to the host.
    """

    discount_fraction: float = Field(default=0.15, ge=0, le=1)
    contract_years: int = Field(default=20, ge=1, le=60)
    investor_discount_rate: float = Field(default=0.08, ge=0, le=0.5)


class CarbonInput(_Strict):
    """Carbon accounting choices; ``region`` defaults to the location's province."""

    region: str | None = None
    factor_year: int = Field(default=2023, ge=2005, le=2060)
    decline_per_year: float = Field(default=0.0, ge=0, lt=1)
    carbon_price_yuan_per_t: float = Field(default=0.0, ge=0)
    green_certificates_sold: bool = False


class SiteInput(_Strict):
    """A whole site file."""

    name: str
    year: int = Field(default=2025, ge=2000, le=2100)
    location: LocationInput
    load: LoadInput
    tariff: TariffInput
    pv: PVInput
    battery: BatteryInput = BatteryInput()
    economics: EconomicsInput = EconomicsInput()
    targets: TargetsInput = TargetsInput()
    emc: EmcInput = EmcInput()
    carbon: CarbonInput = CarbonInput()
    base_dir: str = "."

    @model_validator(mode="after")
    def _consistent(self) -> SiteInput:
        if self.emc.contract_years > self.economics.analysis_years:
            raise ValueError(
                f"emc.contract_years = {self.emc.contract_years} exceeds "
                f"economics.analysis_years = {self.economics.analysis_years}"
            )
        if self.pv.min_kwp > self.pv.max_kwp:
            raise ValueError(
                f"pv.min_kwp = {self.pv.min_kwp} exceeds pv.max_kwp = {self.pv.max_kwp}"
            )
        if self.pv.fixed_kwp is not None and self.pv.fixed_kwp > self.pv.max_kwp:
            raise ValueError(
                f"pv.fixed_kwp = {self.pv.fixed_kwp} exceeds the roof maximum pv.max_kwp = "
                f"{self.pv.max_kwp}"
            )
        return self

    def resolve(self, relative: str) -> Path:
        """Path of a file named in the site file, relative to its folder."""
        path = Path(relative)
        return path if path.is_absolute() else Path(self.base_dir) / path


def _explain(error: ValidationError, origin: str) -> PeakzeroError:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(file)"
    value = first.get("input")
    shown = "" if isinstance(value, dict) else f" (got {value!r})"
    message = first["msg"].removeprefix("Value error, ")
    return PeakzeroError(
        f"{origin}: {where}: {message}{shown}. Fix this field in the site file.", field=where
    )


def site_from_dict(raw: dict[str, Any], *, origin: str = "site", base_dir: str = ".") -> SiteInput:
    """Validate a site mapping; errors name the field, the value and the rule."""
    try:
        return SiteInput.model_validate({**raw, "base_dir": base_dir})
    except ValidationError as error:
        raise _explain(error, origin) from None


def load_site(path: str | Path) -> SiteInput:
    """Read and validate a SITE.toml file."""
    path = Path(path)
    raw = read_toml(path, kind="site file", field="site")
    return site_from_dict(raw, origin=str(path), base_dir=str(path.parent))
