"""Roof outline files read through the one pydantic error translator (peakzero.validation):
strict numbers, no unknown keys, the field named down to the vertex and coordinate."""

from __future__ import annotations

from pathlib import Path

import pytest

from peakzero.errors import PeakzeroError
from peakzero.roof.polygon import read_polygon


@pytest.mark.parametrize(
    ("name", "text", "vertices"),
    [
        ("list.json", "[[0, 0], [10, 0], [10, 8]]", ((0.0, 0.0), (10.0, 0.0), (10.0, 8.0))),
        (
            "ring.json",
            '{"vertices": [[0, 0], [10.5, 0], [0, 8], [0, 0]]}',
            ((0, 0), (10.5, 0), (0, 8)),
        ),
        ("plain.csv", "x, y\n0,0\n10,0\n10,8\n", ((0.0, 0.0), (10.0, 0.0), (10.0, 8.0))),
    ],
)
def test_outlines_read(
    tmp_path: Path, name: str, text: str, vertices: tuple[tuple[float, float], ...]
) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert read_polygon(path) == vertices


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('{"vertices": [[true, 0], [1, 0], [0, 1]]}', "polygon.vertices.0.0", "valid number"),
        ('{"vertices": [["3", 0], [1, 0], [0, 1]]}', "polygon.vertices.0.0", "valid number"),
        ("[[0, 0], [1, NaN], [0, 1]]", "polygon.vertices.1.1", "finite number"),
        ("[[0, 0], [1, Infinity], [0, 1]]", "polygon.vertices.1.1", "finite number"),
        ('{"vertices": [[0, 0], [1, 0], [0, 1]], "unit": "mm"}', "polygon.unit", "Extra inputs"),
        ('{"vertices": [[0, 0, 0], [1, 0], [0, 1]]}', "polygon.vertices.0", "at most 2"),
    ],
)
def test_bad_json_outlines_name_the_field(
    tmp_path: Path, text: str, field: str, words: str
) -> None:
    path = tmp_path / "roof.json"
    path.write_text(text, "utf-8")
    with pytest.raises(PeakzeroError) as info:
        read_polygon(path)
    assert info.value.field == field
    assert words in str(info.value) and str(path) in str(info.value)


def test_infinite_csv_vertex_refused(tmp_path: Path) -> None:
    path = tmp_path / "roof.csv"
    path.write_text("x,y\n0,0\ninf,0\n0,1\n", "utf-8")
    with pytest.raises(PeakzeroError, match="not a finite number pair") as info:
        read_polygon(path)
    assert info.value.field == "polygon"
