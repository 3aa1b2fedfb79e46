"""The :class:`Tariff` data model and its loader (bundled TOML or a user TOML/JSON file).

A tariff is a flat (平段) energy price [yuan/kWh] and, per season, a map of the 24 clock hours
to time-of-use periods whose prices are multipliers of the flat price; plus holiday rules (deep
valley on named holidays, on weekends, on holidays of at least N days), a two-part charge
(demand [yuan/kW-month] *or* capacity [yuan/kVA-month]) and export terms. Periods are local
clock hours ``[start, end)`` on half-hour boundaries (``7.5`` = 07:30).

Rules beyond the season table: a flat price per month (agency purchase prices change monthly),
a critical peak triggered by temperature (Guangdong, Sichuan), a market-formed spread (the bill
takes a user price series), and ``defaults``, the machine-readable list of the figures that are
editable defaults rather than figures from the notice. See ``docs/tariffs.md``.

User files are validated here, once, with pydantic; every error names the field, the value,
what is allowed and how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from peakzero.calendar import HOLIDAY_NAMES
from peakzero.data import data_path
from peakzero.errors import PeakzeroError, read_toml

SLOTS_PER_HOUR = 2
"""Tariff periods change on half-hour boundaries (Liaoning, Heilongjiang, Jiangxi: 07:30...)."""

PERIODS: tuple[str, ...] = ("critical_peak", "peak", "flat", "valley", "deep_valley")
"""Time-of-use periods, dearest first: 尖峰, 峰, 平, 谷, 深谷."""

Period = Literal["critical_peak", "peak", "flat", "valley", "deep_valley"]


@dataclass(frozen=True)
class Season:
    """Months sharing one hour-of-day period map.

    Attributes
    ----------
    name
        Label, e.g. ``"summer_winter"``.
    months
        Calendar months 1-12 in this season.
    hour_periods
        24 period names, the period at the start of each clock hour 0-23 (for display).
    multipliers
        Season-specific price multipliers overriding the tariff's (may be empty).
    slot_periods
        48 period names, one per half hour (00:00-00:30, ...); empty = each hour's
        ``hour_periods`` twice. The bill uses these.
    """

    name: str
    months: tuple[int, ...]
    hour_periods: tuple[str, ...]
    multipliers: Mapping[str, float] = field(default_factory=dict)
    slot_periods: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.slot_periods:
            slots = tuple(p for p in self.hour_periods for _ in range(SLOTS_PER_HOUR))
            object.__setattr__(self, "slot_periods", slots)

    def __hash__(self) -> int:  # mappings are not hashable: hash a sorted copy
        return hash(
            (self.name, self.months, self.slot_periods, tuple(sorted(self.multipliers.items())))
        )

    @property
    def has_half_hours(self) -> bool:
        """Whether some clock hour is split between two periods."""
        return any(
            a != b for a, b in zip(self.slot_periods[::2], self.slot_periods[1::2], strict=True)
        )


@dataclass(frozen=True)
class HolidayRule:
    """On the named statutory holidays, the given clock hours take ``period``.

    ``holidays`` holds names from :data:`peakzero.calendar.HOLIDAY_NAMES` or ``"all"``;
    ``months`` limits the rule to some months (empty = all).
    """

    holidays: tuple[str, ...]
    period: str
    hours: tuple[tuple[float, float], ...]
    months: tuple[int, ...] = ()
    min_block_days: int = 1


@dataclass(frozen=True)
class DateRule:
    """From ``start`` to ``end`` (``"MM-DD"``, inclusive; may wrap over New Year) the given clock
    hours take ``period``: e.g. Anhui's critical peak 20-22 from 15 July to 31 August."""

    start: str
    end: str
    period: str
    hours: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class CriticalPeakTrigger:
    """Critical peak on hot days outside the fixed critical-peak months.

    A day is a critical-peak day when its maximum air temperature and those of the
    ``consecutive_days - 1`` days before it are all >= ``temp_air_min_c`` [deg C], and its month
    is in ``months``; its ``hours`` then take the critical-peak price. Guangdong (粤发改价格
    〔2021〕331号): forecast daily maximum >= 35 deg C, one day; Sichuan (川发改价格〔2025〕185号):
    three days running >= 35 deg C. The bill uses the site's measured (or typical-year) hourly
    temperature as the forecast.
    """

    temp_air_min_c: float
    consecutive_days: int
    months: tuple[int, ...]
    hours: tuple[tuple[float, float], ...]
    source: str = ""


@dataclass(frozen=True)
class Tariff:
    """A commercial and industrial time-of-use tariff.

    Attributes
    ----------
    name, province, voltage_class
        Identification, e.g. ``"jiangsu_2025_two_part"``, ``"Jiangsu"``, ``"1-10 kV two-part"``.
    flat_price_yuan_per_kwh
        Flat-period energy price [yuan/kWh].
    multipliers
        Price of each period as a multiple of the flat price (``flat`` is 1).
    seasons
        Seasons covering the 12 months once each.
    holiday_rules
        Period overrides on statutory holidays and weekends, applied last.
    date_rules
        Period overrides between two dates of every year (applied before holiday rules).
    demand_charge_yuan_per_kw_month
        Two-part tariff on monthly maximum demand [yuan/kW-month], or None.
    capacity_charge_yuan_per_kva_month, transformer_kva
        Two-part tariff on transformer capacity [yuan/kVA-month] x [kVA], or None.
    export_price_yuan_per_kwh
        Price paid for exported energy [yuan/kWh].
    export_limit_kw
        None = unlimited, 0.0 = zero export (anti-backflow, 防逆流), else a cap [kW].
    source
        Where the figures come from; ``[unverified]`` marks editable defaults.
    grid_area, confidence
        Grid area id (see :mod:`peakzero.provinces`) and the reference's confidence in the
        structure (``High``, ``Medium-High``, ``Medium``, ``Low-Medium``, ``Low``).
    defaults
        Fields whose values are editable defaults, not figures from the notice, e.g.
        ``("flat_price_yuan_per_kwh", "multipliers.critical_peak")``.
    allow_other_province
        True lets a site of another province use this tariff (a cross-province grid area, or a
        what-if); otherwise :func:`~peakzero.tariff.check_tariff_province` refuses it.
    market_formed
        The spread is formed in the market (Gansu, Ningxia): the multipliers are defaults and a
        bill should be given the user's hourly price series.
    spread_exception
        Why this tariff does not meet the national minimum spreads of 发改价格〔2021〕1093号
        (peak/valley >= ``min_peak_valley_ratio``, critical >= 1.2 x peak), or ``""``.
    min_peak_valley_ratio
        The minimum peak/valley ratio that applies (3, or 4 where the system peak-valley
        difference exceeds 40 %).
    flat_price_by_month_yuan_per_kwh
        12 flat prices, January first, replacing ``flat_price_yuan_per_kwh`` month by month
        (agency purchase prices change monthly), or None.
    critical_peak_trigger
        Temperature-triggered critical peak, or None.
    """

    name: str
    province: str
    voltage_class: str
    flat_price_yuan_per_kwh: float
    multipliers: Mapping[str, float]
    seasons: tuple[Season, ...]
    holiday_rules: tuple[HolidayRule, ...] = ()
    date_rules: tuple[DateRule, ...] = ()
    demand_charge_yuan_per_kw_month: float | None = None
    capacity_charge_yuan_per_kva_month: float | None = None
    transformer_kva: float | None = None
    export_price_yuan_per_kwh: float = 0.0
    export_limit_kw: float | None = None
    source: str = ""
    grid_area: str = ""
    confidence: str = ""
    defaults: tuple[str, ...] = ()
    allow_other_province: bool = False
    market_formed: bool = False
    spread_exception: str = ""
    min_peak_valley_ratio: float = 3.0
    flat_price_by_month_yuan_per_kwh: tuple[float, ...] | None = None
    critical_peak_trigger: CriticalPeakTrigger | None = None

    def __hash__(self) -> int:  # hashable, so a Tariff can key a cache
        return hash(
            (
                self.name,
                self.flat_price_yuan_per_kwh,
                self.seasons,
                self.holiday_rules,
                self.date_rules,
                tuple(sorted(self.multipliers.items())),
                self.demand_charge_yuan_per_kw_month,
                self.capacity_charge_yuan_per_kva_month,
                self.transformer_kva,
                self.export_price_yuan_per_kwh,
                self.export_limit_kw,
                self.flat_price_by_month_yuan_per_kwh,
                self.critical_peak_trigger,
            )
        )

    def flat_price(self, month: int) -> float:
        """Flat price [yuan/kWh] in calendar ``month`` (the month's own if given)."""
        if self.flat_price_by_month_yuan_per_kwh is not None:
            return self.flat_price_by_month_yuan_per_kwh[month - 1]
        return self.flat_price_yuan_per_kwh

    def multiplier(self, period: str, month: int) -> float:
        """Multiple of the flat price for ``period`` in ``month`` (season value first)."""
        season = next(s for s in self.seasons if month in s.months)
        return season.multipliers.get(period, self.multipliers[period])

    def price(self, period: str, month: int) -> float:
        """Energy price [yuan/kWh] of ``period`` in calendar ``month``."""
        return self.flat_price(month) * self.multiplier(period, month)

    def is_default(self, field_name: str) -> bool:
        """Whether ``field_name`` (e.g. ``"multipliers.peak"``) is an editable default.

        A listed table (``"multipliers"``) covers its keys.
        """
        return any(field_name == d or field_name.startswith(d + ".") for d in self.defaults)


# --------------------------------------------------------------------------- validation models

Hours = list[tuple[float, float]]


def _check_spans(spans: Hours, where: str) -> None:
    for start, end in spans:
        if not (0 <= start < end <= 24):
            raise ValueError(
                f"{where}: hour span [{start}, {end}) is invalid; spans are local clock hours "
                "[start, end) with 0 <= start < end <= 24 (split spans crossing midnight in two)"
            )
        if (start * SLOTS_PER_HOUR) % 1 or (end * SLOTS_PER_HOUR) % 1:
            raise ValueError(
                f"{where}: hour span [{start}, {end}) must start and end on the hour or half "
                "hour (7.5 = 07:30)"
            )


def _slots(spans: Hours) -> list[int]:
    """Half-hour slot numbers 0-47 covered by the spans."""
    return [
        k
        for start, end in spans
        for k in range(round(start * SLOTS_PER_HOUR), round(end * SLOTS_PER_HOUR))
    ]


def _check_months(months: list[int], where: str) -> None:
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise ValueError(f"{where}: months {bad} are not calendar months 1-12")


class _SeasonModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str
    months: list[StrictInt]
    periods: dict[Period, Hours]
    multipliers: dict[Period, StrictFloat] = {}

    @model_validator(mode="after")
    def _cover_24h(self) -> _SeasonModel:
        _check_months(self.months, f"season {self.name!r}")
        owner: list[str | None] = [None] * (24 * SLOTS_PER_HOUR)
        for period, spans in self.periods.items():
            _check_spans(spans, f"season {self.name!r} period {period!r}")
            for k in _slots(spans):
                if owner[k] is not None:
                    raise ValueError(
                        f"season {self.name!r}: hour {_clock(k)} is in both {owner[k]!r} "
                        f"and {period!r}; periods must not overlap"
                    )
                owner[k] = period
        missing: list[int | str] = []
        for hour in range(24):
            halves = [owner[hour * SLOTS_PER_HOUR + j] is None for j in range(SLOTS_PER_HOUR)]
            if all(halves):
                missing.append(hour)
            else:
                missing += [_clock(hour * SLOTS_PER_HOUR + j) for j, m in enumerate(halves) if m]
        if missing:
            raise ValueError(
                f"season {self.name!r}: hours {missing} belong to no period; the periods "
                "must cover all 24 hours (add them to 'flat' if in doubt)"
            )
        for period, mult in self.multipliers.items():
            if not mult > 0:
                raise ValueError(f"season {self.name!r}: multiplier {period} = {mult} must be > 0")
        return self

    def slot_periods(self) -> tuple[str, ...]:
        owner = [""] * (24 * SLOTS_PER_HOUR)
        for period, spans in self.periods.items():
            for k in _slots(spans):
                owner[k] = period
        return tuple(owner)


def _clock(slot: int) -> str:
    """'07:30' for slot 15."""
    minutes = slot * 60 // SLOTS_PER_HOUR
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class _HolidayRuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    holidays: list[str]
    period: Period
    hours: Hours
    months: list[StrictInt] = []
    min_block_days: StrictInt = 1

    @model_validator(mode="after")
    def _check(self) -> _HolidayRuleModel:
        allowed = (*HOLIDAY_NAMES, "all", "weekend")
        bad = [h for h in self.holidays if h not in allowed]
        if bad or not self.holidays:
            raise ValueError(f"holiday_rules.holidays {self.holidays}: allowed names are {allowed}")
        _check_spans(self.hours, "holiday rule")
        _check_months(self.months, "holiday rule")
        if not 1 <= self.min_block_days <= 10:
            raise ValueError(f"holiday_rules.min_block_days = {self.min_block_days}: allowed 1-10")
        return self


class _DateRuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    start: str
    end: str
    period: Period
    hours: Hours

    @model_validator(mode="after")
    def _check(self) -> _DateRuleModel:
        for text in (self.start, self.end):
            try:
                month, day = (int(x) for x in text.split("-"))
            except ValueError:
                month, day = 0, 0
            if not (1 <= month <= 12 and 1 <= day <= 31):
                raise ValueError(f"date_rules: {text!r} is not a 'MM-DD' date such as '07-15'")
        _check_spans(self.hours, "date rule")
        return self


class _TriggerModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    temp_air_min_c: StrictFloat
    consecutive_days: StrictInt = 1
    months: list[StrictInt]
    hours: Hours
    source: str = ""

    @model_validator(mode="after")
    def _check(self) -> _TriggerModel:
        if not 25 <= self.temp_air_min_c <= 45:
            raise ValueError(
                f"critical_peak_trigger.temp_air_min_c = {self.temp_air_min_c} deg C is outside "
                "25-45 (the notices use 35)"
            )
        if not 1 <= self.consecutive_days <= 10:
            raise ValueError(
                f"critical_peak_trigger.consecutive_days = {self.consecutive_days}: allowed 1-10"
            )
        _check_months(self.months, "critical_peak_trigger")
        _check_spans(self.hours, "critical_peak_trigger")
        return self


class TariffModel(BaseModel):
    """Schema of a tariff file (TOML or JSON); see ``peakzero/data/tariffs/*.toml`` for examples."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str
    province: str = ""
    voltage_class: str = ""
    flat_price_yuan_per_kwh: StrictFloat
    multipliers: dict[Period, StrictFloat]
    seasons: list[_SeasonModel]
    holiday_rules: list[_HolidayRuleModel] = []
    date_rules: list[_DateRuleModel] = []
    demand_charge_yuan_per_kw_month: StrictFloat | None = None
    capacity_charge_yuan_per_kva_month: StrictFloat | None = None
    transformer_kva: StrictFloat | None = None
    export_price_yuan_per_kwh: StrictFloat = 0.0
    export_limit_kw: StrictFloat | None = None
    source: str
    grid_area: str = ""
    confidence: Literal["", "High", "Medium-High", "Medium", "Low-Medium", "Low"] = ""
    defaults: list[str] = []
    allow_other_province: bool = False
    market_formed: bool = False
    spread_exception: str = ""
    min_peak_valley_ratio: StrictFloat = 3.0
    flat_price_by_month_yuan_per_kwh: list[StrictFloat] | None = None
    critical_peak_trigger: _TriggerModel | None = None

    @field_validator("flat_price_yuan_per_kwh")
    @classmethod
    def _flat(cls, value: float) -> float:
        if not 0 < value <= 5:
            raise ValueError(f"{value} yuan/kWh is outside 0 < price <= 5; give the flat price")
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("every tariff must say where its figures come from (source = '...')")
        return value

    @model_validator(mode="after")
    def _check(self) -> TariffModel:
        for period, mult in self.multipliers.items():
            if not mult > 0:
                raise ValueError(f"multipliers.{period} = {mult} must be > 0")
        monthly = self.flat_price_by_month_yuan_per_kwh
        if monthly is not None:
            if len(monthly) != 12:
                raise ValueError(
                    f"flat_price_by_month_yuan_per_kwh has {len(monthly)} values; give 12, "
                    "January first"
                )
            bad = [(m + 1, v) for m, v in enumerate(monthly) if not 0 < v <= 5]
            if bad:
                raise ValueError(
                    f"flat_price_by_month_yuan_per_kwh: (month, price) {bad} outside 0 < price <= 5"
                )
        known = set(type(self).model_fields) | {f"multipliers.{p}" for p in PERIODS}
        unknown = [d for d in self.defaults if d not in known]
        if unknown:
            raise ValueError(
                f"defaults {unknown} name no tariff field; list fields such as "
                "'flat_price_yuan_per_kwh' or 'multipliers.peak'"
            )
        if not 1 < self.min_peak_valley_ratio <= 10:
            raise ValueError(f"min_peak_valley_ratio = {self.min_peak_valley_ratio}: allowed 1-10")
        if self.critical_peak_trigger is not None and not any(
            m in self.multipliers or m in s.multipliers
            for s in self.seasons
            for m in ("critical_peak",)
        ):
            raise ValueError("critical_peak_trigger needs multipliers.critical_peak")
        if self.multipliers.get("flat", 1.0) != 1.0:
            raise ValueError("multipliers.flat must be 1.0: prices are multiples of the flat price")
        months = sorted(m for s in self.seasons for m in s.months)
        if months != list(range(1, 13)):
            raise ValueError(
                f"seasons cover months {months}; every month 1-12 must be in exactly one season"
            )
        used = (
            {p for s in self.seasons for p in s.periods}
            | {r.period for r in self.holiday_rules}
            | {r.period for r in self.date_rules}
        )
        for season in self.seasons:
            for period in used - {"flat"}:  # flat is 1.0 by definition
                if period not in self.multipliers and period not in season.multipliers:
                    raise ValueError(
                        f"period {period!r} is used but has no price multiplier in season "
                        f"{season.name!r}; add multipliers.{period}"
                    )
        for key in ("demand_charge_yuan_per_kw_month", "capacity_charge_yuan_per_kva_month"):
            val = getattr(self, key)
            if val is not None and not 0 <= val <= 200:
                raise ValueError(f"{key} = {val} is outside 0-200")
        if (
            self.demand_charge_yuan_per_kw_month is not None
            and self.capacity_charge_yuan_per_kva_month is not None
        ):
            raise ValueError(
                "give either demand_charge_yuan_per_kw_month (on monthly maximum demand) or "
                "capacity_charge_yuan_per_kva_month (on transformer capacity), not both"
            )
        if self.capacity_charge_yuan_per_kva_month is not None and not (
            self.transformer_kva is not None and self.transformer_kva > 0
        ):
            raise ValueError("a capacity charge needs transformer_kva > 0 [kVA]")
        if not 0 <= self.export_price_yuan_per_kwh <= 5:
            raise ValueError(
                f"export_price_yuan_per_kwh = {self.export_price_yuan_per_kwh} is outside 0-5"
            )
        if self.export_limit_kw is not None and self.export_limit_kw < 0:
            raise ValueError(
                f"export_limit_kw = {self.export_limit_kw}: use None for unlimited, 0 for zero "
                "export (anti-backflow) or a positive cap [kW]"
            )
        return self

    def to_tariff(self) -> Tariff:
        monthly = self.flat_price_by_month_yuan_per_kwh
        return Tariff(
            name=self.name,
            province=self.province,
            voltage_class=self.voltage_class,
            flat_price_yuan_per_kwh=self.flat_price_yuan_per_kwh,
            multipliers={"flat": 1.0, **{str(k): v for k, v in self.multipliers.items()}},
            seasons=tuple(
                Season(
                    s.name,
                    tuple(s.months),
                    s.slot_periods()[::SLOTS_PER_HOUR],
                    {str(k): v for k, v in s.multipliers.items()},
                    s.slot_periods(),
                )
                for s in self.seasons
            ),
            holiday_rules=tuple(
                HolidayRule(
                    tuple(r.holidays), r.period, _spans(r.hours), tuple(r.months), r.min_block_days
                )
                for r in self.holiday_rules
            ),
            date_rules=tuple(
                DateRule(r.start, r.end, r.period, _spans(r.hours)) for r in self.date_rules
            ),
            demand_charge_yuan_per_kw_month=self.demand_charge_yuan_per_kw_month,
            capacity_charge_yuan_per_kva_month=self.capacity_charge_yuan_per_kva_month,
            transformer_kva=self.transformer_kva,
            export_price_yuan_per_kwh=self.export_price_yuan_per_kwh,
            export_limit_kw=self.export_limit_kw,
            source=self.source,
            grid_area=self.grid_area,
            confidence=self.confidence,
            defaults=tuple(self.defaults),
            allow_other_province=self.allow_other_province,
            market_formed=self.market_formed,
            spread_exception=self.spread_exception,
            min_peak_valley_ratio=self.min_peak_valley_ratio,
            flat_price_by_month_yuan_per_kwh=(
                None if monthly is None else tuple(float(v) for v in monthly)
            ),
            critical_peak_trigger=(
                None
                if (trig := self.critical_peak_trigger) is None
                else CriticalPeakTrigger(
                    trig.temp_air_min_c,
                    trig.consecutive_days,
                    tuple(trig.months),
                    _spans(trig.hours),
                    trig.source,
                )
            ),
        )


def _spans(hours: Hours) -> tuple[tuple[float, float], ...]:
    return tuple((float(a), float(b)) for a, b in hours)


# --------------------------------------------------------------------------- loading

_DIR = "tariffs"


def list_tariffs() -> list[str]:
    """Names of the bundled tariffs.

    >>> "jiangsu_2025_two_part" in list_tariffs()
    True
    """
    return sorted(p.stem for p in data_path(_DIR).glob("*.toml"))


def _read_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise PeakzeroError(
            f"tariff file {str(path)!r} does not exist; give a bundled name "
            f"({', '.join(list_tariffs())}) or a .toml/.json file",
            field="tariff",
        )
    if path.suffix.lower() == ".toml":  # the one reader of user TOML (BOM, UTF-16, GBK)
        return read_toml(path, kind="tariff file", field="tariff")
    try:
        if path.suffix.lower() == ".json":
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        else:
            raise PeakzeroError(
                f"tariff file {str(path)!r}: unknown extension; use .toml or .json",
                field="tariff",
            )
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PeakzeroError(
            f"tariff file {str(path)!r} is not valid: {exc}", field="tariff"
        ) from exc
    if not isinstance(raw, dict):
        raise PeakzeroError(f"tariff file {str(path)!r} must hold a table/object", field="tariff")
    return raw


def tariff_from_dict(raw: Mapping[str, Any], *, origin: str = "tariff") -> Tariff:
    """Validate a tariff given as a plain mapping (the parsed TOML/JSON) and build it."""
    try:
        return TariffModel.model_validate(dict(raw)).to_tariff()
    except ValidationError as exc:
        from peakzero.validation import validation_error

        raise validation_error(exc, TariffModel, origin=origin) from exc


def load_tariff(name_or_path: str | Path, **overrides: Any) -> Tariff:
    """Load a bundled tariff by name, or a user TOML/JSON file, and validate it.

    Parameters
    ----------
    name_or_path
        A bundled name (see :func:`list_tariffs`) or a path to a ``.toml`` / ``.json`` file.
    **overrides
        Top-level fields replaced before validation, e.g. ``flat_price_yuan_per_kwh=0.68``,
        ``export_limit_kw=0.0`` (zero export) or ``demand_charge_yuan_per_kw_month=None``.
        An overridden field leaves the tariff's ``defaults`` (the user has set it).

    Examples
    --------
    >>> t = load_tariff("jiangsu_2025_two_part", export_limit_kw=0.0)
    >>> t.multipliers["peak"], t.export_limit_kw
    (1.8, 0.0)
    """
    text = str(name_or_path)
    if isinstance(name_or_path, str) and text in list_tariffs():
        path = data_path(f"{_DIR}/{text}.toml")
    else:
        path = Path(name_or_path)
        if path.suffix == "" and not path.exists():
            raise PeakzeroError(
                f"unknown tariff {text!r}: bundled tariffs are {', '.join(list_tariffs())}; "
                "or give a .toml/.json file",
                field="tariff",
            )
    raw = _read_file(path)
    unknown = sorted(set(overrides) - set(TariffModel.model_fields))
    if unknown:
        raise PeakzeroError(
            f"unknown tariff override(s) {unknown}; allowed: {sorted(TariffModel.model_fields)}",
            field=unknown[0],
        )
    raw.update(overrides)
    if overrides and "defaults" not in overrides:  # a figure the user set is no longer a default
        raw["defaults"] = [d for d in raw.get("defaults", []) if d.split(".")[0] not in overrides]
    return tariff_from_dict(raw, origin=f"tariff {text!r}")
