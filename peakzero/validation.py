"""Validation at the edge: the one strict model base and the one translator of pydantic errors.

Every input model derives from :class:`Strict`: unknown keys refused, values frozen, no type
coercion (``export_limit_kw = false`` is not zero, ``"3"`` is not 3), no ``inf`` or ``nan``.
Ranges, units and labels come from the parameter schema (:mod:`peakzero.params`).
:func:`validation_error` turns a pydantic ``ValidationError`` into one
:class:`~peakzero.errors.PeakzeroError` that names the field, the value, the allowed range with
its unit, and the fix. Paths written inside a file (:data:`UserPath`) are resolved against the
folder of that file, given as ``context={"base_dir": folder}`` when validating.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, ValidationInfo

from peakzero.errors import PeakzeroError
from peakzero.params import Param, fraction_hint, get

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base of every input model: strict types, finite numbers, no unknown keys, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def resolve_path(value: str, info: ValidationInfo) -> str:
    """A relative path made absolute against ``context["base_dir"]`` (the file's folder)."""
    base = (info.context or {}).get("base_dir")
    path = Path(value)
    if base is None or path.is_absolute():
        return value
    return str((Path(base) / path).resolve())


#: A path written in an input file: relative to that file's folder.
UserPath = Annotated[str, AfterValidator(resolve_path)]


#: File fields a model refuses beside another field (``load.csv`` beside ``load.archetype``):
#: the model's own rule names that pair, so the file is not looked for first.
_EXCLUSIVE = {"csv": "archetype"}


def existing_file(value: str, info: ValidationInfo) -> str:
    """A path to an input file, resolved as :func:`resolve_path`; when read from a file (a
    ``base_dir`` in the context) the file must exist, so the refusal names the field the user
    wrote (``load.csv``), not the reader's argument."""
    resolved = resolve_path(value, info)
    rival = _EXCLUSIVE.get(info.field_name or "")
    if rival is not None and info.data.get(rival) is not None:
        return resolved
    if (info.context or {}).get("base_dir") is not None and not Path(resolved).is_file():
        what = "is a folder, not a file" if Path(resolved).is_dir() else "no such file"
        raise ValueError(f"{resolved!r}: {what} (paths are relative to the file they are in)")
    return resolved


def known_archetype(value: str) -> str:
    """A built-in load archetype, or an error listing them."""
    from peakzero.load.archetypes import ARCHETYPES  # here: keeps the CLI start-up light

    if value not in ARCHETYPES:
        raise ValueError(f"unknown load archetype {value!r}; choose one of {', '.join(ARCHETYPES)}")
    return value


#: An input file written in an input file: relative to that file's folder, and present.
UserFile = Annotated[str, AfterValidator(existing_file)]
#: A load archetype name (:data:`peakzero.load.archetypes.ARCHETYPES`).
Archetype = Annotated[str, AfterValidator(known_archetype)]


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation (``X | None`` -> [X]; ``Annotated[X, ...]`` -> [X])."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out += _unwrap(arg)
        return out
    return [annotation]


def _locate(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, Param | None]:
    """The dotted field path of an error location (union tags dropped) and its declaration."""
    parts: list[str] = []
    current: list[Any] = [model]
    declared: Param | None = None
    for part in loc:
        nxt: list[Any] = []
        matched = False
        for alt in current:
            origin = typing.get_origin(alt)
            if isinstance(alt, type) and issubclass(alt, BaseModel) and isinstance(part, str):
                info = alt.model_fields.get(part)
                if info is not None:
                    matched = True
                    extra = info.json_schema_extra
                    key = extra.get("param") if isinstance(extra, dict) else None
                    declared = get(key) if isinstance(key, str) else None
                    nxt += _unwrap(info.annotation)
            elif origin in (list, tuple) and isinstance(part, int):
                matched = True
                nxt += _unwrap(typing.get_args(alt)[0])
            elif origin is dict and isinstance(part, str):
                matched = True
                nxt += _unwrap(typing.get_args(alt)[1])
        if matched:
            parts.append(str(part))
            current = nxt
        elif isinstance(part, str) and any(
            isinstance(a, type) and issubclass(a, BaseModel) for a in current
        ):
            parts.append(part)  # an unknown key: name it
            current, declared = [], None
        # else: a union member's tag ("float", "list[float]"): not part of the path
    return ".".join(parts), declared


_RANGE_ERRORS = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "finite_number",
    "float_type",
    "int_type",
    "float_parsing",
    "int_parsing",
    "int_from_float",
}


def validation_error(
    exc: ValidationError, model: type[BaseModel], *, origin: str, prefix: str = ""
) -> PeakzeroError:
    """One :class:`PeakzeroError` for a pydantic error: field, value, rule, range and fix.

    ``model`` is the model validated (to find each field's declaration), ``origin`` names the
    file or input in the message, ``prefix`` is put before the field (``"site."``).
    """
    errors = exc.errors()
    first = errors[0]
    where, declared = _locate(model, tuple(first["loc"]))
    where = prefix + where if where else (prefix.rstrip(".") or "(file)")
    value = first.get("input")
    shown = "" if isinstance(value, dict | list) else f" (value {value!r})"
    message = str(first["msg"]).removeprefix("Value error, ")
    detail = hint = ""
    if declared is not None and declared.numeric and first["type"] in _RANGE_ERRORS:
        detail = f"; allowed {declared.range_text()} [{declared.unit}]"
        if isinstance(value, bool):
            detail += " (true / false is not a number)"
        hint = fraction_hint(declared, value)
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    tail = f" {hint}" if hint else ""
    return PeakzeroError(
        f"{origin}: {where}{shown}: {message}{detail}{more}.{tail} Fix this field.", field=where
    )


def validate(
    model: type[M],
    data: object,
    *,
    origin: str,
    base_dir: str | Path | None = None,
    prefix: str = "",
) -> M:
    """``model.model_validate(data)`` with paths resolved against ``base_dir``; errors become
    :class:`PeakzeroError` (see :func:`validation_error`)."""
    context = None if base_dir is None else {"base_dir": str(base_dir)}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise validation_error(exc, model, origin=origin, prefix=prefix) from None
