"""load_from_bills: every month's kWh per TOU period and maximum demand reproduced."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.errors import PeakzeroError
from peakzero.load.bills import load_from_bills
from peakzero.tariff import hourly_periods, load_tariff

# The issue's figure: each month and period to 0.1 kWh (the fit is a product of scale factors,
# so the real error is float round-off, ~1e-9 of a month's kWh).
KWH_TOL = 0.1
# The maximum demand is set exactly on one hour: float round-off only.
KW_TOL = 1e-6


def by_period(kw: pd.Series, tariff: str) -> pd.DataFrame:
    index = pd.DatetimeIndex(kw.index)
    frame = pd.DataFrame(
        {"kwh": kw.to_numpy(), "p": hourly_periods(load_tariff(tariff), index), "m": index.month}
    )
    return frame.groupby(["m", "p"])["kwh"].sum().unstack(fill_value=0.0)


def test_zhejiang_periods_and_demand_reproduced(tmp_path: Path) -> None:
    """A Zhejiang two-part tariff has 尖 hours in some months: a bill of 尖/峰/平/谷 with demand,
    written in GBK with Chinese headers, is matched per month and period."""
    tariff = "zhejiang_2024_two_part"
    index = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Etc/GMT-8")
    hours = pd.DataFrame({"p": hourly_periods(load_tariff(tariff), index), "m": index.month})
    counts = hours.groupby(["m", "p"]).size().unstack(fill_value=0)
    rows = []
    for m in range(1, 13):
        row: dict[str, object] = {"月份": f"{m}月"}
        for p, zh in (("critical_peak", "尖"), ("peak", "峰"), ("flat", "平"), ("valley", "谷")):
            n = counts.loc[m].get(p, 0) + (
                counts.loc[m].get("deep_valley", 0) if p == "valley" else 0
            )
            row[f"{zh}(kWh)"] = round(n * (300.0 + 10 * m), 1) if n else 0
        row["最大需量(kW)"] = 520.0 + 5 * m
        rows.append(row)
    bills = pd.DataFrame(rows)
    path = tmp_path / "bills.csv"
    bills.to_csv(path, index=False, encoding="gbk")
    fitted = load_from_bills(path, archetype="factory_two_shift", year=2025, tariff=tariff)
    got = by_period(fitted.kw, tariff)
    # the bill lists no 深谷 (holiday deep valley): those hours are counted with 谷
    got["valley"] += got.pop("deep_valley")
    for m, row in enumerate(rows, start=1):
        for p, zh in (("critical_peak", "尖"), ("peak", "峰"), ("flat", "平"), ("valley", "谷")):
            want = float(row[f"{zh}(kWh)"])  # type: ignore[arg-type]
            assert got.loc[m].get(p, 0.0) == pytest.approx(want, abs=KWH_TOL)
    month_max = fitted.kw.groupby(pd.DatetimeIndex(fitted.kw.index).month).max().to_numpy()
    assert month_max == pytest.approx(bills["最大需量(kW)"].to_numpy(), abs=KW_TOL)
    assert (fitted.kw.to_numpy() >= 0).all()
    assert any("15-minute" in n for n in fitted.notes)
    assert any("深谷 counted with 谷" in n for n in fitted.notes)


def test_totals_only_and_jiangsu_critical_peak_folded(tmp_path: Path) -> None:
    """Totals only: each month's kWh exactly. A 尖 column under a tariff without 尖 hours
    (Jiangsu 2025) is counted as 峰 and said so."""
    totals = [100_000.0 + 1000 * m for m in range(1, 13)]
    path = tmp_path / "t.csv"
    pd.DataFrame({"month": [f"2024-{m:02d}" for m in range(1, 13)], "total_kwh": totals}).to_csv(
        path, index=False
    )
    fitted = load_from_bills(path, archetype="office", year=2025, tariff="jiangsu_2025_two_part")
    months = fitted.kw.groupby(pd.DatetimeIndex(fitted.kw.index).month).sum().to_numpy()
    assert months == pytest.approx(totals, abs=KWH_TOL)

    rows = [
        {"month": m, "尖": 5000.0, "峰": 40000.0, "平": 30000.0, "谷": 20000.0}
        for m in range(1, 13)
    ]
    path = tmp_path / "j.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    fitted = load_from_bills(path, archetype="office", year=2025, tariff="jiangsu_2025_two_part")
    got = by_period(fitted.kw, "jiangsu_2025_two_part")
    assert got["peak"].to_numpy() == pytest.approx(45000.0, abs=KWH_TOL)
    assert got["flat"].to_numpy() == pytest.approx(30000.0, abs=KWH_TOL)
    assert any("尖 counted as 峰" in n for n in fitted.notes)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"month": m, "total": 1000.0} for m in range(1, 12)], r"missing \[12\]"),
        ([{"month": m, "total": 1000.0, "colour": 1} for m in range(1, 13)], "colour"),
        ([{"month": m, "total": -5.0} for m in range(1, 13)], "not a kWh figure"),
        # 100,000 kWh in a month cannot fit under a 10 kW maximum demand (kWh typed as kW?)
        ([{"month": m, "total": 100000.0, "max_demand_kw": 10.0} for m in range(1, 13)], "units"),
    ],
)
def test_bad_bills_refused(tmp_path: Path, rows: list[dict[str, object]], message: str) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(PeakzeroError, match=message) as info:
        load_from_bills(path, archetype="office", year=2025, tariff="jiangsu_2025_two_part")
    assert info.value.field == "bills"


def test_reshape_keeps_energy() -> None:
    from peakzero.load.bills import _reshape_to_peak

    v = np.array([1.0, 2.0, 3.0, 10.0])
    for target in (5.0, 10.0, 12.0, 16.0):
        out = _reshape_to_peak(v, target)
        assert out.sum() == pytest.approx(16.0, abs=1e-12)
        assert out.max() == pytest.approx(target, abs=1e-12)
        assert out.min() >= 0


def test_site_file_with_bills_and_a_checked_meter_file(tmp_path: Path) -> None:
    """[load] bills = "bills.csv" (relative to the site file) feeds the site planner's load;
    [load] csv with annual_kwh is checked against the file, never ignored."""
    from peakzero.site.models import site_from_dict
    from peakzero.site.planner import _load

    totals = [50_000.0] * 12
    pd.DataFrame({"month": range(1, 13), "total": totals}).to_csv(
        tmp_path / "bills.csv", index=False
    )
    raw = {
        "name": "t",
        "year": 2025,
        "location": {"station": "Nanjing"},
        "load": {"archetype": "office", "bills": "bills.csv"},
        "tariff": {"name": "jiangsu_2025_two_part"},
        "pv": {"max_kwp": 100},
    }
    site = site_from_dict(raw, base_dir=str(tmp_path))
    load, notes = _load(site)
    assert load.sum() == pytest.approx(600_000.0, abs=KWH_TOL)
    assert any("bills" in n for n in notes)

    t = pd.date_range("2025-01-01", periods=8760, freq="h")
    pd.DataFrame({"time": t.strftime("%Y-%m-%d %H:%M"), "load_kw": np.full(8760, 10.0)}).to_csv(
        tmp_path / "meter.csv", index=False
    )
    raw["load"] = {"csv": "meter.csv", "annual_kwh": 90_000.0}  # the file holds 87,600 kWh
    with pytest.raises(PeakzeroError, match=r"87,600 kWh but annual_kwh = 90,000") as info:
        _load(site_from_dict(raw, base_dir=str(tmp_path)))
    assert info.value.field == "load.annual_kwh"  # the key as the site file writes it
