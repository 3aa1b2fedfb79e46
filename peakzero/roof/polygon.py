"""Roof outline files: vertices in plan metres (x east, y north)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from peakzero.errors import PeakzeroError
from peakzero.load.encoding import read_text


class PolygonFile(BaseModel):
    """A roof outline file: vertices in plan metres (x east, y north)."""

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
    try:
        if path.suffix.lower() == ".json":
            raw = json.loads(text)
            data = PolygonFile.model_validate({"vertices": raw} if isinstance(raw, list) else raw)
            vertices = data.vertices
        else:
            frame = pd.read_csv(io.StringIO(text), skipinitialspace=True)
            frame.columns = [str(c).strip().lower() for c in frame.columns]
            if not {"x", "y"} <= set(frame.columns):
                raise PeakzeroError(f"polygon file {path}: no x, y columns. {how}", field="polygon")
            vertices = [
                (float(x), float(y))
                for x, y in zip(frame["x"].astype(float), frame["y"].astype(float), strict=True)
            ]
    except (ValueError, ValidationError, pd.errors.ParserError) as exc:
        if isinstance(exc, PeakzeroError):
            raise
        first = str(exc).splitlines()[0]
        raise PeakzeroError(
            f"polygon file {path} is not valid ({first}). {how}", field="polygon"
        ) from None
    if len(vertices) >= 2 and vertices[0] == vertices[-1]:
        vertices = vertices[:-1]  # a closed ring repeats the first vertex
    if len(vertices) < 3:
        raise PeakzeroError(
            f"polygon file {path} has {len(vertices)} vertices. {how}", field="polygon"
        )
    return tuple(vertices)
