"""Chinese holiday calendar: counts from the State Council notices and the fallback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peakzero.calendar import covered_years, day_types, holiday_names
from peakzero.errors import PeakzeroError


def days(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="D", inclusive="left")


# Working days = weekdays - weekday days off + worked weekend days (调休), counted by hand from
# the notices:
# 2023 (starts Sun): 260 - (Jan 2; Jan 23-27; Apr 5; May 1-3; Jun 22-23; Sep 29, Oct 2-6 = 18)
#      + (Jan 28, 29; Apr 23; May 6; Jun 25; Oct 7, 8 = 7) = 249 (the published total)
# 2024 (leap, starts Mon): 262 - (1 + 5 + 2 + 3 + 1 + 2 + 5 = 19) + 8 = 251 (published total)
# 2025 (starts Wed): 261 - (Jan 1; 6 in Spring Festival; Apr 4; May 1, 2, 5; Jun 2;
#      Oct 1-3, 6-8 = 18) + (Jan 26, Feb 8, Apr 27, Sep 28, Oct 11 = 5) = 248
# 2026 (starts Thu): 261 - (2 + 6 + 1 + 3 + 1 + 1 + 5 = 19) + 6 = 248
# Holiday days are the days-off blocks inside the year (weekends in a block included):
# 2023: 2 (Jan 1-2; Dec 31 2022 is in 2022) + 7 + 1 + 5 + 3 + 8 = 26;
# 2024: 1 + 8 + 3 + 5 + 1 + 3 + 7 = 28; 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28;
# 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33.
@pytest.mark.parametrize(
    ("year", "workdays", "holiday_days"),
    [(2023, 249, 26), (2024, 251, 28), (2025, 248, 28), (2026, 248, 33)],
)
def test_working_day_counts(year: int, workdays: int, holiday_days: int) -> None:
    kinds = day_types(days(year))
    assert (kinds == "workday").sum() == workdays
    assert (kinds == "holiday").sum() == holiday_days


def test_adjusted_workdays_and_names() -> None:
    idx = pd.DatetimeIndex(
        ["2025-01-26", "2025-01-28", "2025-02-04", "2025-02-08", "2025-02-09", "2026-02-15"]
    )
    assert day_types(idx).tolist() == [
        "workday", "holiday", "holiday", "workday", "weekend", "holiday",
    ]  # fmt: skip
    assert holiday_names(idx).tolist() == [
        "", "spring_festival", "spring_festival", "", "", "spring_festival",
    ]  # fmt: skip


def test_timezone_conversion() -> None:
    """2025-09-30 20:00 UTC is 1 October 04:00 in China: a National Day holiday."""
    idx = pd.DatetimeIndex(["2025-09-30 20:00"], tz="UTC")
    assert day_types(idx).tolist() == ["holiday"]
    assert holiday_names(idx).tolist() == ["national_day"]


def test_fallback_and_strict() -> None:
    assert set(covered_years()) >= {2023, 2024, 2025, 2026}
    idx = days(2031)
    kinds = day_types(idx)
    assert (kinds == "holiday").sum() == 0
    assert np.array_equal(kinds == "weekend", idx.day_of_week >= 5)
    with pytest.raises(PeakzeroError, match="2031"):
        day_types(idx, strict=True)
