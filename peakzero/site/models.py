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
from typing import Annotated, Any

from pydantic import ValidationInfo, field_validator, model_validator

from peakzero.errors import PeakzeroError, read_toml
from peakzero.params import item, param
from peakzero.validation import Archetype, Strict, UserFile, resolve_path, validate

#: File suffixes that make a tariff ``name`` a path (bundled names have none).
_TARIFF_FILE_SUFFIXES = (".toml", ".json")


class LocationInput(Strict):
    """Where the site is: a bundled weather station (or the one nearest to latitude/longitude,
    north and east positive [deg]) and the province for the grid factor."""

    station: str | None = param("LocationInput.station")
    latitude_deg: float | None = param("LocationInput.latitude_deg")
    longitude_deg: float | None = param("LocationInput.longitude_deg")
    province: str = param("LocationInput.province")

    @model_validator(mode="after")
    def _where(self) -> LocationInput:
        has_point = self.latitude_deg is not None and self.longitude_deg is not None
        if (self.station is None) == (not has_point):
            raise ValueError(
                "give either location.station or both location.latitude_deg and "
                "location.longitude_deg"
            )
        return self


class LoadInput(Strict):
    """Site load: ``archetype`` (with annual, monthly or peak scaling, or ``bills``) or ``csv``
    path (a meter file: CSV or .xlsx; ``annual_kwh``/``monthly_kwh`` beside it are checked)."""

    archetype: Archetype | None = param("LoadInput.archetype")
    csv: UserFile | None = param("LoadInput.csv")
    bills: UserFile | None = param("LoadInput.bills")
    unit: str | None = param("LoadInput.unit")
    date_format: str | None = param("LoadInput.date_format")
    sheet: str | None = param("LoadInput.sheet")
    annual_kwh: float | None = param("LoadInput.annual_kwh")
    monthly_kwh: list[Annotated[float, item("LoadInput.monthly_kwh")]] | None = param(
        "LoadInput.monthly_kwh"
    )
    peak_kw: float | None = param("LoadInput.peak_kw")

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


class TariffInput(Strict):
    """Tariff name or file plus overrides of its fields (e.g. ``export_limit_kw = 0``).

    A ``name`` ending in ``.toml`` / ``.json`` or holding a folder separator is a file, relative
    to the folder of the file it is written in.
    """

    name: str = param("TariffInput.name")
    demand_charge_yuan_per_kw_month: float | None = param(
        "TariffInput.demand_charge_yuan_per_kw_month"
    )
    capacity_charge_yuan_per_kva_month: float | None = param(
        "TariffInput.capacity_charge_yuan_per_kva_month"
    )
    transformer_kva: float | None = param("TariffInput.transformer_kva")
    export_price_yuan_per_kwh: float | None = param("TariffInput.export_price_yuan_per_kwh")
    export_limit_kw: float | None = param("TariffInput.export_limit_kw")
    flat_price_yuan_per_kwh: float | None = param("TariffInput.flat_price_yuan_per_kwh")

    @field_validator("name")
    @classmethod
    def _file_beside(cls, value: str, info: ValidationInfo) -> str:
        looks_like_file = value.lower().endswith(_TARIFF_FILE_SUFFIXES) or any(
            sep in value for sep in ("/", "\\")
        )
        return resolve_path(value, info) if looks_like_file else value

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


class ConnectionInput(Strict):
    """The site's grid connection: its transformer and how far the design may raise demand.

    ``transformer_kva`` x ``power_factor`` bounds grid import and export on the meter's
    interval; a capacity-charged tariff bills ``transformer_kva`` unless ``[tariff]`` gives its
    own. ``max_demand_increase_kw`` bounds how far any month's maximum demand may rise above
    the site's own (0: a battery charging from the grid may not set a new monthly peak).
    """

    transformer_kva: float | None = param("ConnectionInput.transformer_kva")
    power_factor: float = param("ConnectionInput.power_factor")
    max_demand_increase_kw: float | None = param("ConnectionInput.max_demand_increase_kw")

    @property
    def grid_limit_kw(self) -> float | None:
        """Most real power through the transformer [kW]: kVA x power factor, or ``None``."""
        if self.transformer_kva is None:
            return None
        return self.transformer_kva * self.power_factor


class PVInput(Strict):
    """PV options; ``max_kwp`` is the roof maximum [kWp] (in a plan, the roof layout fills it)."""

    max_kwp: float | None = param("PVInput.max_kwp")
    min_kwp: float = param("PVInput.min_kwp")
    fixed_kwp: float | None = param("PVInput.fixed_kwp")
    tilt_deg: float | None = param("PVInput.tilt_deg")
    azimuth_deg: float = param("PVInput.azimuth_deg")
    dc_ac_ratio: float = param("PVInput.dc_ac_ratio")
    capex_yuan_per_kwp: float = param("PVInput.capex_yuan_per_kwp")
    om_yuan_per_kwp_year: float = param("PVInput.om_yuan_per_kwp_year")
    degradation_per_year: float = param("PVInput.degradation_per_year")

    @model_validator(mode="after")
    def _per_kwp(self) -> PVInput:
        if 0 < self.capex_yuan_per_kwp < 100:
            raise ValueError(
                f"pv.capex_yuan_per_kwp = {self.capex_yuan_per_kwp} looks like yuan/W; give "
                "yuan per kWp (2.5-3.2 yuan/W is 2500-3200 yuan/kWp), or 0 for a free system"
            )
        return self

    def require_max_kwp(self) -> float:
        """The PV maximum [kWp]; a :class:`PeakzeroError` when no file or roof set it."""
        if self.max_kwp is None:
            raise PeakzeroError(
                "pv.max_kwp is not set: give the roof maximum [kWp] (or, in a plan, a [roof]). "
                "Fix this field.",
                field="pv.max_kwp",
            )
        return self.max_kwp


class BatteryInput(Strict):
    """Battery options (see :class:`peakzero.storage.Battery`); ``enabled = false`` for PV only."""

    enabled: bool = param("BatteryInput.enabled")
    round_trip_efficiency: float = param("BatteryInput.round_trip_efficiency")
    soc_min: float = param("BatteryInput.soc_min")
    soc_max: float = param("BatteryInput.soc_max")
    grid_charging: bool = param("BatteryInput.grid_charging")
    max_cycles_per_day: float | None = param("BatteryInput.max_cycles_per_day")
    capex_yuan_per_kw: float = param("BatteryInput.capex_yuan_per_kw")
    capex_yuan_per_kwh: float = param("BatteryInput.capex_yuan_per_kwh")
    om_yuan_per_kw_year: float = param("BatteryInput.om_yuan_per_kw_year")
    calendar_fade_per_year: float = param("BatteryInput.calendar_fade_per_year")
    fade_per_cycle: float = param("BatteryInput.fade_per_cycle")
    end_of_life_soh: float = param("BatteryInput.end_of_life_soh")
    replacement_year: int | None = param("BatteryInput.replacement_year")
    replacement_cost_fraction: float = param("BatteryInput.replacement_cost_fraction")
    min_kw: float = param("BatteryInput.min_kw")
    max_kw: float = param("BatteryInput.max_kw")
    min_kwh: float = param("BatteryInput.min_kwh")
    max_kwh: float = param("BatteryInput.max_kwh")
    fixed_kw: float | None = param("BatteryInput.fixed_kw")
    fixed_kwh: float | None = param("BatteryInput.fixed_kwh")
    export: bool = param("BatteryInput.export")

    @model_validator(mode="after")
    def _per_kwh(self) -> BatteryInput:
        if 0 < self.capex_yuan_per_kwh < 50:
            raise ValueError(
                f"battery.capex_yuan_per_kwh = {self.capex_yuan_per_kwh} looks like yuan/Wh; give "
                "yuan per kWh (0.6-0.9 yuan/Wh is 600-900 yuan/kWh), or 0"
            )
        return self


class EconomicsInput(Strict):
    """Analysis period and rates."""

    analysis_years: int = param("EconomicsInput.analysis_years")
    discount_rate: float = param("EconomicsInput.discount_rate")
    tariff_escalation: float = param("EconomicsInput.tariff_escalation")
    om_escalation: float = param("EconomicsInput.om_escalation")


class TargetsInput(Strict):
    """Optional constraints."""

    min_co2_reduction_fraction: float | None = param("TargetsInput.min_co2_reduction_fraction")
    min_renewable_share: float | None = param("TargetsInput.min_renewable_share")
    capex_budget_yuan: float | None = param("TargetsInput.capex_budget_yuan")


class EmcInput(Strict):
    """Energy management contract (合同能源管理) terms: shared savings (节能效益分享型).

    The investor owns the PV + storage system; for ``contract_years`` the host keeps
    ``discount_fraction`` of the bill reduction and pays the rest to the investor (for PV alone
    this is close to buying the PV energy at that discount on the grid price); then the system
    passes to the host.
    """

    discount_fraction: float = param("EmcInput.discount_fraction")
    contract_years: int = param("EmcInput.contract_years")
    investor_discount_rate: float = param("EmcInput.investor_discount_rate")


class FinanceInput(Strict):
    """How the owner may pay, for the report's comparison: a bank loan's terms and optional
    taxes (VAT and corporate income tax with depreciation; off by default: pre-tax figures)."""

    loan_fraction: float = param("FinanceInput.loan_fraction")
    loan_rate: float = param("FinanceInput.loan_rate")
    loan_years: int = param("FinanceInput.loan_years")
    tax: bool = param("FinanceInput.tax")
    vat_rate: float = param("FinanceInput.vat_rate")
    cit_rate: float = param("FinanceInput.cit_rate")
    depreciation_years: int = param("FinanceInput.depreciation_years")
    residual_fraction: float = param("FinanceInput.residual_fraction")


class CarbonInput(Strict):
    """Carbon accounting choices; ``region`` defaults to the location's province."""

    region: str | None = param("CarbonInput.region")
    factor_year: int = param("CarbonInput.factor_year")
    decline_per_year: float = param("CarbonInput.decline_per_year")
    carbon_price_yuan_per_t: float = param("CarbonInput.carbon_price_yuan_per_t")
    green_certificates_sold: bool = param("CarbonInput.green_certificates_sold")


class SiteInput(Strict):
    """A whole site file (``pv.max_kwp`` may be left to a plan's roof)."""

    name: str = param("SiteInput.name")
    year: int = param("SiteInput.year")
    location: LocationInput = param("SiteInput.location")
    load: LoadInput = param("SiteInput.load")
    tariff: TariffInput = param("SiteInput.tariff")
    connection: ConnectionInput = param("SiteInput.connection", default_factory=ConnectionInput)
    pv: PVInput = param("SiteInput.pv", default_factory=PVInput)
    battery: BatteryInput = param("SiteInput.battery", default_factory=BatteryInput)
    economics: EconomicsInput = param("SiteInput.economics", default_factory=EconomicsInput)
    targets: TargetsInput = param("SiteInput.targets", default_factory=TargetsInput)
    emc: EmcInput = param("SiteInput.emc", default_factory=EmcInput)
    carbon: CarbonInput = param("SiteInput.carbon", default_factory=CarbonInput)
    finance: FinanceInput = param("SiteInput.finance", default_factory=FinanceInput)
    base_dir: str = param("SiteInput.base_dir")

    @model_validator(mode="after")
    def _consistent(self) -> SiteInput:
        if self.emc.contract_years > self.economics.analysis_years:
            raise ValueError(
                f"emc.contract_years = {self.emc.contract_years} exceeds "
                f"economics.analysis_years = {self.economics.analysis_years}"
            )
        if self.finance.loan_years > self.economics.analysis_years:
            raise ValueError(
                f"finance.loan_years = {self.finance.loan_years} exceeds "
                f"economics.analysis_years = {self.economics.analysis_years}"
            )
        pv = self.pv
        if pv.max_kwp is not None and pv.min_kwp > pv.max_kwp:
            raise ValueError(f"pv.min_kwp = {pv.min_kwp} exceeds pv.max_kwp = {pv.max_kwp}")
        if pv.max_kwp is not None and pv.fixed_kwp is not None and pv.fixed_kwp > pv.max_kwp:
            raise ValueError(
                f"pv.fixed_kwp = {pv.fixed_kwp} exceeds the roof maximum pv.max_kwp = {pv.max_kwp}"
            )
        return self

    def tariff_overrides(self) -> dict[str, Any]:
        """Overrides for :func:`peakzero.tariff.load_tariff`: ``[tariff]``'s own
        (:meth:`TariffInput.overrides`), with the transformer of ``[connection]`` as the
        billed kVA when ``[tariff]`` does not give one."""
        given = self.tariff.overrides()
        if self.connection.transformer_kva is not None:
            given.setdefault("transformer_kva", self.connection.transformer_kva)
        return given

    def resolve(self, relative: str) -> Path:
        """Path of a file named in the site file (already absolute when read from a file)."""
        path = Path(relative)
        return path if path.is_absolute() else Path(self.base_dir) / path

    def with_pv(self, **update: Any) -> SiteInput:
        """A copy with PV fields replaced (e.g. the roof's ``max_kwp``), validated again.

        Fields given here count as set (``model_fields_set``), as if the file had written them.
        """
        pv = self.pv.model_copy(update=update)
        data = self.model_copy(update={"pv": pv}).model_dump(exclude_unset=True)
        data["pv"] = pv.model_dump(exclude_unset=True)
        return validate(SiteInput, data, origin=f"site {self.name!r}")


def site_from_dict(
    raw: dict[str, Any],
    *,
    origin: str = "site",
    base_dir: str | Path = ".",
    require_pv_max: bool = True,
) -> SiteInput:
    """Validate a site mapping; errors name the field, the value and the rule.

    Paths in it (load file, tariff file) are resolved against ``base_dir``. A standalone site
    needs ``pv.max_kwp``; a plan's site may leave it to the roof (``require_pv_max=False``).
    """
    site = validate(SiteInput, {**raw, "base_dir": str(base_dir)}, origin=origin, base_dir=base_dir)
    if require_pv_max and site.pv.max_kwp is None:
        raise PeakzeroError(
            f"{origin}: pv.max_kwp is missing: give the roof maximum [kWp]. Fix this field.",
            field="pv.max_kwp",
        )
    return site


def load_site(path: str | Path) -> SiteInput:
    """Read and validate a SITE.toml file (paths in it are relative to its folder)."""
    path = Path(path)
    raw = read_toml(path, kind="site file", field="site")
    return site_from_dict(raw, origin=str(path), base_dir=path.parent)
