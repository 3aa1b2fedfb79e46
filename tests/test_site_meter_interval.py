"""The site planner on the meter's own interval (issue 10, sections 2 and 3): a 15-minute load is
solved hourly with each hour's within-hour excess in the demand rows and billed on quarter-hours;
the station temperature reaches the tariff; the [connection] transformer and demand-increase
limits reach the LP."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from peakzero.errors import PeakzeroError
from peakzero.load import archetype_load
from peakzero.optimize import optimize_dispatch
from peakzero.site import SiteResult, load_site, optimize_site, prepare_site
from peakzero.site.models import site_from_dict
from peakzero.site.planner import site_bill
from peakzero.tariff import compute_bill, hourly_energy_price
from peakzero.weather import resolve_station, station_weather

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sites"
# Sums of 8,760 hourly or 35,040 quarter-hourly float64 products: round-off below 1e-9 relative.
REL_TOL = 1e-9
# HiGHS feasibility tolerance 1e-9 on flows of ~1e3 kW: 1e-5 kW is ample and still negligible.
KW_TOL = 1e-5
#: Within-hour shape of the synthetic meter: quarter-hour power / hourly mean (mean 1, max 1.2).
QUARTERS = np.array([0.9, 1.1, 1.2, 0.8])


def _meter_site(
    tmp_path: Path, shape: np.ndarray = QUARTERS, **extra: Any
) -> tuple[dict[str, Any], np.ndarray]:
    """A Suzhou factory with a meter file: the two-shift archetype's hourly mean times
    ``shape`` (the readings of one hour, mean 1) in each hour, on the Jiangsu two-part tariff
    (demand-charged)."""
    hourly = archetype_load("factory_two_shift", year=2025, annual_kwh=4_000_000).to_numpy()
    meter = (hourly[:, None] * shape[None, :]).ravel()
    freq = f"{60 // shape.size}min"
    stamps = pd.date_range("2025-01-01", periods=meter.size, freq=freq)
    frame = pd.DataFrame({"time": stamps.strftime("%Y-%m-%d %H:%M"), "load_kw": meter})
    frame.to_csv(tmp_path / "meter.csv", index=False)
    raw: dict[str, Any] = {
        "name": "quarter-hour factory",
        "year": 2025,
        "location": {"latitude_deg": 31.3, "longitude_deg": 120.7, "province": "Jiangsu"},
        "load": {"csv": "meter.csv"},
        "tariff": {"name": "jiangsu_2025_two_part", "export_limit_kw": 0},
        "pv": {"max_kwp": 800},
        "battery": {"max_kwh": 1500, "max_cycles_per_day": 2},
        **extra,
    }
    return raw, meter


@pytest.fixture(scope="module")
def quarter_hour(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteResult, np.ndarray]:
    folder = tmp_path_factory.mktemp("meter")
    raw, meter = _meter_site(folder)
    return optimize_site(site_from_dict(raw, base_dir=folder)), meter


def test_quarter_hour_demand_charge_equals_the_bill_of_the_quarter_hour_import(
    quarter_hour: tuple[SiteResult, np.ndarray],
) -> None:
    r, meter = quarter_hour
    assert r.data.steps_per_interval == 4 and r.data.load_kw.size == 8760
    assert r.bill.interval_minutes == 15 and r.bill_bau.interval_minutes == 15
    # Independently: PV, battery output and charging held over the hour, the meter's load
    # varies inside it; PV curtailed in the hour covers the higher quarters first.
    f, pv = r.dispatch.flows, r.dispatch.pv_kw
    assert r.dispatch.grid_export_kw.max() <= KW_TOL  # zero export: nothing leaves the site
    stamps = pd.date_range("2025-01-01", periods=meter.size, freq="15min", tz="Etc/GMT-8")
    frame = pd.DataFrame({"meter": meter}, index=stamps)
    hourly = pd.DataFrame(
        {"pv": pv - f["pv_to_batt"], "batt": f["batt_to_load"], "charge": f["grid_to_batt"]},
        index=r.data.index,
    )
    frame = frame.join(hourly.reindex(stamps, method="ffill"))
    quarter_import = (frame["meter"] - frame["pv"] - frame["batt"] + frame["charge"]).clip(0)
    peaks = quarter_import.groupby(stamps.month).max()
    rate = r.data.tariff.demand_charge_yuan_per_kw_month
    assert rate is not None and rate > 0
    results = {m["month"]: m for m in r.to_dict()["demand_by_month"]}
    for month, peak in peaks.items():
        # results are rounded to 0.001 kW and 0.01 yuan
        assert results[month]["peak_kw"] == pytest.approx(peak, abs=1e-3)
        assert results[month]["demand_charge_yuan"] == pytest.approx(peak * rate, abs=0.01)
    expected = float(peaks.sum() * rate)
    assert float(r.bill.monthly["demand_yuan"].sum()) == pytest.approx(expected, rel=REL_TOL)
    # the LP's own demand charge (its demand rows: hourly import + within-hour excess) is the
    # same where no PV is curtailed in a month's peak hour, never lower
    lp_peaks = r.dispatch.monthly_peak_kw
    np.testing.assert_array_less(peaks.to_numpy() - KW_TOL, lp_peaks)
    curtailed = pd.Series(f["pv_curtailed"] > KW_TOL, index=r.data.index)
    hour_of_peak = quarter_import.groupby(stamps.month).idxmax().dt.floor("h")
    clean = ~curtailed.reindex(hour_of_peak.to_numpy()).to_numpy()
    assert clean.any()
    np.testing.assert_allclose(peaks.to_numpy()[clean], lp_peaks[clean], rtol=1e-7)


def test_business_as_usual_demand_is_the_quarter_hour_peak(
    quarter_hour: tuple[SiteResult, np.ndarray],
) -> None:
    """Hand value: every hour's highest quarter is 1.2 x its mean, so each month's billed
    demand is 1.2 x the hourly bill's, and the energy is the same."""
    r, _ = quarter_hour
    hourly = compute_bill(r.data.tariff, r.data.index, r.data.load_kw, temp_air_c=r.data.temp_air_c)
    np.testing.assert_allclose(
        r.bill_bau.monthly["demand_yuan"], 1.2 * hourly.monthly["demand_yuan"], rtol=REL_TOL
    )
    np.testing.assert_allclose(
        r.bill_bau.monthly["energy_yuan"], hourly.monthly["energy_yuan"], rtol=REL_TOL
    )
    assert r.data.problem.demand_excess_kw is not None
    np.testing.assert_allclose(r.data.problem.demand_excess_kw, 0.2 * r.data.load_kw, atol=1e-9)
    assert any("15-minute import" in n for n in r.notes)


@pytest.mark.parametrize(
    ("shape", "minutes"),
    [
        # 5-minute readings whose quarter-hour means are 0.8, 1.1, 1.2, 0.9
        (np.array([0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.2, 1.1, 0.9, 0.9, 0.9]), 15),
        (np.array([0.8, 1.2]), 30),
    ],
)
def test_five_and_thirty_minute_meters(tmp_path: Path, shape: np.ndarray, minutes: int) -> None:
    """Hand value: the highest demand window of every hour is 1.2 x its mean (a 5-minute file
    is billed on quarter-hours, a 30-minute one on half-hours)."""
    raw, _ = _meter_site(tmp_path, shape=shape)
    data = prepare_site(site_from_dict(raw, base_dir=tmp_path))
    assert data.problem.demand_excess_kw is not None
    np.testing.assert_allclose(data.problem.demand_excess_kw, 0.2 * data.load_kw, atol=1e-9)
    bau = site_bill(data, None)
    assert bau.interval_minutes == minutes
    hourly = compute_bill(data.tariff, data.index, data.load_kw, temp_air_c=data.temp_air_c)
    np.testing.assert_allclose(
        bau.monthly["demand_yuan"], 1.2 * hourly.monthly["demand_yuan"], rtol=REL_TOL
    )


def test_station_temperature_reaches_price_and_bill() -> None:
    """Guangdong: a day at >= 35 deg C outside July-September turns the critical-peak hours on;
    the LP's prices and the bill both use the station's hourly temperature."""
    data = prepare_site(load_site(EXAMPLES / "guangzhou_mall" / "SITE.toml"))
    assert data.temp_air_c is not None
    station = resolve_station("Guangzhou", None, None).station
    weather = station_weather(station, int(data.index[0].year)).data
    # the example names its station or lies next to Guangzhou's: same series when the same
    if data.profile is not None and data.profile.station == station:
        np.testing.assert_allclose(data.temp_air_c, weather["temp_air"].to_numpy())
    with_temp = hourly_energy_price(data.tariff, data.index, temp_air_c=data.temp_air_c)
    without = hourly_energy_price(data.tariff, data.index)
    np.testing.assert_allclose(data.problem.import_price_yuan_per_kwh, with_temp, rtol=REL_TOL)
    raised = with_temp > without + 1e-12
    assert raised.any()  # the typical year has hot days outside the fixed months
    assert not np.any(with_temp < without - 1e-12)
    bill = site_bill(data, None)
    expected = compute_bill(data.tariff, data.index, data.load_kw, temp_air_c=data.temp_air_c)
    assert bill.total_yuan == pytest.approx(expected.total_yuan, rel=REL_TOL)
    plain = compute_bill(data.tariff, data.index, data.load_kw)
    hand = float(np.sum((with_temp - without) * data.load_kw))  # 1-hour intervals
    assert bill.total_yuan - plain.total_yuan == pytest.approx(hand, rel=1e-6)


def test_capacity_tariff_bills_the_connection_transformer(tmp_path: Path) -> None:
    raw, _ = _meter_site(tmp_path, connection={"transformer_kva": 2000})
    raw["tariff"]["capacity_charge_yuan_per_kva_month"] = 30.0
    data = prepare_site(site_from_dict(raw, base_dir=tmp_path))
    assert data.tariff.transformer_kva == 2000.0
    assert data.problem.fixed_charges_yuan_per_year == pytest.approx(30.0 * 2000 * 12)
    assert data.problem.grid_limit_kw == pytest.approx(2000 * 0.9)  # default power factor 0.9
    raw["tariff"]["transformer_kva"] = 1600.0  # [tariff] names the billed kVA itself
    data = prepare_site(site_from_dict(raw, base_dir=tmp_path))
    assert data.tariff.transformer_kva == 1600.0
    assert data.problem.grid_limit_kw == pytest.approx(1800.0)


def test_transformer_too_small_is_refused_with_the_figure(tmp_path: Path) -> None:
    raw, _ = _meter_site(tmp_path, connection={"transformer_kva": 400, "power_factor": 0.85})
    raw["battery"]["max_kw"] = 50.0
    site = site_from_dict(raw, base_dir=tmp_path)
    with pytest.raises(PeakzeroError, match=r"grid_limit_kw = 340 kW") as err:
        optimize_site(site)
    assert err.value.field == "grid_limit_kw"
    assert "transformer" in str(err.value)


@pytest.mark.parametrize(
    ("connection", "field"),
    [({"power_factor": 1.2}, "power_factor"), ({"max_demand_increase_kw": -1}, "max_demand")],
)
def test_connection_fields_checked(
    tmp_path: Path, connection: dict[str, float], field: str
) -> None:
    raw, _ = _meter_site(tmp_path, connection=connection)
    with pytest.raises(PeakzeroError, match=field):
        site_from_dict(raw, base_dir=tmp_path)


def test_transformer_limit_holds_on_quarter_hours(
    quarter_hour: tuple[SiteResult, np.ndarray],
) -> None:
    """A grid limit just under the design's quarter-hour import peak binds on the meter's
    interval, not only on hourly means."""
    r, _ = quarter_hour
    imp, _ = r.data.meter_flows(r.dispatch)
    limit = 0.97 * float(imp.max())
    p = dataclasses.replace(r.data.problem, grid_limit_kw=limit)
    d = optimize_dispatch(p).dispatch
    imp2, _ = r.data.meter_flows(d)
    assert imp2.max() <= limit + KW_TOL


@pytest.fixture(scope="module")
def suzhou_free_and_capped() -> tuple[SiteResult, SiteResult]:
    site = load_site(EXAMPLES / "suzhou_electronics" / "SITE.toml")
    capped = site.model_copy(
        update={"connection": site.connection.model_copy(update={"max_demand_increase_kw": 0.0})}
    )
    return optimize_site(site), optimize_site(capped)


def test_suzhou_battery_raises_august_demand_unless_forbidden(
    suzhou_free_and_capped: tuple[SiteResult, SiteResult],
) -> None:
    free, capped = suzhou_free_and_capped
    aug = {m["month"]: m for m in free.to_dict()["demand_by_month"]}[8]
    # the battery charges from the grid at night: the August peak rises by some 250 kW
    assert aug["peak_bau_kw"] == pytest.approx(1200, rel=0.02)
    assert aug["peak_kw"] > aug["peak_bau_kw"] + 200
    assert aug["demand_charge_yuan"] > aug["demand_charge_bau_yuan"]
    assert any("raises the monthly peak demand" in n for n in free.notes)
    for m in capped.to_dict()["demand_by_month"]:
        assert m["peak_kw"] <= m["peak_bau_kw"] + KW_TOL
        assert m["demand_charge_yuan"] <= m["demand_charge_bau_yuan"] + 0.01
    assert not any("raises the monthly peak demand" in n for n in capped.notes)
    # a constraint can only cost: the capped design's lifecycle cost is not lower
    assert capped.objective_yuan >= free.objective_yuan * (1 - 1e-9)
