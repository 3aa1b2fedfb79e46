"""The drawing holds exactly the design's modules; transformer loading by hand."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.design import choose_modules, transformer_loading
from peakzero.errors import PeakzeroError


def _grid(rows: int, cols: int) -> np.ndarray:
    """Module places 1 x 2 m, rows 3 m apart northwards (y), columns 1.1 m apart (x)."""
    out = []
    for r in range(rows):
        for c in range(cols):
            x, y = 1.1 * c, 3.0 * r
            out.append([[x, y], [x + 1, y], [x + 1, y + 2], [x, y + 2]])
    return np.asarray(out, dtype=float)


def test_chosen_modules_fill_rows_from_the_front() -> None:
    corners = _grid(3, 5)  # 15 places, row 0 southernmost
    places = choose_modules(corners, 8, 4, azimuth_deg=180.0)
    assert places.index.size == 8 and np.unique(places.index).size == 8
    rows = corners[places.index].mean(axis=1)[:, 1] // 3.0
    # south row (5 places) first, then 3 of the next row
    assert sorted(rows.tolist()) == [0, 0, 0, 0, 0, 1, 1, 1]
    assert places.string.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    # facing north (azimuth 0) the northern row comes first
    north = choose_modules(corners, 5, 5, azimuth_deg=0.0)
    assert set((corners[north.index].mean(axis=1)[:, 1] // 3.0).tolist()) == {2.0}


def test_whole_strings_and_roof_limit() -> None:
    corners = _grid(2, 5)
    with pytest.raises(PeakzeroError, match="whole number of strings"):
        choose_modules(corners, 7, 4, azimuth_deg=180.0)
    with pytest.raises(PeakzeroError, match="roof holds"):
        choose_modules(corners, 12, 4, azimuth_deg=180.0)


def test_transformer_loading_by_hand() -> None:
    # 1,250 kVA at power factor 0.95 carries 1,187.5 kW: 1,425 kW import is 120 %
    load = transformer_loading(np.array([900.0, 1425.0]), np.array([0.0, 237.5]), 1250.0)
    assert load.import_fraction == pytest.approx(1.2)
    assert load.export_fraction == pytest.approx(0.2)
    assert not load.ok
