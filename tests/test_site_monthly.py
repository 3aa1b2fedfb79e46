"""Monthly energy balance and bills: months sum to the year; the demand change explained."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peakzero.site.monthly import (
    BALANCE_COLUMNS,
    demand_change,
    monthly_bill_comparison,
    monthly_energy_balance,
    with_total,
)
from peakzero.tariff import compute_bill, load_tariff

#: Monthly sums against whole-year sums of the same 8,760 values: only summation order differs.
SUM_RTOL = 1e-12

INDEX = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Etc/GMT-8")


def _site() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """A day-shift load, a bell-shaped PV and a battery that charges from the grid at 02:00."""
    hour = np.asarray(INDEX.hour)
    rng = np.random.default_rng(1)
    load = 500.0 + 300.0 * ((hour >= 8) & (hour < 20)) + rng.uniform(0, 50, hour.size)
    pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) * 900.0
    pv_to_load = np.minimum(pv, load)
    surplus = pv - pv_to_load
    pv_to_batt = np.minimum(surplus, 100.0)
    grid_to_batt = np.where(hour == 2, 400.0, 0.0)
    batt_to_load = np.where(hour == 19, np.minimum(300.0, load - pv_to_load), 0.0)
    flows = {
        "pv_to_load": pv_to_load,
        "pv_to_batt": pv_to_batt,
        "pv_to_grid": np.zeros_like(pv),
        "pv_curtailed": surplus - pv_to_batt,
        "grid_to_load": load - pv_to_load - batt_to_load,
        "grid_to_batt": grid_to_batt,
        "batt_to_load": batt_to_load,
        "batt_to_grid": np.zeros_like(pv),
    }
    return load, pv, flows


def test_months_sum_to_the_year() -> None:
    load, pv, flows = _site()
    balance = monthly_energy_balance(INDEX, load, pv, flows)
    assert list(balance.columns) == list(BALANCE_COLUMNS) and len(balance) == 12
    assert balance["load_kwh"].sum() == pytest.approx(load.sum(), rel=SUM_RTOL)
    assert balance["pv_kwh"].sum() == pytest.approx(pv.sum(), rel=SUM_RTOL)
    assert balance["pv_curtailed_kwh"].sum() == pytest.approx(
        flows["pv_curtailed"].sum(), rel=SUM_RTOL
    )
    # every month: PV = self-consumed + exported + curtailed
    np.testing.assert_allclose(
        balance["pv_kwh"],
        balance["pv_self_consumed_kwh"] + balance["pv_exported_kwh"] + balance["pv_curtailed_kwh"],
        rtol=1e-12,
    )
    total = with_total(balance)
    assert total.loc["total", "grid_import_kwh"] == balance["grid_import_kwh"].sum()
    # January has 744 hours of 500-550 kW night load at least
    assert balance.loc[1, "load_kwh"] > 744 * 500


def test_bill_comparison_sums_to_the_annual_bills() -> None:
    load, _, flows = _site()
    tariff = load_tariff("jiangsu_2025_two_part")
    before = compute_bill(tariff, INDEX, load)
    after = compute_bill(tariff, INDEX, flows["grid_to_load"] + flows["grid_to_batt"])
    table = monthly_bill_comparison(before, after)
    assert table["total_before_yuan"].sum() == pytest.approx(before.total_yuan, rel=SUM_RTOL)
    assert table["total_after_yuan"].sum() == pytest.approx(after.total_yuan, rel=SUM_RTOL)
    assert table["total_saving_yuan"].sum() == pytest.approx(
        before.total_yuan - after.total_yuan, rel=SUM_RTOL
    )
    # components add up to the total saving in every month
    parts = (
        table[[c for c in table if c.startswith("energy_") and c.endswith("_saving_yuan")]]
        .drop(columns="energy_saving_yuan")
        .sum(axis=1)
        + table["demand_saving_yuan"]
        + table["capacity_saving_yuan"]
        + table["export_credit_saving_yuan"]
    )
    np.testing.assert_allclose(parts, table["total_saving_yuan"], rtol=1e-9)


def test_demand_change_is_explained_by_grid_charging() -> None:
    load, _, flows = _site()
    after = flows["grid_to_load"] + flows["grid_to_batt"]
    rate = 40.0
    table = demand_change(INDEX, load, load, after, flows["grid_to_batt"], rate)
    jan = table.loc[1]
    # before: the day-shift maximum (800-850 kW); after: 02:00 charging on a night load of
    # 500-550 kW + 400 kW, above any daytime import (PV covers the day)
    assert jan["peak_after_time"].endswith("02:00")
    assert jan["grid_to_battery_at_peak_kw"] == 400.0
    assert jan["peak_after_kw"] == pytest.approx(jan["load_at_peak_kw"] + 400.0)
    assert jan["change_yuan"] == pytest.approx(jan["change_kw"] * rate)
    mask = np.asarray(INDEX.month == 1)
    assert jan["peak_before_kw"] == pytest.approx(load[mask].max())
