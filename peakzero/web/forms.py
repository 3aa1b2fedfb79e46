"""HTML forms generated from pydantic models: label (zh / en), unit, range, step, options.

The field metadata is read from ``json_schema_extra`` (``label_zh``, ``label_en``, ``unit``,
``step``, ``help_zh``, ``help_en``), the layout the parameter schema of the core will carry, so
switching to that schema changes :func:`form_fields` only.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from peakzero.estimate import BUILDING_EN, BUILDING_ZH

#: Display names of select options, per language.
OPTION_LABELS: dict[str, dict[str, str]] = {
    "zh": {**BUILDING_ZH, "flat": "平屋顶", "pitched": "坡屋顶"},
    "en": {**BUILDING_EN, "flat": "Flat", "pitched": "Pitched"},
}


def province_suggestions(lang: str) -> tuple[str, ...]:
    """The 31 provinces as a typed field suggests them (Chinese short names, or English)."""
    from peakzero.provinces import provinces

    return tuple(p.short_zh if lang == "zh" else p.name for p in provinces())


def province_label(name: str, lang: str) -> str:
    """A province's name as the page shows it (any accepted spelling in)."""
    from peakzero.provinces import resolve_province

    prov = resolve_province(name)
    return prov.short_zh if lang == "zh" else prov.name


#: Text fields that suggest values (an HTML datalist): field name -> suggestions per language.
SUGGESTIONS = {"province": province_suggestions}


@dataclass(frozen=True)
class FormField:
    name: str
    kind: Literal["select", "number", "text"]
    label: str
    unit: str
    help: str
    required: bool
    default: Any
    options: tuple[tuple[str, str], ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | str | None = None
    max_length: int | None = None
    suggestions: tuple[str, ...] = ()


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The inner type of ``X | None`` and whether None is allowed."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def form_fields(model: type[BaseModel], lang: str) -> list[FormField]:
    """The fields of ``model`` as form inputs, labelled in ``lang``."""
    out = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        inner, optional = _unwrap(info.annotation)
        label = str(extra.get("label_en" if lang == "en" else "label_zh", name))
        help_ = str(extra.get("help_en" if lang == "en" else "help_zh", ""))
        unit = str(extra.get("unit", ""))
        default = None if info.default is None else info.default
        lo = hi = None
        max_length = None
        for item in info.metadata:
            lo = getattr(item, "ge", lo) if getattr(item, "ge", None) is not None else lo
            hi = getattr(item, "le", hi) if getattr(item, "le", None) is not None else hi
            if getattr(item, "max_length", None) is not None:
                max_length = item.max_length
        if get_origin(inner) is Literal:
            labels = OPTION_LABELS.get(lang, {})
            options = tuple((str(v), labels.get(str(v), str(v))) for v in get_args(inner))
            out.append(
                FormField(name, "select", label, unit, help_, not optional, default, options)
            )
        elif inner in (float, int):
            step_raw = extra.get("step", "any")
            step = step_raw if isinstance(step_raw, int | float | str) else "any"
            out.append(
                FormField(
                    name,
                    "number",
                    label,
                    unit,
                    help_,
                    not optional and default is None,
                    default,
                    min=lo,
                    max=hi,
                    step=step,
                )
            )
        else:
            suggest = SUGGESTIONS.get(name)
            if name == "province" and isinstance(default, str):
                default = province_label(default, lang)
            out.append(
                FormField(
                    name,
                    "text",
                    label,
                    unit,
                    help_,
                    False,
                    default,
                    max_length=max_length,
                    suggestions=suggest(lang) if suggest else (),
                )
            )
    return out


def form_values(model: type[BaseModel], form: dict[str, str]) -> dict[str, Any]:
    """The non-empty form values of the model's fields (empty inputs mean "not given")."""
    return {
        name: form[name].strip()
        for name in model.model_fields
        if isinstance(form.get(name), str) and form[name].strip() != ""
    }
