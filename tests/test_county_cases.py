"""Small counties shared by the county tests (no tests here).

``five_building_county`` writes a county of five buildings given by area (CSV) near Nanjing:
a rural home on a flat residential tariff, a government office, a school, a factory with a
demand charge under zero export and a village committee; every figure of each is derivable
from the site optimiser (``tests/test_county_five.py``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

RESIDENTIAL_TARIFF = """name = "test_residential_flat"
province = "Jiangsu"
voltage_class = "residential"
source = "test tariff: flat 0.5283 yuan/kWh, export 0.391 yuan/kWh"
flat_price_yuan_per_kwh = 0.5283
export_price_yuan_per_kwh = 0.391
[multipliers]
flat = 1.0
[[seasons]]
name = "all_year"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
[seasons.periods]
flat = [[0, 24]]
"""

COUNTY = """name = "Five buildings"
province = "Jiangsu"
buildings = "buildings.csv"
[categories.government]
tariff = "jiangsu_2025_single_part"
export = "surplus"
battery = false
[categories.public_service]
tariff = "jiangsu_2025_single_part"
export = "surplus"
battery = false
[categories.commercial_industrial]
tariff = "jiangsu_2025_two_part"
export = "zero"
battery = false
[categories.rural_residential]
tariff = "tariffs/res.toml"
export = "surplus"
capex_yuan_per_kwp = 3200
[pv]
min_kwp = 1
[model]
block_days = {block_days}
[[feeders]]
id = "F1"
capacity_kva = 400
[[feeders]]
id = "F2"
capacity_kva = 5000
"""

COLUMNS = [
    "id", "township", "category", "subtype", "roof", "pitch_deg", "azimuth_deg", "annual_kwh",
    "load", "feeder", "area_m2", "latitude_deg", "longitude_deg",
]  # fmt: skip

FIVE: list[dict[str, Any]] = [
    {"id": "R1", "township": "East", "category": "rural_residential", "subtype": "home",
     "roof": "pitched", "pitch_deg": 25, "azimuth_deg": 180, "annual_kwh": 3000,
     "load": "rural_home", "feeder": "F1", "area_m2": 100},
    {"id": "G1", "township": "East", "category": "government", "subtype": "office",
     "roof": "flat", "annual_kwh": 250000, "load": "office", "feeder": "F1", "area_m2": 1500},
    {"id": "S1", "township": "West", "category": "public_service", "subtype": "school",
     "roof": "flat", "annual_kwh": 80000, "load": "office", "feeder": "F2", "area_m2": 2000},
    {"id": "C1", "township": "West", "category": "commercial_industrial", "subtype": "factory",
     "roof": "flat", "annual_kwh": 3000000, "load": "factory_two_shift", "feeder": "F2",
     "area_m2": 6000},
    {"id": "V1", "township": "East", "category": "public_service",
     "subtype": "village_committee", "roof": "pitched", "pitch_deg": 20, "azimuth_deg": 160,
     "annual_kwh": 15000, "load": "office", "feeder": "F1", "area_m2": 300},
]  # fmt: skip


def write_county(
    folder: Path, rows: list[dict[str, Any]], *, block_days: int = 5, extra: str = ""
) -> Path:
    """Write COUNTY.toml, buildings.csv and the residential tariff into ``folder``."""
    (folder / "tariffs").mkdir(parents=True, exist_ok=True)
    (folder / "tariffs" / "res.toml").write_text(RESIDENTIAL_TARIFF, encoding="utf-8")
    with (folder / "buildings.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({"latitude_deg": 32.05, "longitude_deg": 118.85, **row})
    path = folder / "COUNTY.toml"
    path.write_text(COUNTY.format(block_days=block_days) + extra, encoding="utf-8")
    return path


def five_building_county(folder: Path) -> Path:
    """The five-building county (see the module docstring)."""
    return write_county(folder, FIVE)
