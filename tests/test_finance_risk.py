"""P50/P90 yield and the sensitivity table against hand values."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from peakzero.errors import PeakzeroError
from peakzero.finance import npv
from peakzero.finance.risk import (
    Operation,
    ProjectCase,
    exceedance_yield,
    rebilled_saving,
    scaled_tariff,
    sensitivity_table,
    yield_cases,
    z_score,
)
from peakzero.tariff import load_tariff

INDEX = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Etc/GMT-8")


def test_p90_is_p50_times_one_minus_1_2816_sigma() -> None:
    # hand: z_0.9 = 1.2816 (4 d.p.); sigma 5 %: P90 = 1000 x (1 - 0.06408) = 935.92
    assert z_score(0.9) == pytest.approx(1.2816, abs=5e-5)
    assert exceedance_yield(1000.0, 0.05, 0.9) == pytest.approx(935.92, abs=0.003)
    assert exceedance_yield(1000.0, 0.05, 0.5) == pytest.approx(1000.0, abs=1e-9)
    # ten-year average: sigma / sqrt(10) = 1.5811 %: 1000 x (1 - 1.2816 x 0.015811) = 979.74
    assert exceedance_yield(1000.0, 0.05, 0.9, years=10) == pytest.approx(979.74, abs=0.005)
    with pytest.raises(PeakzeroError, match="sigma"):
        exceedance_yield(1000.0, -0.1)


def test_capex_plus_10_percent_payback_by_hand() -> None:
    # constant 200 yuan/yr on 1,000 yuan: payback 5.0 years; +10 % capex: 1,100 / 200 = 5.5
    case = ProjectCase(capex_yuan=1000.0, savings_year1_yuan=200.0, years=10, discount_rate=0.05)
    assert case.payback_and_npv()[0] == pytest.approx(5.0)
    payback, value = case.scaled(capex=1.1).payback_and_npv()
    assert payback == pytest.approx(5.5)
    # NPV falls by exactly the extra 100 yuan at year 0
    assert value == pytest.approx(case.payback_and_npv()[1] - 100.0)
    annuity = sum(200.0 / 1.05**t for t in range(1, 11))
    assert value == pytest.approx(annuity - 1100.0)


def _operation(export_limit_kw: float | None) -> Operation:
    hour = np.asarray(INDEX.hour)
    load = 400.0 + 400.0 * ((hour >= 8) & (hour < 20))
    pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) * 1000.0
    charge = np.where(hour == 3, 200.0, 0.0)
    discharge = np.where(hour == 20, 180.0, 0.0)
    tariff = dataclasses.replace(
        load_tariff("jiangsu_2025_two_part"), export_limit_kw=export_limit_kw
    )
    return Operation(tariff, INDEX, load, pv, charge, discharge)


def test_tariff_level_scales_the_saving_exactly() -> None:
    op = _operation(0.0)
    base, _ = rebilled_saving(op)
    high, _ = rebilled_saving(op, price_factor=1.1)
    # every price (energy, demand, capacity) x 1.1: both bills and their difference x 1.1
    assert high == pytest.approx(1.1 * base, rel=1e-12)


def test_spread_is_linear_and_flat_keeps_flat_price() -> None:
    op = _operation(0.0)
    s08, s10, s12 = (rebilled_saving(op, spread_factor=s)[0] for s in (0.8, 1.0, 1.2))
    assert s08 + s12 == pytest.approx(2 * s10, rel=1e-12)
    flat = scaled_tariff(op.tariff, spread_factor=0.0)
    assert set(flat.multipliers.values()) == {1.0}


def test_zero_export_curtails_extra_yield() -> None:
    op = _operation(0.0)
    base, _ = rebilled_saving(op)
    up, credit = rebilled_saving(op, yield_factor=1.1)
    down, _ = rebilled_saving(op, yield_factor=0.9)
    assert credit == 0.0
    # midday surplus is curtailed: +10 % yield gains less than -10 % loses
    assert up - base < base - down


def test_sensitivity_table_hand_checks() -> None:
    op = _operation(0.0)
    base_saving, _ = rebilled_saving(op)
    case = ProjectCase(
        capex_yuan=5.0 * base_saving, savings_year1_yuan=base_saving, years=20, discount_rate=0.06
    )
    table = sensitivity_table(case, op, sigma=0.04).set_index("driver")
    assert table.attrs["base_payback_years"] == pytest.approx(5.0)
    # capex +10 %: 5.5 years; -10 %: 4.5 years
    assert table.loc["capex", "payback_low_years"] == pytest.approx(5.5)
    assert table.loc["capex", "payback_high_years"] == pytest.approx(4.5)
    # tariff x 0.9: saving x 0.9, payback 5 / 0.9 = 5.556 years
    assert table.loc["tariff_level", "payback_low_years"] == pytest.approx(5.0 / 0.9)
    flows = np.r_[-case.capex_yuan, np.full(20, 1.1 * base_saving)]
    assert table.loc["tariff_level", "npv_high_yuan"] == pytest.approx(npv(0.06, flows))
    # zero export: the 2025 market price of exports changes nothing
    assert table.loc["export_market_price", "npv_swing_yuan"] == 0.0
    # yield P90 factor 1 - 1.2816 x 0.04
    assert table.loc["pv_yield", "low_setting"] == pytest.approx(1 - 1.2816 * 0.04, abs=1e-5)
    p = yield_cases(case, op, sigma=0.04)
    assert p.loc["P90", "payback_years"] == pytest.approx(
        table.loc["pv_yield", "payback_low_years"]
    )
    assert p.loc["P50", "payback_years"] == pytest.approx(5.0)


def test_export_price_matters_when_exporting() -> None:
    op = _operation(None)
    _, credit_today = rebilled_saving(op)
    _, credit_market = rebilled_saving(op, export_price_yuan_per_kwh=0.225)
    price = op.tariff.export_price_yuan_per_kwh
    assert credit_today > 0
    assert credit_market == pytest.approx(credit_today * 0.225 / price, rel=1e-12)
