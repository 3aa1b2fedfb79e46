"""Built-in load archetypes: exact scaling, calendar effects and features of the measured shapes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.calendar import day_types
from peakzero.errors import PeakzeroError
from peakzero.load import ARCHETYPES, archetype_load, shape_table

# Scaling is a single multiplication; sums over 8784 values keep ~1e-12 relative error.
SCALE_RTOL = 1e-10
# Shape features vs the measured profiles' README figures: the README quotes rounded
# percentages ("~25 %", "~56 %"), so agreement within 5 percentage points is required.
FEATURE_TOL = 0.05


def profiles(kind: str, year: int = 2025) -> dict[str, pd.Series]:
    s = archetype_load(kind, year=year, peak_kw=1.0)
    kinds = day_types(s.index)
    return {
        d: s[kinds == d].groupby(s.index[kinds == d].hour).mean()
        for d in ("workday", "weekend", "holiday")
    }


@pytest.mark.parametrize("kind", ARCHETYPES)
def test_scaling_is_exact(kind: str) -> None:
    annual = archetype_load(kind, year=2024, annual_kwh=1_234_567.0)
    assert len(annual) == 8784  # leap year
    assert str(annual.index.tz) == "Etc/GMT-8" and annual.index[0].hour == 0
    assert annual.sum() == pytest.approx(1_234_567.0, rel=SCALE_RTOL)
    monthly = np.arange(1, 13) * 1000.0
    by_month = archetype_load(kind, year=2025, monthly_kwh=monthly)
    assert len(by_month) == 8760
    sums = by_month.groupby(by_month.index.month).sum().to_numpy()
    assert sums == pytest.approx(monthly, rel=SCALE_RTOL)
    peak = archetype_load(kind, year=2025, peak_kw=800.0)
    assert peak.max() == pytest.approx(800.0, rel=SCALE_RTOL)
    assert (peak >= 0).all()


def test_monthly_zero_month() -> None:
    monthly = [0.0] + [1000.0] * 11
    s = archetype_load("office", year=2025, monthly_kwh=monthly)
    assert s[s.index.month == 1].max() == 0.0


def test_measured_one_shift_features() -> None:
    """README of LP_G_MV: ~25 % of peak at night, 80-100 % from 07:00 to 16:00, weekends ~24 %."""
    p = profiles("factory_one_shift")
    peak = p["workday"].max()
    assert p["workday"][0:5].mean() / peak == pytest.approx(0.25, abs=FEATURE_TOL)
    assert p["workday"][7:16].min() / peak >= 0.80 - FEATURE_TOL
    assert p["weekend"].mean() / peak == pytest.approx(0.24, abs=FEATURE_TOL)


def test_measured_two_shift_features() -> None:
    """README of LP_G_G: base ~56 %, 90-100 % from 06:00 to 19:00, weekends ~80 %."""
    p = profiles("factory_two_shift")
    peak = p["workday"].max()
    assert p["workday"][0:5].mean() / peak == pytest.approx(0.56, abs=FEATURE_TOL)
    assert p["workday"][7:19].min() / peak >= 0.90 - FEATURE_TOL
    assert p["weekend"].max() / peak == pytest.approx(0.80, abs=FEATURE_TOL)


def test_calendar_effects() -> None:
    """Spring Festival lowers factory and office loads; malls are busiest on weekends/holidays;
    cold storage tracks summer."""
    for kind in ("factory_one_shift", "factory_two_shift", "factory_continuous", "office"):
        s = archetype_load(kind, year=2025, annual_kwh=1e6)
        spring_festival = s["2025-01-28":"2025-02-04"].mean()
        workdays_feb = s["2025-02-10":"2025-02-14"].mean()  # Mon-Fri after the holiday
        assert spring_festival < 0.95 * workdays_feb, kind
    mall = archetype_load("mall", year=2025, annual_kwh=1e6)
    kinds = day_types(mall.index)
    assert mall[kinds == "weekend"].mean() > 1.05 * mall[kinds == "workday"].mean()
    assert mall[kinds == "holiday"].mean() > 1.05 * mall[kinds == "workday"].mean()
    cold = archetype_load("cold_storage", year=2025, annual_kwh=1e6)
    month = cold.groupby(cold.index.month).mean()
    assert month[[6, 7, 8]].mean() > 1.5 * month[[12, 1, 2]].mean()
    # an adjusted working Sunday (26 Jan 2025) looks like a workday for the factory
    f = archetype_load("factory_one_shift", year=2025, annual_kwh=1e6)
    at = f.index.tz
    sunday, wednesday = (
        pd.Timestamp("2025-01-26 10:00", tz=at),
        pd.Timestamp("2025-01-22 10:00", tz=at),
    )
    assert f[sunday] == pytest.approx(f[wednesday])


def test_shape_table_sources() -> None:
    table = shape_table()
    assert set(table["archetype"]) == set(ARCHETYPES)
    measured = table[table["basis"] == "measured"]
    assert set(measured["archetype"]) == {"factory_one_shift", "factory_two_shift"}
    assert measured["source"].str.contains("doi:10.5281/zenodo").all()
    assert measured["source"].str.contains("CC BY 4.0").all()
    literature = table[table["basis"] == "literature"]
    assert literature["source"].str.contains("literature-based").all()


def test_bad_arguments() -> None:
    with pytest.raises(PeakzeroError, match="unknown load archetype"):
        archetype_load("steelworks", year=2025, annual_kwh=1.0)
    with pytest.raises(PeakzeroError, match="exactly one"):
        archetype_load("office", year=2025)
    with pytest.raises(PeakzeroError, match="exactly one"):
        archetype_load("office", year=2025, annual_kwh=1.0, peak_kw=1.0)
    with pytest.raises(PeakzeroError, match="12 finite"):
        archetype_load("office", year=2025, monthly_kwh=[1.0] * 11)
    with pytest.raises(PeakzeroError, match="annual_kwh"):
        archetype_load("office", year=2025, annual_kwh=-5.0)
    with pytest.raises(PeakzeroError, match="year"):
        archetype_load("office", year=1800, annual_kwh=5.0)


def test_build_script_on_synthetic_measurement(tmp_path: Path) -> None:
    """The shape builder recovers a known pattern: 10 W at night, 40 W 08-17 on weekdays,
    20 W all day at weekends, stamped like the measured files (UTC+1/+2 offsets)."""
    script = Path(__file__).parents[1] / "scripts" / "build_load_shapes.py"
    spec = importlib.util.spec_from_file_location("build_load_shapes", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    clock = pd.date_range("2018-01-01", "2019-01-01", freq="15min", inclusive="left")
    stamps = clock.tz_localize("Europe/Berlin", ambiguous="NaT", nonexistent="NaT")
    keep = ~stamps.isna()
    clock, stamps = clock[keep], stamps[keep]
    weekend = clock.day_of_week >= 5
    values = np.where(weekend, 20.0, np.where((clock.hour >= 8) & (clock.hour < 17), 40.0, 10.0))
    path = tmp_path / "synthetic.csv"
    pd.DataFrame({"datetime": stamps.astype(str), "load [W]": values}).to_csv(path, index=False)
    table = module.measured_shape(module.hourly_local(path))
    workday = table.loc[("shoulder", "workday")].to_numpy()
    assert workday[[3, 8, 16, 17]] == pytest.approx([0.25, 1.0, 1.0, 0.25])
    assert table.loc[("summer", "weekend")].to_numpy() == pytest.approx(np.full(24, 0.5))
    # German holidays on weekdays (1 May 2018 is a Tuesday) are capped at the weekend level:
    # min(workday, weekend) = 10 W at night (0.25), 20 W in the day (0.5)
    holiday = table.loc[("shoulder", "holiday")].to_numpy()
    assert holiday[[3, 10]] == pytest.approx([0.25, 0.5])
