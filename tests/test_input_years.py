"""Years as customers type them (issue 11): a plan year before the newest grid factor year runs on
the nearest factor year with a note; a meter year other than the plan year is mapped; years
outside 1900-2100 (two-digit years among them) are refused with the range."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from peakzero.carbon.factors import grid_factor_lookup
from peakzero.errors import PeakzeroError
from peakzero.site import prepare_site
from peakzero.site.models import site_from_dict

SITE = (
    Path(__file__).resolve().parents[1] / "examples" / "sites" / "suzhou_electronics" / "SITE.toml"
)


def _site(year: int) -> dict[str, Any]:
    raw = tomllib.loads(SITE.read_text("utf-8"))
    raw["year"] = year
    return raw


def test_plan_year_before_the_factor_data_runs_with_a_note() -> None:
    data = prepare_site(site_from_dict(_site(2018)))
    first = grid_factor_lookup("Jiangsu", 2018).year_used
    notes = [n for n in data.notes if n.startswith("Grid factor:")]
    assert len(notes) == 1 and "2018" in notes[0] and str(first) in notes[0]
    assert first > 2018
    assert data.index[0].year == 2018
    later = prepare_site(site_from_dict(_site(2025)))
    assert not [n for n in later.notes if n.startswith("Grid factor:")]


def test_meter_of_2018_is_mapped_onto_a_2025_plan(tmp_path: Path) -> None:
    stamps = pd.date_range("2018-01-01", periods=8760, freq="h")
    kw = np.where((stamps.hour >= 8) & (stamps.hour < 20), 1200.0, 800.0)
    meter = tmp_path / "meter2018.csv"
    pd.DataFrame({"time": stamps.strftime("%Y-%m-%d %H:%M"), "load_kw": kw}).to_csv(
        meter, index=False
    )
    raw = _site(2025)
    raw["load"] = {"csv": "meter2018.csv"}
    data = prepare_site(site_from_dict(raw, base_dir=tmp_path))
    assert data.index[0].year == 2025 and data.index.size == 8760
    assert any("meter year 2018 mapped onto 2025" in n for n in data.notes)
    # the mapping moves whole days: the daily shape and the yearly energy stay (both years
    # have 365 days and every day here has the same 12 + 12 hours)
    assert float(data.load_kw.sum()) == pytest.approx(float(kw.sum()), rel=1e-12)


@pytest.mark.parametrize("year", [18, 20, 1899, 2101])
def test_years_outside_1900_2100_are_refused(year: int) -> None:
    with pytest.raises(PeakzeroError) as info:
        site_from_dict(_site(year))
    assert "1900" in str(info.value) and "2100" in str(info.value)
    assert "year" in (info.value.field or "")
