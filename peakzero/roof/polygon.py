"""Roof outline files: vertices in plan metres (x east, y north)."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from peakzero.errors import PeakzeroError
from peakzero.load.encoding import read_text
from peakzero.validation import Strict, validation_error


class PolygonFile(Strict):
    """A roof outline file: vertices in plan metres (x east, y north); finite numbers only
    (no ``true``, ``"12"``, ``NaN`` or ``Infinity``), no other keys."""

    vertices: list[tuple[float, float]]


def read_polygon(path: Path) -> tuple[tuple[float, float], ...]:
    """Read roof vertices from JSON (``{"vertices": [[x, y], ...]}`` or ``[[x, y], ...]``) or
    CSV (columns ``x``, ``y`` in metres)."""
    if path.is_dir():
        raise PeakzeroError(
            f"polygon = {str(path)!r} is a folder, not a file; give the outline file.",
            field="polygon",
        )
    if not path.is_file():
        raise PeakzeroError(f"polygon = {str(path)!r}: no such file.", field="polygon")
    text, _ = read_text(path, what=f"polygon file {str(path)!r}", field="polygon")
    how = (
        'Give JSON {"vertices": [[x, y], ...]} or a CSV with columns x,y, in metres '
        "(x east, y north), at least 3 vertices."
    )
    origin = f"polygon file {path}"
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise PeakzeroError(
                f"{origin} is not valid JSON ({str(exc).splitlines()[0]}). {how}", field="polygon"
            ) from None
        try:  # validated as JSON, so that strict mode takes arrays for the (x, y) pairs
            data = PolygonFile.model_validate_json(
                json.dumps({"vertices": raw} if isinstance(raw, list) else raw)
            )
        except ValidationError as exc:
            raise validation_error(exc, PolygonFile, origin=origin, prefix="polygon.") from None
        vertices = data.vertices
    else:
        try:
            frame = pd.read_csv(io.StringIO(text), skipinitialspace=True)
            frame.columns = [str(c).strip().lower() for c in frame.columns]
            if not {"x", "y"} <= set(frame.columns):
                raise PeakzeroError(f"{origin}: no x, y columns. {how}", field="polygon")
            vertices = [
                (float(x), float(y))
                for x, y in zip(frame["x"].astype(float), frame["y"].astype(float), strict=True)
            ]
        except (ValueError, pd.errors.ParserError) as exc:
            if isinstance(exc, PeakzeroError):
                raise
            first = str(exc).splitlines()[0]
            raise PeakzeroError(
                f"{origin} is not valid ({first}). {how}", field="polygon"
            ) from None
    bad = next((v for v in vertices if not all(map(math.isfinite, v))), None)
    if bad is not None:  # a CSV cell "inf" or "nan" (JSON ones are refused by the model)
        raise PeakzeroError(
            f"{origin}: vertex {bad} is not a finite number pair. {how}", field="polygon"
        )
    if len(vertices) >= 2 and vertices[0] == vertices[-1]:
        vertices = vertices[:-1]  # a closed ring repeats the first vertex
    if len(vertices) < 3:
        raise PeakzeroError(
            f"polygon file {path} has {len(vertices)} vertices. {how}", field="polygon"
        )
    return tuple(vertices)
