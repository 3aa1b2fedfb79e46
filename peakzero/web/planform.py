"""The expert's plan form, generated from the parameter schema.

Every scalar field of the plan's input models (:class:`peakzero.plan.models.PlanFile` and the
sections below it: ``[plan]``, ``[roof]``, ``[site.*]``, ``[pathway]``) becomes one input with
its label and help in the page's language, its unit, range and step
(:func:`peakzero.params.form_fields`). Lists (inventory years, measures, growth periods) are
edited in the plan's JSON.

A posted value is converted to the field's type before validation (the models are strict and
refuse the strings a form sends): numbers to float, integers to int, check boxes to bool, an
empty input to "not given" (the default). Conversion errors and the plan's validation error are
reported per field.

Examples
--------
>>> convert(PlanField("site.pv.capex_yuan_per_kwp", "number", "", "", "", None, None, None,
...                   None, False, "site.pv"), "3200")
3200.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from peakzero.errors import PeakzeroError

#: Sections of the plan form, in page order: dotted path -> (Chinese, English) heading.
SECTION_TITLES: dict[str, tuple[str, str]] = {
    "plan": ("方案", "Plan"),
    "roof": ("屋顶", "Roof"),
    "site.location": ("地点", "Location"),
    "site.load": ("负荷", "Load"),
    "site.tariff": ("电价", "Tariff"),
    "site.pv": ("光伏", "PV"),
    "site.battery": ("储能", "Battery"),
    "site.economics": ("经济参数", "Economics"),
    "site.targets": ("目标", "Targets"),
    "site.emc": ("合同能源管理", "EMC (energy performance contract)"),
    "site.carbon": ("碳排放", "Carbon"),
    "site.finance": ("融资与税务", "Financing and tax"),
    "site": ("场地", "Site"),
    "pathway": ("路径", "Pathway"),
}
#: Fields the form leaves to the JSON or to uploads (file paths are set by uploads).
SKIPPED: frozenset[str] = frozenset(
    {"roof.polygon", "site.load.csv", "site.load.bills", "site.tariff.file", "site.base_dir"}
)


@dataclass(frozen=True)
class PlanField:
    """One input of the plan form; ``name`` is the dotted path (``site.pv.capex_yuan_per_kwp``)."""

    name: str
    kind: str  # number, integer, boolean, text, choice
    label: str
    help: str
    unit: str
    minimum: float | None
    maximum: float | None
    step: float | None
    default: Any
    required: bool
    section: str
    choices: tuple[str, ...] = ()
    optional: bool = True


def _walk(model: type[BaseModel], prefix: str, lang: str) -> list[PlanField]:
    from peakzero.params import form_fields

    out: list[PlanField] = []
    nested: list[tuple[str, type[BaseModel]]] = []
    for f in form_fields(model, lang):  # type: ignore[arg-type]
        path = f"{prefix}.{f.name}" if prefix else f.name
        if f.kind == "section":
            sub = _model_of(model, f.name)
            if sub is not None and path in SECTION_TITLES:
                nested.append((path, sub))
            continue
        if f.kind == "list" or path in SKIPPED or not prefix:
            continue
        annotation = model.model_fields[f.name].annotation
        out.append(
            PlanField(
                name=path,
                kind=f.kind,
                label=f.label,
                help=f.help,
                unit=f.unit,
                minimum=f.minimum,
                maximum=f.maximum,
                step=f.step,
                default=f.default,
                required=f.required,
                section=prefix,
                choices=f.choices,
                optional=_allows_none(annotation),
            )
        )
    for path, sub in nested:
        out.extend(_walk(sub, path, lang))
    return out


def _allows_none(annotation: Any) -> bool:
    import types
    import typing

    return type(None) in typing.get_args(annotation) or (
        isinstance(annotation, types.UnionType) and type(None) in annotation.__args__
    )


def _model_of(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    import typing

    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


@lru_cache(maxsize=2)
def plan_fields(lang: str) -> tuple[PlanField, ...]:
    """The plan form's fields in ``lang`` (``"zh"`` or ``"en"``), section by section.

    >>> f = {x.name: x for x in plan_fields("zh")}["site.battery.round_trip_efficiency"]
    >>> f.label, f.minimum, f.maximum, f.step
    ('充放电往返效率', 0.5, 1.0, 0.01)
    """
    from peakzero.plan.models import PlanFile

    return tuple(_walk(PlanFile, "", lang))


def get_path(plan: dict[str, Any], name: str) -> Any:
    """The value at a dotted path of a plan mapping (None when absent)."""
    node: Any = plan
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def set_path(plan: dict[str, Any], name: str, value: Any) -> None:
    """Set (or, for None, remove) the value at a dotted path, creating sections as needed."""
    *sections, key = name.split(".")
    node = plan
    for part in sections:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


def convert(field: PlanField, raw: str) -> Any:
    """A posted text converted to the field's type; ``""`` is None (not given).

    Raises
    ------
    PeakzeroError
        ``field = field.name``: not a number, not a whole number, not one of the choices.
    """
    text = raw.strip()
    if field.kind == "boolean":
        return text.lower() in ("true", "yes", "on", "1")
    if text == "":
        return None
    unit = f" {field.unit}" if field.unit and field.unit != "-" else ""
    allowed = ""
    if field.minimum is not None and field.maximum is not None:
        allowed = f" Allowed: {field.minimum:g} to {field.maximum:g}{unit}."
    if field.kind in ("number", "integer"):
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise PeakzeroError(
                f"{field.name} = {raw!r} is not a number.{allowed}", field=field.name
            ) from None
        if not math.isfinite(number):
            raise PeakzeroError(
                f"{field.name} = {raw!r} is not a finite number.{allowed}", field=field.name
            )
        if field.kind == "integer":
            if number != int(number):
                raise PeakzeroError(
                    f"{field.name} = {raw!r} is not a whole number.{allowed}", field=field.name
                )
            return int(number)
        return number
    if field.kind == "choice" and text not in field.choices:
        raise PeakzeroError(
            f"{field.name} = {raw!r} is not one of {', '.join(field.choices)}.", field=field.name
        )
    return text


def apply_form(
    plan: dict[str, Any], original: dict[str, Any], form: dict[str, str], lang: str
) -> dict[str, str]:
    """Write the posted fields into ``plan`` where they differ from ``original`` (the plan the
    form was drawn from), so that edits of the plan's JSON in the same post survive.

    Returns
    -------
    dict
        Field name -> message of each value that could not be converted (``plan`` keeps the
        other changes).
    """
    errors: dict[str, str] = {}
    for field in plan_fields(lang):
        raw = form.get(field.name)
        if raw is None:
            continue
        try:
            value = convert(field, raw)
        except PeakzeroError as exc:
            errors[field.name] = str(exc)
            continue
        before = get_path(original, field.name)
        shown = before if before is not None else field.default
        if value == shown or (value is None and before is None):
            continue
        set_path(plan, field.name, value)
    return errors


def error_field(exc: PeakzeroError, lang: str) -> str | None:
    """The form field an engine error names (its ``field`` or the first dotted path of the
    message that is a form field), else None."""
    names = {f.name for f in plan_fields(lang)}
    candidates = [exc.field or ""]
    candidates += [word.strip(".,:;()'\"") for word in str(exc).split()]
    for text in candidates:
        for prefix in ("", "site.", "plan."):
            if f"{prefix}{text}" in names:
                return f"{prefix}{text}"
    return None
