"""Write results_example.json: a TEST FIXTURE for the report renderer, not model output.

Plausible numbers for a machinery factory in Suzhou, Jiangsu (1.2 MWp rooftop PV + 0.5 MW / 1 MWh
battery), made up by hand-chosen parameters below so that the report tests do not depend on the
engines. Internally consistent where the report shows sums: cash-flow net = sum of components,
cumulative = running sum, typical-day energy balance closes every hour, bill totals = sum of
components, inventory total = scope 1 + scope 2 (location). Run: python make_results_example.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

OUT = Path(__file__).with_name("results_example.json")

PV_KWP = 1200.0
BAT_KW, BAT_KWH = 500.0, 1000.0
CAPEX = PV_KWP * 1000 * 3.2 + BAT_KWH * 1000 * 1.2  # 3.2 yuan/W PV, 1.2 yuan/Wh battery
EF_T_PER_MWH = 0.5703
SPECIFIC_YIELD = 1103.4
ANNUAL_KWH = PV_KWP * SPECIFIC_YIELD
MONTH_SHARE = [0.056, 0.061, 0.079, 0.091, 0.101, 0.094, 0.107, 0.110, 0.087, 0.080, 0.069, 0.065]
LIFE = 25
DISCOUNT = 0.06
SAVINGS = 1_080_000.0
OM = -PV_KWP * 1000 * 0.04 - 20_000  # 0.04 yuan/W/yr + battery O&M
EXPORT_REV = 36_500.0


def periods(summer: bool) -> list[str]:
    p = ["valley"] * 8 + ["peak"] * 3 + ["flat"] * 6 + ["peak"] * 5 + ["flat"] * 2
    if summer:
        p[14] = p[20] = "critical_peak"
    return p


def day(summer: bool, date: str) -> dict[str, object]:
    hours = list(range(24))
    base = 620.0 if summer else 540.0
    load = [
        round(base * (0.45 if h < 7 or h >= 22 else 1.0 if 8 <= h < 18 else 0.8), 1) for h in hours
    ]
    peak_pv = 0.78 * PV_KWP if summer else 0.55 * PV_KWP
    sunrise, sunset = (5.5, 19.0) if summer else (7.0, 17.0)
    pv = [
        round(
            max(0.0, peak_pv * math.sin(math.pi * (h + 0.5 - sunrise) / (sunset - sunrise)))
            if sunrise <= h + 0.5 <= sunset
            else 0.0,
            1,
        )
        for h in hours
    ]
    per = periods(summer)
    charge = [0.0] * 24
    discharge = [0.0] * 24
    soc = [0.0] * 24
    e = 100.0  # kWh at the start of the day (10 % reserve)
    for h in hours:
        surplus = pv[h] - load[h]
        if per[h] == "valley" and h >= 3 and e < 550.0:
            charge[h] = min(BAT_KW, 550.0 - e)
        elif surplus > 0 and e < 950.0:
            charge[h] = min(BAT_KW, surplus, 950.0 - e)
        elif per[h] in ("peak", "critical_peak") and e > 100.0:
            discharge[h] = min(BAT_KW, max(load[h] - pv[h], 0.0), e - 100.0)
        e += 0.95 * charge[h] - discharge[h] / 0.95
        soc[h] = round(e, 1)
        charge[h], discharge[h] = round(charge[h], 1), round(discharge[h], 1)
    net = [load[h] + charge[h] - pv[h] - discharge[h] for h in hours]
    imp = [round(max(n, 0.0), 1) for n in net]
    exp = [round(max(-n, 0.0), 1) for n in net]
    return {
        "date": date,
        "hours": hours,
        "load_kw": load,
        "pv_kw": pv,
        "battery_charge_kw": charge,
        "battery_discharge_kw": discharge,
        "grid_import_kw": imp,
        "grid_export_kw": exp,
        "soc_kwh": soc,
        "period": per,
    }


def main() -> None:
    bau = {
        "energy_critical_peak_yuan": 182_400.0,
        "energy_peak_yuan": 2_236_800.0,
        "energy_flat_yuan": 1_402_600.0,
        "energy_valley_yuan": 498_300.0,
        "demand_yuan": 516_000.0,
        "export_credit_yuan": 0.0,
    }
    after = {
        "energy_critical_peak_yuan": 98_700.0,
        "energy_peak_yuan": 1_712_500.0,
        "energy_flat_yuan": 1_009_300.0,
        "energy_valley_yuan": 556_900.0,
        "demand_yuan": 453_600.0,
        "export_credit_yuan": -36_500.0,
    }
    bill_bau, bill_after = sum(bau.values()), sum(after.values())
    savings = round(bill_bau - bill_after, 2)

    flows = []
    cum = 0.0
    npv = 0.0
    for y in range(LIFE + 1):
        deg = (1 - 0.005) ** max(y - 1, 0)
        row = {
            "year": 2025 + y,
            "capex_yuan": -CAPEX if y == 0 else 0.0,
            "om_yuan": OM if y else 0.0,
            "replacement_yuan": -BAT_KWH * 1000 * 0.55 if y == 12 else 0.0,
            "savings_yuan": round((savings - EXPORT_REV) * deg, 2) if y else 0.0,
            "export_revenue_yuan": round(EXPORT_REV * deg, 2) if y else 0.0,
        }
        row["net_yuan"] = round(sum(v for k, v in row.items() if k != "year"), 2)
        cum = round(cum + row["net_yuan"], 2)
        row["cumulative_yuan"] = cum
        npv += row["net_yuan"] / (1 + DISCOUNT) ** y
        flows.append(row)

    def irr_of(nets: list[float]) -> float:
        lo, hi = -0.9, 1.0
        for _ in range(200):
            mid = (lo + hi) / 2
            v = sum(c / (1 + mid) ** t for t, c in enumerate(nets))
            lo, hi = (mid, hi) if v > 0 else (lo, mid)
        return (lo + hi) / 2

    irr = irr_of([r["net_yuan"] for r in flows])
    first_pos = next(i for i, r in enumerate(flows) if r["cumulative_yuan"] >= 0)
    prev = flows[first_pos - 1]["cumulative_yuan"]
    payback = first_pos - 1 + (-prev) / flows[first_pos]["net_yuan"]

    co2_year = ANNUAL_KWH / 1000 * EF_T_PER_MWH
    co2_life = sum(co2_year * (1 - 0.005) ** y for y in range(LIFE))

    years = list(range(2024, 2061))
    base = []
    for y in years:
        activity = 1.035 ** min(y - 2024, 12) * 1.005 ** max(y - 2036, 0)
        ef_scale = 1.0 - 0.012 * (y - 2024) if y <= 2035 else (1 - 0.012 * 11) * 0.975 ** (y - 2035)
        base.append(round(4622.0 * activity * (0.26 + 0.74 * ef_scale), 1))
    with_sol = [
        round(
            b
            - co2_year * 0.74 * (b / base[0]) * 0.0
            - co2_year * ((1 - 0.012 * (y - 2024)) if y <= 2035 else 0.868 * 0.975 ** (y - 2035)),
            1,
        )
        if y >= 2026
        else b
        for y, b in zip(years, base, strict=True)
    ]
    net_path = [
        round(max(0.0, w * (1 - (y - 2026) / 32.0)) if y >= 2026 else w, 1)
        for y, w in zip(years, with_sol, strict=True)
    ]
    peak_before = years[base.index(max(base))]
    peak_after = years[with_sol.index(max(with_sol))]
    neutral_after = next(y for y, v in zip(years, net_path, strict=True) if v <= 0.0)

    macc = [
        {"measure": "led_lighting", "cost_yuan_per_t": -412.0, "abatement_t": 118.0},
        {"measure": "efficient_motors", "cost_yuan_per_t": -236.0, "abatement_t": 205.0},
        {"measure": "rooftop_pv", "cost_yuan_per_t": -185.0, "abatement_t": round(co2_year, 1)},
        {"measure": "compressed_air", "cost_yuan_per_t": -96.0, "abatement_t": 142.0},
        {"measure": "heat_pump", "cost_yuan_per_t": 138.0, "abatement_t": 640.0},
        {"measure": "green_power", "cost_yuan_per_t": 65.0, "abatement_t": 1200.0},
        {"measure": "electric_forklifts", "cost_yuan_per_t": 310.0, "abatement_t": 48.0},
    ]
    roadmap = []
    installs = {
        "led_lighting": (2025, 1, 420_000.0),
        "rooftop_pv": (2026, 1200, CAPEX),
        "efficient_motors": (2026, 64, 1_350_000.0),
        "compressed_air": (2027, 3, 610_000.0),
        "heat_pump": (2029, 4, 5_200_000.0),
        "electric_forklifts": (2031, 18, 1_080_000.0),
        "green_power": (2035, 1, 0.0),
    }
    full = {m["measure"]: m["abatement_t"] for m in macc}
    for y in range(2025, 2061):
        for m, (y0, units, cost) in installs.items():
            if y < y0:
                continue
            ramp = min(1.0, (y - y0 + 1) / 8.0) if m == "green_power" else 1.0
            scale = 2.6 if m == "green_power" and y >= 2045 else 1.0
            roadmap.append(
                {
                    "year": y,
                    "measure": m,
                    "units": units if y == y0 else 0,
                    "cost_yuan": cost if y == y0 else 0.0,
                    "abatement_t": round(full[m] * ramp * scale, 1),
                }
            )

    results = {
        "meta": {
            "title": "苏州某机械厂 光储一体化与双碳路径 (test fixture)",
            "entity_name": "Suzhou Example Machinery Co. (苏州示例机械有限公司)",
            "generated_utc": "2026-11-23T12:00:00Z",
            "peakzero_version": "0.1.0",
            "note": "TEST FIXTURE written by hand for the report renderer; not model output.",
        },
        "assumptions": [
            {
                "group": "tariff",
                "name": "Jiangsu large industry TOU, 1-10 kV",
                "value": 0.6532,
                "unit": "yuan/kWh (flat)",
                "source": "Jiangsu DRC 2023 TOU notice [unverified]",
            },
            {
                "group": "tariff",
                "name": "Peak / valley ratio",
                "value": 1.7,
                "unit": "-",
                "source": "Jiangsu DRC 2023 TOU notice [unverified]",
            },
            {
                "group": "tariff",
                "name": "Demand charge",
                "value": 40.0,
                "unit": "yuan/kW/month",
                "source": "Jiangsu grid tariff table [unverified]",
            },
            {
                "group": "tariff",
                "name": "Export price (coal benchmark)",
                "value": 0.391,
                "unit": "yuan/kWh",
                "source": "NDRC coal-fired benchmark, Jiangsu [unverified]",
            },
            {
                "group": "pv",
                "name": "Module",
                "value": "550 Wp mono PERC",
                "unit": "",
                "source": "peakzero default module",
            },
            {
                "group": "pv",
                "name": "PV capex",
                "value": 3.2,
                "unit": "yuan/W",
                "source": "CPIA 2024 roadmap, C&I rooftop [unverified]",
            },
            {
                "group": "pv",
                "name": "PV O&M",
                "value": 0.04,
                "unit": "yuan/W/yr",
                "source": "peakzero default [unverified]",
            },
            {
                "group": "pv",
                "name": "Degradation",
                "value": 0.5,
                "unit": "%/yr",
                "source": "module datasheet",
            },
            {
                "group": "battery",
                "name": "Battery capex",
                "value": 1.2,
                "unit": "yuan/Wh",
                "source": "CNESA 2024 C&I average [unverified]",
            },
            {
                "group": "battery",
                "name": "Round-trip efficiency",
                "value": 90.25,
                "unit": "%",
                "source": "peakzero default",
            },
            {
                "group": "finance",
                "name": "Discount rate",
                "value": 6.0,
                "unit": "%",
                "source": "peakzero default",
            },
            {
                "group": "finance",
                "name": "Lifetime",
                "value": LIFE,
                "unit": "years",
                "source": "peakzero default",
            },
            {
                "group": "carbon",
                "name": "Grid emission factor",
                "value": EF_T_PER_MWH,
                "unit": "tCO2/MWh",
                "source": "MEE 2022 national average",
            },
            {
                "group": "carbon",
                "name": "Natural gas factor",
                "value": 2.162,
                "unit": "tCO2/1000 m3",
                "source": "GB/T 32150-2015 [unverified]",
            },
        ],
        "site": {
            "province": "Jiangsu",
            "station": "Nanjing 58238",
            "distance_km": 187.4,
            "latitude_deg": 31.30,
            "longitude_deg": 120.62,
        },
        "roof": {
            "modules": 2182,
            "kwp": 1200.1,
            "row_pitch_m": 2.1,
            "gcr": 0.52,
            "tilt_deg": 20.0,
            "azimuth_deg": 180.0,
            "area_m2": 8600.0,
            "layout_svg": layout_svg(),
        },
        # the design's array as drawn (here the design fills the roof's places)
        "array": {
            "modules": 2182,
            "kwp": 1200.1,
            "roof_places": 2182,
            "layout_svg": layout_svg(),
        },
        "pv": {
            "annual_ac_kwh": round(ANNUAL_KWH, 1),
            "specific_yield_kwh_per_kwp": SPECIFIC_YIELD,
            "performance_ratio": 0.812,
            "monthly_ac_kwh": [round(ANNUAL_KWH * s, 1) for s in MONTH_SHARE],
        },
        "design": {
            "pv_kwp": PV_KWP,
            "battery_kw": BAT_KW,
            "battery_kwh": BAT_KWH,
            "capex_yuan": CAPEX,
            "npv_yuan": round(npv, 2),
            "irr": round(irr, 5),
            "payback_years": round(payback, 2),
            "discounted_payback_years": round(payback * 1.28, 2),
            "lcoe_yuan_per_kwh": 0.3124,
            "annual_bill_bau_yuan": bill_bau,
            "annual_bill_yuan": bill_after,
            "annual_savings_yuan": savings,
            "self_consumption_fraction": 0.946,
            "co2_avoided_t_per_year": round(co2_year, 2),
            "co2_avoided_t_lifetime": round(co2_life, 1),
            "status": "optimal",
            "solve_seconds": 1.83,
            "bill_bau_components_yuan": bau,
            "bill_components_yuan": after,
            "emc": {
                "discount_fraction": 0.15,
                "years": 20,
                "host_savings_yuan_per_year": 162_000.0,
                "investor_npv_yuan": 3_912_400.0,
                "investor_irr": 0.1374,
                "investor_payback_years": 6.8,
            },
            "typical_days": {"summer": day(True, "2025-07-16"), "winter": day(False, "2025-01-15")},
        },
        "cash_flows": flows,
        "inventory": {
            "year": 2024,
            "total_t": 4622.0,
            "by_scope_t": {"scope1": 1200.0, "scope2_location": 3422.0, "scope2_market": 3310.5},
            "by_source_t": {
                "Purchased electricity": 3422.0,
                "Natural gas (boilers)": 1046.3,
                "Diesel (forklifts)": 153.7,
            },
        },
        "trajectory": {
            "years": years,
            "baseline_gross_t": base,
            "with_solution_gross_t": with_sol,
            "pathway_net_t": net_path,
            "peak_year_before": peak_before,
            "peak_year_after": peak_after,
            "neutral_year_before": None,
            "neutral_year_after": neutral_after,
            "peak_target_year": 2030,
            "neutral_target_year": 2060,
        },
        "pathway": {
            "peak_year": peak_after if peak_after <= 2030 else 2030,
            "neutral_year": neutral_after,
            "total_cost_yuan": 14_380_000.0,
            "macc_year": 2030,
            "macc": macc,
            "roadmap": roadmap,
            "target_costs": [
                {"target": "peak_2030", "dual_yuan_per_t": 0.0, "note": "not binding"},
                {
                    "target": "neutral_2060",
                    "dual_yuan_per_t": 286.4,
                    "note": "green power purchase sets the margin",
                },
            ],
        },
    }
    OUT.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


def layout_svg() -> str:
    """A simple roof plan: 12 rows of modules on a 120 m x 70 m roof, south at the bottom."""
    rows = []
    for i in range(12):
        y = 6 + i * 5.2
        rows.append(f'<rect x="5" y="{y:.1f}" width="110" height="2.3" fill="#1f4e99"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 75" width="480" height="300">'
        '<rect x="0" y="0" width="120" height="70" fill="#dddddd" stroke="#555"/>'
        + "".join(rows)
        + '<text x="60" y="74" font-size="4" text-anchor="middle">S</text>'
        "</svg>"
    )


if __name__ == "__main__":
    main()
