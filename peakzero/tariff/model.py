"""The :class:`Tariff` data model and its loader (bundled TOML or a user TOML/JSON file).

A tariff is a flat (平段) energy price [yuan/kWh] and, per season, a map of the 24 clock hours
to time-of-use periods whose prices are multipliers of the flat price; plus holiday rules (deep
valley on named holidays), a two-part charge (demand [yuan/kW-month] *or* capacity
[yuan/kVA-month]) and export terms. Periods are local clock hours ``[start, end)``.

User files are validated here, once, with pydantic; every error names the field, the value,
what is allowed and how to fix it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from peakzero.calendar import HOLIDAY_NAMES
from peakzero.data import data_path
from peakzero.errors import PeakzeroError

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
        24 period names, one per clock hour 0-23.
    multipliers
        Season-specific price multipliers overriding the tariff's (may be empty).
    """

    name: str
    months: tuple[int, ...]
    hour_periods: tuple[str, ...]
    multipliers: Mapping[str, float] = field(default_factory=dict)

    def __hash__(self) -> int:  # mappings are not hashable: hash a sorted copy
        return hash(
            (self.name, self.months, self.hour_periods, tuple(sorted(self.multipliers.items())))
        )


@dataclass(frozen=True)
class HolidayRule:
    """On the named statutory holidays, the given clock hours take ``period``.

    ``holidays`` holds names from :data:`peakzero.calendar.HOLIDAY_NAMES` or ``"all"``;
    ``months`` limits the rule to some months (empty = all).
    """

    holidays: tuple[str, ...]
    period: str
    hours: tuple[tuple[int, int], ...]
    months: tuple[int, ...] = ()


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
        Period overrides on statutory holidays, applied after the season map.
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
    """

    name: str
    province: str
    voltage_class: str
    flat_price_yuan_per_kwh: float
    multipliers: Mapping[str, float]
    seasons: tuple[Season, ...]
    holiday_rules: tuple[HolidayRule, ...] = ()
    demand_charge_yuan_per_kw_month: float | None = None
    capacity_charge_yuan_per_kva_month: float | None = None
    transformer_kva: float | None = None
    export_price_yuan_per_kwh: float = 0.0
    export_limit_kw: float | None = None
    source: str = ""

    def __hash__(self) -> int:  # hashable, so a Tariff can key a cache
        return hash(
            (
                self.name,
                self.flat_price_yuan_per_kwh,
                self.seasons,
                self.holiday_rules,
                tuple(sorted(self.multipliers.items())),
                self.demand_charge_yuan_per_kw_month,
                self.capacity_charge_yuan_per_kva_month,
                self.transformer_kva,
                self.export_price_yuan_per_kwh,
                self.export_limit_kw,
            )
        )

    def price(self, period: str, month: int) -> float:
        """Energy price [yuan/kWh] of ``period`` in calendar ``month``."""
        season = next(s for s in self.seasons if month in s.months)
        mult = season.multipliers.get(period, self.multipliers[period])
        return self.flat_price_yuan_per_kwh * mult


# --------------------------------------------------------------------------- validation models

Hours = list[tuple[int, int]]


def _check_spans(spans: Hours, where: str) -> None:
    for start, end in spans:
        if not (0 <= start < end <= 24):
            raise ValueError(
                f"{where}: hour span [{start}, {end}) is invalid; spans are local clock hours "
                "[start, end) with 0 <= start < end <= 24 (split spans crossing midnight in two)"
            )


def _check_months(months: list[int], where: str) -> None:
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise ValueError(f"{where}: months {bad} are not calendar months 1-12")


class _SeasonModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    months: list[int]
    periods: dict[Period, Hours]
    multipliers: dict[Period, float] = {}

    @model_validator(mode="after")
    def _cover_24h(self) -> _SeasonModel:
        _check_months(self.months, f"season {self.name!r}")
        owner: list[str | None] = [None] * 24
        for period, spans in self.periods.items():
            _check_spans(spans, f"season {self.name!r} period {period!r}")
            for start, end in spans:
                for hour in range(start, end):
                    if owner[hour] is not None:
                        raise ValueError(
                            f"season {self.name!r}: hour {hour}:00 is in both {owner[hour]!r} "
                            f"and {period!r}; periods must not overlap"
                        )
                    owner[hour] = period
        missing = [h for h in range(24) if owner[h] is None]
        if missing:
            raise ValueError(
                f"season {self.name!r}: hours {missing} belong to no period; the periods must "
                "cover all 24 hours (add them to 'flat' if in doubt)"
            )
        for period, mult in self.multipliers.items():
            if not mult > 0:
                raise ValueError(f"season {self.name!r}: multiplier {period} = {mult} must be > 0")
        return self

    def hour_periods(self) -> tuple[str, ...]:
        owner = [""] * 24
        for period, spans in self.periods.items():
            for start, end in spans:
                for hour in range(start, end):
                    owner[hour] = period
        return tuple(owner)


class _HolidayRuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    holidays: list[str]
    period: Period
    hours: Hours
    months: list[int] = []

    @model_validator(mode="after")
    def _check(self) -> _HolidayRuleModel:
        allowed = (*HOLIDAY_NAMES, "all")
        bad = [h for h in self.holidays if h not in allowed]
        if bad or not self.holidays:
            raise ValueError(f"holiday_rules.holidays {self.holidays}: allowed names are {allowed}")
        _check_spans(self.hours, "holiday rule")
        _check_months(self.months, "holiday rule")
        return self


class TariffModel(BaseModel):
    """Schema of a tariff file (TOML or JSON); see ``peakzero/data/tariffs/*.toml`` for examples."""

    model_config = ConfigDict(extra="forbid")
    name: str
    province: str = ""
    voltage_class: str = ""
    flat_price_yuan_per_kwh: float
    multipliers: dict[Period, float]
    seasons: list[_SeasonModel]
    holiday_rules: list[_HolidayRuleModel] = []
    demand_charge_yuan_per_kw_month: float | None = None
    capacity_charge_yuan_per_kva_month: float | None = None
    transformer_kva: float | None = None
    export_price_yuan_per_kwh: float = 0.0
    export_limit_kw: float | None = None
    source: str

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
        if self.multipliers.get("flat", 1.0) != 1.0:
            raise ValueError("multipliers.flat must be 1.0: prices are multiples of the flat price")
        months = sorted(m for s in self.seasons for m in s.months)
        if months != list(range(1, 13)):
            raise ValueError(
                f"seasons cover months {months}; every month 1-12 must be in exactly one season"
            )
        used = {p for s in self.seasons for p in s.periods} | {r.period for r in self.holiday_rules}
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
                    s.hour_periods(),
                    {str(k): v for k, v in s.multipliers.items()},
                )
                for s in self.seasons
            ),
            holiday_rules=tuple(
                HolidayRule(tuple(r.holidays), r.period, tuple(r.hours), tuple(r.months))
                for r in self.holiday_rules
            ),
            demand_charge_yuan_per_kw_month=self.demand_charge_yuan_per_kw_month,
            capacity_charge_yuan_per_kva_month=self.capacity_charge_yuan_per_kva_month,
            transformer_kva=self.transformer_kva,
            export_price_yuan_per_kwh=self.export_price_yuan_per_kwh,
            export_limit_kw=self.export_limit_kw,
            source=self.source,
        )


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
    try:
        if path.suffix.lower() == ".json":
            raw = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix.lower() == ".toml":
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            raise PeakzeroError(
                f"tariff file {str(path)!r}: unknown extension; use .toml or .json",
                field="tariff",
            )
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
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
        lines = []
        for err in exc.errors()[:5]:
            loc = ".".join(str(p) for p in err["loc"]) or "(file)"
            given = err.get("input")
            shown = "" if isinstance(given, dict | list) else f" (given: {given!r})"
            lines.append(f"{loc}: {err['msg']}{shown}")
        first = str(exc.errors()[0]["loc"][0]) if exc.errors() and exc.errors()[0]["loc"] else None
        raise PeakzeroError(f"{origin} is invalid:\n  " + "\n  ".join(lines), field=first) from exc


def load_tariff(name_or_path: str | Path, **overrides: Any) -> Tariff:
    """Load a bundled tariff by name, or a user TOML/JSON file, and validate it.

    Parameters
    ----------
    name_or_path
        A bundled name (see :func:`list_tariffs`) or a path to a ``.toml`` / ``.json`` file.
    **overrides
        Top-level fields replaced before validation, e.g. ``flat_price_yuan_per_kwh=0.68``,
        ``export_limit_kw=0.0`` (zero export) or ``demand_charge_yuan_per_kw_month=None``.

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
    return tariff_from_dict(raw, origin=f"tariff {text!r}")
