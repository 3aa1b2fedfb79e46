"""The one parameter schema: every input field declared once, in ``data/params/fields.csv``.

Each row gives a field of an input model (``model``, ``field``) its default, range, unit, form
step, labels and help in English and Chinese, and the source of its default. Everything else is
derived from it: the pydantic input models (:func:`param`, :func:`item`), the engine defaults
(:func:`default`, e.g. :class:`peakzero.storage.Battery`), the error messages
(:func:`peakzero.validation.validation_error` names the range and unit), the assumptions table
of the report, the web form (:func:`form_fields`) and ``docs/parameters.md``
(:func:`reference_markdown`).

A ``default`` cell holds a JSON value (``0.88``, ``true``, ``null``, ``"flat"``), is empty for a
required field, or says ``section`` for a nested table whose own fields carry the defaults. A
``min`` / ``max`` cell written ``>0`` / ``<1`` is exclusive.

>>> p = get("BatteryInput.round_trip_efficiency")
>>> p.default, p.range_text(), p.unit, p.label("zh")
(0.88, '0.5 to 1', '-', '充放电往返效率')
>>> default("PVInput.capex_yuan_per_kwp")
3000.0
"""

from __future__ import annotations

import csv
import functools
import json
import math
import types
import typing
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import BaseModel

Lang = Literal["zh", "en"]

#: Marker of a required field (an empty ``default`` cell).
REQUIRED: Any = type("Required", (), {"__repr__": lambda _self: "REQUIRED"})()
#: Marker of a nested table whose own fields carry the defaults.
SECTION: Any = type("Section", (), {"__repr__": lambda _self: "SECTION"})()

_COLUMNS = (
    "model",
    "field",
    "default",
    "min",
    "max",
    "unit",
    "step",
    "label_en",
    "label_zh",
    "help_en",
    "help_zh",
    "source",
)


@dataclass(frozen=True)
class Param:
    """One input field as the schema declares it (units in ``unit``, bounds in that unit)."""

    model: str
    field: str
    default: Any
    minimum: float | None
    maximum: float | None
    min_exclusive: bool
    max_exclusive: bool
    unit: str
    step: float | None
    label_en: str
    label_zh: str
    help_en: str
    help_zh: str
    source: str

    @property
    def key(self) -> str:
        """``Model.field``."""
        return f"{self.model}.{self.field}"

    @property
    def required(self) -> bool:
        """Whether the field has no default."""
        return self.default is REQUIRED

    @property
    def numeric(self) -> bool:
        """Whether the field has a numeric range."""
        return self.minimum is not None or self.maximum is not None

    def label(self, lang: Lang = "en") -> str:
        """The field's label in ``lang``."""
        return self.label_zh if lang == "zh" else self.label_en

    def help(self, lang: Lang = "en") -> str:
        """The field's help text in ``lang``."""
        return self.help_zh if lang == "zh" else self.help_en

    def range_text(self) -> str:
        """The allowed range, e.g. ``'0 to 1'`` or ``'above 0 to 1e+07'``."""
        low = _num(self.minimum) if self.minimum is not None else "-inf"
        high = _num(self.maximum) if self.maximum is not None else "inf"
        low = f"above {low}" if self.min_exclusive else low
        high = f"below {high}" if self.max_exclusive else high
        return f"{low} to {high}"

    def contains(self, value: float) -> bool:
        """Whether ``value`` is finite and within the range."""
        if not math.isfinite(value):
            return False
        if self.minimum is not None and (
            value <= self.minimum if self.min_exclusive else value < self.minimum
        ):
            return False
        return not (
            self.maximum is not None
            and (value >= self.maximum if self.max_exclusive else value > self.maximum)
        )

    def bounds(self) -> dict[str, float]:
        """The range as pydantic constraint keywords (``ge``, ``gt``, ``le``, ``lt``)."""
        out: dict[str, float] = {}
        if self.minimum is not None:
            out["gt" if self.min_exclusive else "ge"] = self.minimum
        if self.maximum is not None:
            out["lt" if self.max_exclusive else "le"] = self.maximum
        return out


def _num(value: float) -> str:
    return f"{value:g}"


def _bound(text: str, mark: str) -> tuple[float | None, bool]:
    text = text.strip()
    if not text:
        return None, False
    exclusive = text.startswith(mark)
    return float(text.removeprefix(mark)), exclusive


def _default(text: str) -> Any:
    if text == "":
        return REQUIRED
    if text == "section":
        return SECTION
    return json.loads(text)


@functools.cache
def params() -> dict[str, Param]:
    """Every declared field, keyed ``Model.field`` (read once from ``data/params/fields.csv``)."""
    text = resources.files("peakzero").joinpath("data/params/fields.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    out: dict[str, Param] = {}
    for number, row in enumerate(rows, start=2):
        if tuple(row) != _COLUMNS or any(row[c] is None for c in _COLUMNS):
            raise ValueError(f"data/params/fields.csv line {number}: columns must be {_COLUMNS}")
        if not row["source"].strip() or not row["unit"].strip():
            raise ValueError(f"data/params/fields.csv line {number}: no source or unit")
        low, low_x = _bound(row["min"], ">")
        high, high_x = _bound(row["max"], "<")
        p = Param(
            model=row["model"],
            field=row["field"],
            default=_default(row["default"]),
            minimum=low,
            maximum=high,
            min_exclusive=low_x,
            max_exclusive=high_x,
            unit=row["unit"],
            step=float(row["step"]) if row["step"] else None,
            label_en=row["label_en"],
            label_zh=row["label_zh"],
            help_en=row["help_en"],
            help_zh=row["help_zh"],
            source=row["source"],
        )
        if p.key in out:
            raise ValueError(f"data/params/fields.csv line {number}: {p.key} declared twice")
        out[p.key] = p
    return out


def get(key: str) -> Param:
    """The declaration of ``Model.field``; a ``KeyError`` names an undeclared field."""
    try:
        return params()[key]
    except KeyError:
        raise KeyError(f"{key} is not declared in peakzero/data/params/fields.csv") from None


def default(key: str) -> Any:
    """The default of ``Model.field``, for engines that state it outside a pydantic model."""
    p = get(key)
    if p.default is REQUIRED or p.default is SECTION:
        raise KeyError(f"{key} has no scalar default")
    return p.default


def param(key: str, **extra: Any) -> Any:
    """A pydantic ``Field`` for ``Model.field``: default, range and description from the schema.

    ``extra`` goes to ``Field`` as is (e.g. ``default_factory`` for a ``section`` default).
    """
    from pydantic import Field

    p = get(key)
    kwargs: dict[str, Any] = {"description": p.help_en, "json_schema_extra": {"param": key}}
    if p.default is SECTION:
        if "default_factory" not in extra:
            raise KeyError(f"{key} is a section: give its default_factory")
    elif p.default is not REQUIRED:
        kwargs["default"] = p.default
    if not _is_item_range(p):
        kwargs.update(p.bounds())
    kwargs.update(extra)
    return Field(**kwargs)


def item(key: str) -> Any:
    """A pydantic ``Field`` that bounds each element of a list (or dict value) field."""
    from pydantic import Field

    bounds: dict[str, Any] = get(key).bounds()
    return Field(**bounds)


def _is_item_range(p: Param) -> bool:
    """Ranges of list fields bound their elements (declared with :func:`item` in the model)."""
    return p.key in _ITEM_RANGES


#: Fields holding several numbers whose range applies to each element.
_ITEM_RANGES = frozenset(
    {
        "LoadInput.monthly_kwh",
        "ScenarioInfo.periods",
        "ScenarioFile.base",
        "RateSpec.mean",
        "RateSpec.sd",
        "SourceSpec.series_t",
        "SourceSpec.series_mwh",
        "GridSpec.ef_t_per_mwh",
    }
)


def check(key: str, value: float, *, field: str | None = None) -> float:
    """``value`` if within the declared range of ``key``, else a :class:`PeakzeroError`.

    >>> check("BatteryInput.soc_min", 0.1, field="battery.soc_min")
    0.1
    """
    from peakzero.errors import PeakzeroError

    p = get(key)
    if isinstance(value, bool) or not p.contains(float(value)):
        name = field or key
        hint = fraction_hint(p, value)
        raise PeakzeroError(
            f"{name} = {value!r} is out of range: allowed {p.range_text()} [{p.unit}]."
            + (f" {hint}" if hint else ""),
            field=name,
        )
    return value


def fraction_hint(p: Param, value: object) -> str:
    """A hint for a rate or fraction written in percent, or a year written with two digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if p.unit in ("-", "1/year") and p.maximum is not None and p.maximum <= 2 and abs(value) > 1:
        return f"Rates and fractions are decimals: write {value / 100:g} for {value:g} %."
    if p.unit == "year" and 0 <= value < 100:
        return f"Write the year in full ({2000 + int(value)}, not {int(value)})."
    return ""


# ---------------------------------------------------------------------------- models and forms


def input_models() -> tuple[type[BaseModel], ...]:
    """Every input model whose fields the schema declares (imported here, not at import)."""
    from peakzero.carbon import models as carbon
    from peakzero.pathway import models as pathway
    from peakzero.plan import models as plan
    from peakzero.site import models as site

    return (
        site.SiteInput,
        site.LocationInput,
        site.LoadInput,
        site.TariffInput,
        site.ConnectionInput,
        site.PVInput,
        site.BatteryInput,
        site.EconomicsInput,
        site.TargetsInput,
        site.EmcInput,
        site.CarbonInput,
        site.FinanceInput,
        plan.PlanFile,
        plan.PlanHeader,
        plan.RoofSpec,
        plan.BaselineSpec,
        plan.PlanPathway,
        carbon.EntityFile,
        carbon.EntityInfo,
        carbon.FuelUse,
        carbon.YearActivity,
        carbon.ScenarioFile,
        carbon.ScenarioInfo,
        carbon.RateSpec,
        pathway.PathwayInput,
        pathway.PathwayHeader,
        pathway.SourceSpec,
        pathway.GrowthPeriod,
        pathway.GridSpec,
        pathway.TargetsSpec,
        pathway.CapSpec,
        pathway.MeasureSpec,
    )


def model_params(model: type[BaseModel]) -> dict[str, Param]:
    """The declaration of each field of ``model``, by field name."""
    out = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        key = extra.get("param") if isinstance(extra, dict) else None
        if not isinstance(key, str):
            raise KeyError(f"{model.__name__}.{name} is not declared with peakzero.params.param")
        out[name] = get(key)
    return out


@dataclass(frozen=True)
class FormField:
    """What a web form needs to show one input field."""

    name: str
    kind: Literal["number", "integer", "boolean", "text", "choice", "list", "section"]
    label: str
    help: str
    unit: str
    minimum: float | None
    maximum: float | None
    step: float | None
    default: Any
    required: bool
    choices: tuple[str, ...] = ()


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    from pydantic import BaseModel

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return _kind(args[0])
    if origin is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _kind(args[0])
    if origin in (list, dict, tuple):
        return "list", ()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section", ()
    if annotation is bool:
        return "boolean", ()
    if annotation is int:
        return "integer", ()
    if annotation is float:
        return "number", ()
    return "text", ()


def form_fields(model: type[BaseModel], lang: Lang = "en") -> list[FormField]:
    """The fields of ``model`` as a web form shows them (label, help, unit, range, step).

    >>> from peakzero.site.models import BatteryInput
    >>> f = next(f for f in form_fields(BatteryInput, "zh") if f.name == "round_trip_efficiency")
    >>> f.kind, f.label, f.minimum, f.maximum, f.step, f.default
    ('number', '充放电往返效率', 0.5, 1.0, 0.01, 0.88)
    """
    out = []
    declared = model_params(model)
    for name, info in model.model_fields.items():
        p = declared[name]
        kind, choices = _kind(info.annotation)
        out.append(
            FormField(
                name=name,
                kind=kind,  # type: ignore[arg-type]
                label=p.label(lang),
                help=p.help(lang),
                unit=p.unit,
                minimum=p.minimum,
                maximum=p.maximum,
                step=p.step,
                default=None if p.default in (REQUIRED, SECTION) else p.default,
                required=p.required,
                choices=choices,
            )
        )
    return out


def reference_markdown() -> str:
    """``docs/parameters.md``: every input field by model, generated from the schema."""
    lines = [
        "# Parameters / 参数",
        "",
        "Generated from `peakzero/data/params/fields.csv` by "
        "`python -m peakzero.params > docs/parameters.md`; do not edit by hand.",
        "Ranges are inclusive unless they say *above* / *below*; `-` is a dimensionless "
        "fraction or a text.",
        "",
    ]
    for model in input_models():
        lines += [
            f"## {model.__name__}",
            "",
            " ".join((model.__doc__ or "").strip().split("\n\n")[0].split()),
            "",
            "| field | default | range | unit | label | 标签 | source |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, p in model_params(model).items():
            if p.default is REQUIRED:
                shown = "(required)"
            elif p.default is SECTION:
                shown = "(table)"
            else:
                shown = f"`{json.dumps(p.default, ensure_ascii=False)}`"
            rng = p.range_text() if p.numeric else ""
            cells = [f"`{name}`", shown, rng, p.unit, p.label_en, p.label_zh, p.source]
            lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
