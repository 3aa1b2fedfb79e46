"""Build the bundled tariffs of every grid area from the reference on Chinese TOU tariffs.

Reads ``../shared/data/reference/china-tou-provinces.md`` (path as first argument), takes the
hour table of the regime in force in 2024-2025 from each grid area's section (the first
``**Periods`` table; Shanghai's second table is its single-part scheme) and combines it with the
figures transcribed below from the same section (multipliers, critical-peak and deep-valley
rules, holiday rules, the notice, the confidence). Writes ``peakzero/data/tariffs/*.toml``.

Every figure the reference does not give, or marks [unverified] (flat prices, demand charges,
export prices, some multipliers), is written as an editable default and listed in the file's
``defaults`` array, so that the report can say which figures are defaults.

Run: ``.venv/bin/python scripts/build_tariffs.py ../shared/data/reference/china-tou-provinces.md``
The six tariffs that predate this script (guangdong_2021_two_part, jiangsu_2025_*,
shandong_2025_two_part, shanghai_2025_two_part, zhejiang_2024_two_part) keep their names; their
content is rebuilt here (see each entry's ``changed`` note).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "peakzero" / "data" / "tariffs"
REF = "china-tou-provinces.md"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COLUMNS = ("critical_peak", "peak", "flat", "valley", "deep_valley")

DEFAULT_FLAT = 0.65
"""Flat price default [yuan/kWh]: china-facts.md gives 0.55-0.75 for 1-10 kV industry."""
DEFAULT_DEMAND = 36.1
"""Demand charge default [yuan/kW-month]: 30-48 in china-facts.md, 36.1 seen in public code."""
FLAT_NOTE = (
    "The flat price, the demand charge and the export price are [unverified] editable defaults "
    "(china-facts.md: the flat price follows the monthly agency-purchase price, roughly 0.55-0.75 "
    "yuan/kWh for 1-10 kV industry; demand 30-48 yuan/kW-month, 36.1 seen in public code, or a "
    "capacity charge of 20-32 yuan/kVA-month; export at the provincial coal benchmark, which "
    "Fa Gai Jia Ge [2025] 136 replaces by market prices for projects from June 2025). Set them "
    "from the current bill; flat_price_by_month_yuan_per_kwh takes the 12 monthly prices."
)


@dataclass
class Area:
    """What the reference says about one grid area (section number, figures, rules)."""

    area: str
    section: str
    province: str
    year: int
    confidence: str
    notice: str
    mult: dict[str, float]
    coal: float
    defaults: list[str] = field(default_factory=list)
    season_mult: dict[int, dict[str, float]] = field(default_factory=dict)
    split: list[list[int]] = field(default_factory=list)
    holiday_rules: list[dict[str, Any]] = field(default_factory=list)
    date_rules: list[dict[str, Any]] = field(default_factory=list)
    trigger: dict[str, Any] | None = None
    spread_exception: str = ""
    market_formed: bool = False
    flat: float = DEFAULT_FLAT
    flat_note: str = ""
    notes: str = ""
    table: int = 0
    single_part: dict[str, Any] | None = None
    changed: str = ""


def _crit(peak: float, factor: float = 1.2) -> float:
    return round(peak * factor, 4)


AREAS: list[Area] = [
    Area(
        "beijing",
        "2.1",
        "Beijing",
        2023,
        "High",
        "Jing Fa Gai Gui [2023] 11 (京发改规〔2023〕11号), in force 2023-09-01",
        {"peak": 1.6, "valley": 0.4, "critical_peak": 1.92},
        0.3598,
        flat=0.681335,
        flat_note="Flat price: July 2024, 1-10 kV two-part agency-purchase C&I (95598 PDF, "
        "transcribed in the reference); it changes monthly.",
        single_part={
            "mult": {"peak": 1.8, "valley": 0.3, "critical_peak": 2.16},
            "voltage_class": "single-part, >= 1 kV",
            "note": "Single-part >= 1 kV ratios 1.8:1:0.3 (< 1 kV: 1.71:1:0.36; set "
            "multipliers to suit); critical = peak x 1.2.",
        },
    ),
    Area(
        "tianjin",
        "2.2",
        "Tianjin",
        2021,
        "Medium",
        "Jin Fa Gai Jia Zong [2021] 395 (津发改价综〔2021〕395号), as applied by the grid in 2025",
        {"peak": 1.5, "valley": 0.46},
        0.3655,
        notes="A summer critical peak exists but its months, hours and uplift were not found: "
        "not modelled.",
    ),
    Area(
        "hebei_south",
        "2.3",
        "Hebei",
        2025,
        "High",
        "Ji Fa Gai Neng Jia [2025] 1115 (冀发改能价〔2025〕1115号), from 2025-11-01",
        {"peak": 1.7, "valley": 0.3, "critical_peak": 2.04, "deep_valley": 0.24},
        0.3644,
        notes="Hebei Southern Grid (河北南网). The earlier 1364号 regime (to 2025-10-31) is only "
        "partly known.",
    ),
    Area(
        "jibei",
        "2.4",
        "Hebei",
        2023,
        "Medium",
        "Ji Fa Gai Neng Jia [2023] 1711 (冀发改能价〔2023〕1711号), 2024-2025",
        {"peak": 1.7, "valley": 0.3, "critical_peak": 2.04},
        0.3722,
        defaults=["multipliers.peak", "multipliers.valley", "multipliers.critical_peak"],
        notes="Jibei Grid (冀北). The 1711号 multipliers were not found: peak 1.7, valley 0.3 and "
        "critical = peak x 1.2 are those of the Nov-2025 successor notice, used as [unverified] "
        "defaults.",
    ),
    Area(
        "shanxi",
        "2.5",
        "Shanxi",
        2021,
        "Medium-High",
        "Jin Fa Gai Shang Pin Fa [2021] 479 (晋发改商品发〔2021〕479号), 2022 to 2026-04",
        {"peak": 1.6, "valley": 0.45, "critical_peak": 1.92},
        0.332,
        single_part={
            "voltage_class": "single-part (general C&I)",
            "note": "Critical peak applies to large industry only: the critical hours "
            "are peak hours here.",
        },
    ),
    Area(
        "mengxi",
        "2.6",
        "Nei Mongol",
        2023,
        "Medium",
        "Nei Fa Gai Jia Fei Zi [2023] 1630 (内发改价费字〔2023〕1630号)",
        {"peak": 1.68, "valley": 0.48, "critical_peak": 1.848, "deep_valley": 0.352},
        0.2829,
        season_mult={6: {"peak": 1.54, "valley": 0.44}},
        notes="Inner Mongolia West (蒙西) grid. The flat price is the average traded price in "
        "flat hours.",
    ),
    Area(
        "mengdong",
        "2.7",
        "Nei Mongol",
        2023,
        "Medium",
        "Nei Fa Gai Jia Fei Zi [2023] 1631 (内发改价费字〔2023〕1631号)",
        {"peak": 1.68, "valley": 0.48, "critical_peak": 2.016, "deep_valley": 0.384},
        0.3035,
        notes="Inner Mongolia East (蒙东) grid.",
    ),
    Area(
        "liaoning",
        "2.8",
        "Liaoning",
        2023,
        "Medium",
        "Liao Fa Gai Jia Ge [2023] 441 (辽发改价格〔2023〕441号)",
        {"peak": 1.5, "valley": 0.5, "critical_peak": 1.875},
        0.3749,
        defaults=["multipliers.peak", "multipliers.valley", "multipliers.critical_peak"],
        notes="Multipliers 1.875:1.5:1:0.5 are from the 2023-07-19 consultation draft; the final "
        "ratio is [unverified]. Half-hour boundaries (07:30, 10:30, 11:30, 12:30).",
    ),
    Area(
        "jilin",
        "2.9",
        "Jilin",
        2025,
        "Medium-High",
        "Ji Fa Gai Jia Ge [2025] 11 (吉发改价格〔2025〕11号), from 2025-02-01",
        {"peak": 1.55, "valley": 0.45},
        0.3731,
        notes="Critical peak by flexible activation only: not modelled.",
    ),
    Area(
        "heilongjiang",
        "2.10",
        "Heilongjiang",
        2024,
        "Medium-High",
        "Hei Fa Gai Jia Ge Han [2024] 291 (黑发改价格函〔2024〕291号), from 2025-01-01",
        {"peak": 1.5, "valley": 0.5},
        0.374,
        notes="Critical peak suspended in 2025. Half-hour boundaries.",
    ),
    Area(
        "shanghai",
        "2.11",
        "Shanghai",
        2025,
        "High",
        "Hu Fa Gai Jia Guan [2022] 50 (沪发改价管〔2022〕50号) and [2024] 28 (大工业深谷)",
        {"peak": 1.8, "valley": 0.4, "critical_peak": 2.25, "deep_valley": 0.2},
        0.4155,
        flat=0.70,
        season_mult={2: {"peak": 1.6, "valley": 0.5}},
        holiday_rules=[
            {"holidays": ["all"], "period": "deep_valley", "hours": [[0, 6], [22, 24]]},
            {
                "holidays": ["weekend"],
                "period": "deep_valley",
                "hours": [[0, 6], [22, 24]],
                "months": [2, 3, 4, 5, 6, 9, 10, 11],
            },
        ],
        notes="Two-part users: peak x1.8, valley x0.4, critical = peak x1.25 in Jul-Sep, Jan and "
        "Dec; peak x1.6, valley x0.5 in the other months. Deep valley (large industry, 28号): "
        "flat x0.2 at 0-6 and 22-24 on statutory holidays and on Feb-Jun and Sep-Nov weekends.",
        changed="Hours, holiday deep valley and the spring/autumn valley corrected to 50号/28号 "
        "as the reference gives them: the earlier file had placeholder hours (peak 8-15, "
        "critical 9-11 in winter, holiday deep valley 10-14, valley 0.4 all year).",
        single_part={
            "table": 1,
            "voltage_class": "single-part (general C&I)",
            "mult": {"peak": 1.2, "valley": 0.55},
            "season_mult": {2: {"peak": 1.17}},
            "spread_exception": "Shanghai's single-part scheme (沪发改价管〔2022〕50号) "
            "sets peak x1.2 (x1.17) and valley x0.55: peak/valley 2.2, below 3:1.",
            "note": "Single-part TOU users: peak 6-22 x1.2 (x1.17 outside Jul-Sep, "
            "Jan, Dec), valley 22-6 x0.55; no critical peak, no deep valley.",
            "split": [[7, 8, 9, 1, 12]],
        },
    ),
    Area(
        "jiangsu",
        "2.12",
        "Jiangsu",
        2025,
        "High",
        "Su Fa Gai Jia Ge Fa [2025] 426 (苏发改价格发〔2025〕426号), from 2025-06-01",
        {"peak": 1.8, "valley": 0.35},
        0.391,
        notes="Two-part users: peak +80%, valley -65%. Not modelled: the critical peak and the "
        "holiday deep valley for industrial users >= 315 kVA, which rest on one code comment in "
        "the reference (confirm against the notice before adding them).",
        single_part={
            "mult": {"peak": 1.7, "valley": 0.35},
            "voltage_class": "single-part, >= 100 kVA",
            "note": "Single-part >= 100 kVA: peak +70% (< 100 kVA +60%: set "
            "multipliers.peak = 1.6), valley -65%.",
        },
    ),
    Area(
        "zhejiang",
        "2.13",
        "Zhejiang",
        2024,
        "Medium",
        "Zhe Fa Gai Jia Ge [2024] 21 (浙发改价格〔2024〕21号), from 2024-03-01",
        {"peak": 1.8, "valley": 0.4, "critical_peak": 2.2, "deep_valley": 0.2},
        0.4153,
        flat=0.66,
        defaults=["multipliers"],
        holiday_rules=[
            {
                "holidays": ["spring_festival", "labour_day", "national_day"],
                "period": "deep_valley",
                "hours": [[10, 14]],
            }
        ],
        notes="The multipliers (Table 2 of 21号) were not found: critical 2.2, peak 1.8, valley "
        "0.4, deep valley 0.2 are [unverified] defaults (the 2026 successor sets "
        "2.05:1.85:1:0.4:0.2).",
    ),
    Area(
        "anhui",
        "2.14",
        "Anhui",
        2025,
        "High",
        "Wan Fa Gai Jia Ge [2025] 302 (皖发改价格〔2025〕302号), from 2025-07-01",
        {
            "peak": 1.74,
            "valley": 0.382,
            "critical_peak": _crit(1.843),
            "deep_valley": round(0.382 * 0.8, 4),
        },
        0.3844,
        season_mult={7: {"peak": 1.843}, 1: {"peak": 1.843}},
        date_rules=[
            {"start": "07-15", "end": "08-31", "period": "critical_peak", "hours": [[20, 22]]},
            {"start": "12-15", "end": "01-31", "period": "critical_peak", "hours": [[19, 21]]},
        ],
        holiday_rules=[
            {"holidays": ["all"], "period": "deep_valley", "hours": [[11, 15]], "min_block_days": 3}
        ],
        notes="Two-part industrial users >= 315 kVA: critical = peak x1.2 on 15 Jul-31 Aug "
        "20-22 and 15 Dec-31 Jan 19-21; deep valley = valley x0.8 at 11-15 on holidays of at "
        "least 3 days. Peak x1.843 in Jan, Jul-Sep, Dec, x1.74 otherwise; valley x0.382.",
        single_part={
            "voltage_class": "single-part (general C&I)",
            "note": "No critical peak and no deep valley (they apply to two-part "
            "industrial users >= 315 kVA only).",
            "drop_rules": True,
        },
    ),
    Area(
        "fujian",
        "2.15",
        "Fujian",
        2023,
        "Medium-High",
        "Min Fa Gai Gui [2023] 8 (闽发改规〔2023〕8号)",
        {"peak": 1.58, "valley": 0.37, "critical_peak": 1.8},
        0.3932,
        spread_exception="Critical +80% on the flat price (the reference: base presumably flat) "
        "is 1.14 x peak, below the 1.2 x peak of 1093号.",
    ),
    Area(
        "jiangxi",
        "2.16",
        "Jiangxi",
        2025,
        "Medium-High",
        "Gan Fa Gai Jia Guan [2025] 463 (赣发改价管〔2025〕463号)",
        {"peak": 1.6, "valley": 0.4, "critical_peak": 1.8, "deep_valley": 0.3},
        0.4143,
        holiday_rules=[
            {
                "holidays": ["spring_festival", "labour_day", "national_day"],
                "period": "deep_valley",
                "hours": [[12, 14]],
            }
        ],
        spread_exception="463号 sets critical = flat x1.8, 1.125 x peak, below 1.2 x peak.",
        notes="Half-hour boundaries (11:30, 14:30, 20:30, 22:30).",
    ),
    Area(
        "shandong",
        "2.17",
        "Shandong",
        2025,
        "High",
        "Lu Fa Gai Jia Ge [2023] 914 (鲁发改价格〔2023〕914号), 2025 hours",
        {"peak": 1.7, "valley": 0.3, "critical_peak": 2.0, "deep_valley": 0.1},
        0.3949,
        flat=0.62,
        spread_exception="914号 sets critical = flat x2.0, 1.18 x peak, below 1.2 x peak.",
        changed="Hours rebuilt from the 2025 grid-note table (five seasons); the earlier file had "
        "placeholder evening peaks and summer/winter midday valleys.",
    ),
    Area(
        "henan",
        "2.18",
        "Henan",
        2024,
        "Medium",
        "Yu Fa Gai Jia Guan [2024] 283 (豫发改价管〔2024〕283号), from 2024-06-01",
        {"peak": 1.69, "valley": 0.46, "critical_peak": _crit(1.69)},
        0.3779,
        defaults=["multipliers.valley"],
        notes="Valley 0.46 is from the Jan-2024 draft (the final text is truncated) "
        "[unverified]. Hours per the 2024-05-31 notice page; the grid note has valley 0-7 and "
        "Jan/Dec critical 17-19 (conflict).",
    ),
    Area(
        "hubei",
        "2.19",
        "Hubei",
        2024,
        "Medium-High",
        "E Fa Gai Jia Guan [2024] 77 (鄂发改价管〔2024〕77号), from 2024-05-01",
        {"peak": 1.49, "valley": 0.48, "critical_peak": 1.8},
        0.4161,
        split=[[1, 12]],
        season_mult={
            7: {"critical_peak": 2.0, "valley": 0.45},
            1: {"critical_peak": 2.0, "valley": 0.45},
        },
        defaults=["multipliers", "seasons"],
        notes="Ratios from the Jan-2024 consultation and [RN] (final notice [unverified]): "
        "1.8:1.49:1:0.48, and critical 2.0, valley 0.45 in Jul, Aug, Dec, Jan.",
    ),
    Area(
        "hunan",
        "2.20",
        "Hunan",
        2025,
        "Medium-High",
        "Xiang Fa Gai Jia Tiao [2025] 385 (湘发改价调〔2025〕385号)",
        {"peak": 1.6, "valley": 0.4, "critical_peak": 1.92},
        0.45,
    ),
    Area(
        "guangdong",
        "2.21",
        "Guangdong",
        2021,
        "High",
        "Yue Fa Gai Jia Ge [2021] 331 (粤发改价格〔2021〕331号); Shenzhen 深发改〔2021〕1005号",
        {"peak": 1.7, "valley": 0.38, "critical_peak": 2.125},
        0.453,
        flat=0.68,
        trigger={
            "temp_air_min_c": 35.0,
            "consecutive_days": 1,
            "months": [1, 2, 3, 4, 5, 6, 10, 11, 12],
            "hours": [[11, 12], [15, 17]],
            "source": "331号: critical peak on any day whose Guangzhou forecast maximum "
            "(CCTV-1 19:00) is >= 35 deg C; the bill uses the site's temperature.",
        },
        changed="Adds the temperature-triggered critical peak (hot days outside Jul-Sep), which "
        "the earlier file left out.",
    ),
    Area(
        "guangxi",
        "2.22",
        "Guangxi Zhuang",
        2023,
        "Low-Medium",
        "Gui Fa Gai Jia Ge [2023] 609 (桂发改价格〔2023〕609号)",
        {"peak": 1.5, "valley": 0.5},
        0.4207,
        defaults=["multipliers"],
        notes="609号 multipliers not found: 1.5:1:0.5 of the earlier 1029号 are [unverified] "
        "defaults; its critical peak is not modelled.",
    ),
    Area(
        "hainan",
        "2.23",
        "Hainan",
        2021,
        "Medium-High",
        "Qiong Fa Gai Gui [2021] 18 (琼发改规〔2021〕18号)",
        {"peak": 1.7, "valley": 0.4, "critical_peak": 2.04},
        0.4298,
    ),
    Area(
        "chongqing",
        "2.24",
        "Chongqing",
        2021,
        "High",
        "Yu Fa Gai Gui Fan [2021] 14 (渝发改规范〔2021〕14号)",
        {"peak": 1.6, "valley": 0.38, "critical_peak": 1.92},
        0.3964,
        flat=0.762307,
        flat_note="Flat price: February 2025, 1-10 kV two-part agency C&I (95598 PDF, "
        "transcribed in the reference); it changes monthly.",
    ),
    Area(
        "sichuan",
        "2.25",
        "Sichuan",
        2025,
        "High",
        "Chuan Fa Gai Jia Ge [2025] 185 (川发改价格〔2025〕185号)",
        {"peak": 1.6, "valley": 0.4, "critical_peak": 1.92},
        0.4012,
        trigger={
            "temp_air_min_c": 35.0,
            "consecutive_days": 3,
            "months": [1, 2, 3, 4, 5, 6, 9, 10, 11, 12],
            "hours": [[13, 14], [21, 23]],
            "source": "185号: critical peak in Jul-Aug and, in other months, after three "
            "consecutive days with maximum >= 35 deg C (read here as: on the third such day "
            "and each following hot day).",
        },
        notes="Critical peak for large-industry (two-part) users only, except in Panzhihua, "
        "Liangshan, Ganzi and Aba.",
        single_part={
            "voltage_class": "single-part (general C&I)",
            "note": "No critical peak (large industry only): the critical hours are "
            "peak hours here.",
        },
    ),
    Area(
        "guizhou",
        "2.26",
        "Guizhou",
        2023,
        "High",
        "Qian Fa Gai Jia Ge [2023] 481 (黔发改价格〔2023〕481号)",
        {"peak": 1.6, "valley": 0.4},
        0.3515,
    ),
    Area(
        "yunnan",
        "2.27",
        "Yunnan",
        2024,
        "Medium-High",
        "Yun Fa Gai Jia Ge [2024] 924 (云发改价格〔2024〕924号)",
        {"peak": 1.5, "valley": 0.5},
        0.3358,
    ),
    Area(
        "tibet",
        "2.28",
        "Tibet",
        2023,
        "Low-Medium",
        "Zang Zheng Ban Fa [2023] 28 (藏政办发〔2023〕28号)",
        {"peak": 1.6, "valley": 0.4, "critical_peak": 1.92, "deep_valley": 0.32},
        0.25,
        defaults=["multipliers", "export_price_yuan_per_kwh"],
        notes="Hours only: every multiplier is an [unverified] default (peak 1.6, valley 0.4, "
        "critical = peak x1.2, deep = valley x0.8). No coal benchmark found (0.25 in one list).",
    ),
    Area(
        "shaanxi",
        "2.29",
        "Shaanxi",
        2025,
        "Medium-High",
        "Shan Fa Gai Jia Ge [2025] 1034 (陕发改价格〔2025〕1034号), from 2025-08-01",
        {"peak": 1.7, "valley": 0.3, "critical_peak": 1.9},
        0.3545,
        spread_exception="1034号 sets critical = flat x1.9, 1.12 x peak, below 1.2 x peak.",
    ),
    Area(
        "gansu",
        "2.30",
        "Gansu",
        2024,
        "Medium",
        "Gan Fa Gai Jia Ge [2024] 424 (甘发改价格〔2024〕424号), from 2024-08-01",
        {"peak": 1.5, "valley": 0.5},
        0.3078,
        market_formed=True,
        defaults=["multipliers"],
        notes="Market-formed spread: no administrative multipliers. Peak 1.5, valley 0.5 "
        "(the 3:1 minimum 424号 requires of contracts) are [unverified] defaults; bill with your "
        "market price series (peakzero tariff bill --prices).",
    ),
    Area(
        "qinghai",
        "2.31",
        "Qinghai",
        2024,
        "Medium-High",
        "Qing Fa Gai Jia Ge [2024] 179 (青发改价格〔2024〕179号)",
        {"peak": 1.63, "valley": 0.35},
        0.3247,
    ),
    Area(
        "ningxia",
        "2.32",
        "Ningxia Hui",
        2024,
        "Medium",
        "Ning Fa Gai Yun Xing [2024] 952 (宁发改运行〔2024〕952号) periods; Ning Fa Gai Jia Ge "
        "(Guan Li) [2023] 7",
        {"peak": 1.5, "valley": 0.5},
        0.2595,
        market_formed=True,
        defaults=["multipliers"],
        notes="Market-formed spread (C&I users follow the medium/long-term trading rules). Peak "
        "1.5, valley 0.5 are [unverified] defaults; bill with your market price series.",
    ),
    Area(
        "xinjiang",
        "2.33",
        "Xinjiang Uygur",
        2023,
        "Medium-High",
        "Xin Fa Gai Gui [2023] 11 (新发改规〔2023〕11号)",
        {"peak": 1.75, "valley": 0.25, "critical_peak": 2.0, "deep_valley": 0.1},
        0.25,
        spread_exception="11号 sets critical = flat x2.0, 1.14 x peak, below 1.2 x peak.",
        defaults=["export_price_yuan_per_kwh"],
    ),
]


# --------------------------------------------------------------------------- the reference


def _months(label: str) -> list[int]:
    """Months named in a season label ('Feb-Jun, Sep-Nov'); [] for 'All year'/'Other months'."""
    label = label.split(", and")[0].replace("–", "-")
    found: list[int] = []
    pattern = r"\b(" + "|".join(MONTHS) + r")\b(?:\s*-\s*\b(" + "|".join(MONTHS) + r")\b)?"
    for first, last in re.findall(pattern, label):
        a = MONTHS.index(first) + 1
        b = MONTHS.index(last) + 1 if last else a
        span = list(range(a, b + 1)) if a <= b else [*range(a, 13), *range(1, b + 1)]
        found += span
    return found


def _spans(cell: str) -> list[list[float]]:
    return [[float(a), float(b)] for a, b in re.findall(r"\[([\d.]+),([\d.]+)\)", cell)]


def read_tables(reference: Path) -> dict[str, list[list[tuple[str, list[int], dict]]]]:
    """Section number -> its period tables -> rows (label, months, period -> spans)."""
    sections: dict[str, list[list[tuple[str, list[int], dict]]]] = {}
    current = ""
    table: list[tuple[str, list[int], dict]] | None = None
    for line in reference.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"### (2\.\d+) ", line):
            current = m.group(1)
            sections[current] = []
            table = None
        elif line.startswith("**Periods") and current:
            table = []
            sections[current].append(table)
        elif table is not None and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0].startswith("Season"):
                continue
            periods = {p: _spans(c) for p, c in zip(COLUMNS, cells[1:], strict=True) if _spans(c)}
            table.append((cells[0], _months(cells[0]), periods))
        elif table is not None and table and not line.startswith("|"):
            table = None
    return sections


# --------------------------------------------------------------------------- building


def _seasons(rows: list[tuple[str, list[int], dict]], split: list[list[int]]) -> list[dict]:
    named = {m for _, months, _ in rows for m in months}
    seasons = []
    for label, months, periods in rows:
        months = months or [m for m in range(1, 13) if m not in named]
        name = re.sub(r"[^a-z0-9]+", "_", label.split(" (")[0].split(", and")[0].lower()).strip("_")
        seasons.append({"name": name, "months": sorted(months), "periods": periods})
    for part in split:
        for s in list(seasons):
            moved = [m for m in s["months"] if m in part]
            if moved and moved != s["months"]:
                s["months"] = [m for m in s["months"] if m not in part]
                s["name"] = "other_months" if s["name"] == "all_year" else s["name"]
                name = "_".join(MONTHS[m - 1].lower() for m in moved)
                seasons.append({"name": name, "months": moved, "periods": dict(s["periods"])})
    for s in seasons:
        hours = sum(b - a for spans in s["periods"].values() for a, b in spans)
        assert hours == 24, (s, hours)
    assert sorted(m for s in seasons for m in s["months"]) == list(range(1, 13)), seasons
    return seasons


def _no_critical(seasons: list[dict]) -> list[dict]:
    out = []
    for s in seasons:
        periods = {k: list(v) for k, v in s["periods"].items()}
        crit = periods.pop("critical_peak", [])
        if crit:
            periods["peak"] = sorted(periods.get("peak", []) + crit)
        out.append({**s, "periods": periods})
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_fmt(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def render(spec: dict[str, Any], header: list[str]) -> str:
    lines = [f"# {h}" for h in header]
    for key, value in spec.items():
        if key not in {
            "multipliers",
            "seasons",
            "holiday_rules",
            "date_rules",
            "critical_peak_trigger",
        }:
            lines.append(f"{key} = {_fmt(value)}")
    lines += ["", "[multipliers]"]
    lines += [f"{k} = {_fmt(v)}" for k, v in spec["multipliers"].items()]
    for s in spec["seasons"]:
        lines += ["", "[[seasons]]", f"name = {_fmt(s['name'])}", f"months = {_fmt(s['months'])}"]
        if s.get("multipliers"):
            lines.append(f"multipliers = {_fmt(s['multipliers'])}")
        lines.append("[seasons.periods]")
        for period in COLUMNS:
            if period in s["periods"]:
                lines.append(f"{period} = {_fmt(s['periods'][period])}")
    for key in ("date_rules", "holiday_rules"):
        for rule in spec.get(key, []):
            lines += ["", f"[[{key}]]"] + [f"{k} = {_fmt(v)}" for k, v in rule.items()]
    if spec.get("critical_peak_trigger"):
        lines += ["", "[critical_peak_trigger]"]
        lines += [f"{k} = {_fmt(v)}" for k, v in spec["critical_peak_trigger"].items()]
    return "\n".join(lines) + "\n"


def build(area: Area, tables: list[list[tuple[str, list[int], dict]]], single: bool) -> str:
    sp = area.single_part if single else None
    rows = tables[sp.get("table", area.table) if sp else area.table]
    split = sp.get("split", area.split) if sp else area.split
    seasons = _seasons(rows, split)
    mult = dict(sp.get("mult", area.mult)) if sp else dict(area.mult)
    season_mult = sp.get("season_mult", area.season_mult) if sp else area.season_mult
    drop_rules = bool(
        sp and (sp.get("drop_rules") or "critical_peak" not in mult or sp.get("table") is not None)
    )
    if single and "critical_peak" in area.mult and "mult" not in (sp or {}):
        seasons = _no_critical(seasons)
        mult.pop("critical_peak", None)
    if drop_rules:
        mult.pop("deep_valley", None)
        mult.pop("critical_peak", None)
        seasons = _no_critical(seasons)
    for s in seasons:
        for month, override in season_mult.items():
            if month in s["months"]:
                s["multipliers"] = dict(override)
    used = {p for s in seasons for p in s["periods"]}
    rules = {"holiday_rules": area.holiday_rules, "date_rules": area.date_rules}
    if not drop_rules:
        used |= {r["period"] for v in rules.values() for r in v}
    mult = {"flat": 1.0, **{p: v for p, v in mult.items() if p in used and p != "flat"}}
    kind = "single_part" if single else "two_part"
    name = f"{area.area}_{area.year}_{kind}"
    defaults = ["flat_price_yuan_per_kwh", "export_price_yuan_per_kwh"]
    if not single:
        defaults.insert(1, "demand_charge_yuan_per_kw_month")
    defaults += [d for d in area.defaults if d not in defaults]
    note = sp.get("note", "") if sp else ""
    source = " ".join(
        x
        for x in (
            f"{area.notice}; china-tou-provinces.md section {area.section} (confidence "
            f"{area.confidence}).",
            note,
            area.notes,
            area.flat_note,
            FLAT_NOTE,
        )
        if x
    )
    spec: dict[str, Any] = {
        "name": name,
        "province": area.province,
        "grid_area": area.area,
        "voltage_class": sp.get("voltage_class", "") if sp else "1-10 kV, two-part",
        "confidence": area.confidence,
        "source": source,
        "flat_price_yuan_per_kwh": area.flat,
    }
    if not single:
        spec["demand_charge_yuan_per_kw_month"] = DEFAULT_DEMAND
    spec["export_price_yuan_per_kwh"] = area.coal
    spec["defaults"] = defaults
    exception = sp.get("spread_exception", area.spread_exception) if sp else area.spread_exception
    if exception:
        spec["spread_exception"] = exception
    if area.market_formed:
        spec["market_formed"] = True
    spec["multipliers"] = mult
    spec["seasons"] = seasons
    if not drop_rules:
        spec.update({k: v for k, v in rules.items() if v})
        if area.trigger and not single:
            spec["critical_peak_trigger"] = area.trigger
    header = [
        f"{name}: {area.province} C&I time-of-use tariff, {spec['voltage_class']}.",
        f"Built by scripts/build_tariffs.py from china-tou-provinces.md section {area.section}.",
        "Figures listed in `defaults` are editable defaults, not figures from the notice: set them",
        "from your bill. The file format is documented in docs/tariffs.md.",
    ]
    if area.changed and not single:
        header.append(f"Changed from the earlier file: {area.changed}")
    return render(spec, header)


def main(argv: list[str]) -> int:
    reference = Path(argv[1]) if len(argv) > 1 else Path("../shared/data/reference") / REF
    tables = read_tables(reference)
    written = []
    for area in AREAS:
        for single in (False, True) if area.single_part else (False,):
            text = build(area, tables[area.section], single)
            name = text.split("\n")[0].split(":")[0].removeprefix("# ")
            (OUT / f"{name}.toml").write_text(text, encoding="utf-8")
            written.append(name)
    print(f"wrote {len(written)} tariffs to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
