"""Timestamp styles (peakzero.load.dates) and the meter-year mapping (peakzero.load.align)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peakzero.calendar import day_types
from peakzero.errors import PeakzeroError
from peakzero.load.align import map_to_year
from peakzero.load.dates import parse_stamps


@pytest.mark.parametrize(
    ("cells", "want"),
    [
        (["2025-03-04 05:06"], "2025-03-04 05:06"),
        (["2025/3/4 5:06"], "2025-03-04 05:06"),
        (["2025年3月4日 5:06"], "2025-03-04 05:06"),
        (["2025年3月4日5时6分"], "2025-03-04 05:06"),
        (["2025-03-04T05:06:00+08:00"], "2025-03-04 05:06"),
        (["2025-03-04 24:00"], "2025-03-05 00:00"),
        (["13/03/2025 05:06", "04/03/2025 05:06"], "2025-03-13 05:06"),  # day first: 13 > 12
        (["03/13/2025 05:06", "03/04/2025 05:06"], "2025-03-13 05:06"),  # month first
    ],
)
def test_stamp_styles(cells: list[str], want: str) -> None:
    index, _ = parse_stamps(cells, what="f")
    assert index[0] == pd.Timestamp(want)


def test_ambiguous_day_month_needs_date_format() -> None:
    cells = ["03/04/2025 00:00", "04/04/2025 00:00"]
    with pytest.raises(PeakzeroError, match="date_format") as info:
        parse_stamps(cells, what="f")
    assert info.value.field == "date_format"
    index, _ = parse_stamps(cells, what="f", date_format="dd/mm/yyyy")
    assert index[0] == pd.Timestamp("2025-04-03")
    index, _ = parse_stamps(cells, what="f", date_format="mm/dd/yyyy")
    assert index[0] == pd.Timestamp("2025-03-04")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["2025-02-29 00:00"], "impossible"),
        (["2025-01-01 24:30"], "impossible"),
        (["tomorrow"], "cannot read"),
        (["2025-01-01T00:00:00+01:00"], r"\+08:00"),
    ],
)
def test_bad_stamps_refused(cells: list[str], message: str) -> None:
    with pytest.raises(PeakzeroError, match=message):
        parse_stamps(cells, what="f")


def test_meter_year_mapped_by_day_type_with_monthly_kwh_kept() -> None:
    """2025 (holidays bundled) onto 2026: every 2026 day gets a 2025 day of its own kind, and
    each month's energy is 2025's (both years have the same days per month)."""
    src_days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    tgt_days = pd.date_range("2026-01-01", "2026-12-31", freq="D")
    rng = np.random.default_rng(0)
    kinds = {"workday": 100.0, "weekend": 40.0, "holiday": 10.0}
    level = np.array([kinds[k] for k in day_types(src_days)]) + rng.uniform(0, 1, len(src_days))
    hourly = np.repeat(level, 24)
    out, note = map_to_year(hourly, 2025, 2026, steps_per_day=24)
    daily = out.reshape(-1, 24).mean(axis=1)
    # day kind recovered from the level band (scaling per month moves levels by a few percent)
    got = np.where(daily > 70, "workday", np.where(daily > 25, "weekend", "holiday"))
    assert (got == day_types(tgt_days)).mean() == 1.0
    src_month = pd.Series(hourly).groupby(np.repeat(src_days.month, 24)).sum()
    tgt_month = pd.Series(out).groupby(np.repeat(tgt_days.month, 24)).sum()
    # monthly kWh kept: a product and a sum per month, float round-off only
    np.testing.assert_allclose(tgt_month.to_numpy(), src_month.to_numpy(), rtol=1e-12)
    assert "mapped onto 2026" in note
