"""A synthetic county for the demo and the benchmark: ``peakzero county example``.

Reproducible (seeded) buildings in townships around a centre in central Jiangsu, with roof
outlines in WGS84, feeders with capacities, a COUNTY.toml and a flat residential tariff file.
The mix of building types, roof sizes and loads follows the sources in :data:`MIX` (each row
names its source; figures not checked against the primary document say [unverified]); they are
plausible defaults for a demo, not a survey of any real county.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from peakzero.errors import PeakzeroError

#: County centre (between the Nanjing and Dongtai CSWD stations, so both are used) [deg].
CENTRE_LAT_DEG, CENTRE_LON_DEG = 32.45, 119.55
#: CGCS2000 3-degree Gauss-Kruger zone, central meridian 120 E (outlines are drawn in metres).
GK_EPSG = 4549


@dataclass(frozen=True)
class Kind:
    """One kind of building in the synthetic mix.

    ``share`` of the buildings; roof plan area lognormal with median ``area_median_m2`` and
    log-sd ``area_sigma``; ``storeys`` (floor area = roof x storeys); ``kwh_per_m2_floor`` the
    yearly electricity use per floor area (rural homes: ``kwh_per_home`` instead); roof kinds
    with their probabilities; the load archetype; the source of these figures.
    """

    category: str
    subtype: str
    share: float
    area_median_m2: float
    area_sigma: float
    storeys: float
    kwh_per_m2_floor: float
    flat_share: float
    pitch_deg: float
    load: str
    source: str


MIX: tuple[Kind, ...] = (
    Kind(
        "rural_residential",
        "home",
        0.85,
        110.0,
        0.35,
        2.0,
        12.0,
        0.30,
        25.0,
        "rural_home",
        "Share: rural homes are most roofs of a pilot county (NEA 2021 pilot plans list "
        "thousands of homes per county) [unverified]. Roof: rural per-capita housing floor area "
        "about 50 m2 (NBS, China Statistical Yearbook 2021) x 3 persons on 2 storeys "
        "-> ~75-150 m2 footprint [unverified]. Load: rural residential use about 900 kWh per "
        "person-year (China Electricity Council 2022 statistics) x 3 persons: here lognormal, "
        "median 2,600 kWh per home, log-sd 0.35 [unverified]",
    ),
    Kind(
        "government",
        "office",
        0.02,
        1200.0,
        0.5,
        4.0,
        80.0,
        0.95,
        20.0,
        "office",
        "Roof: county and township government offices of 3-5 storeys [unverified]. Load: "
        "GB/T 51161-2016 (energy consumption standard of civil buildings) office constraint "
        "values 70-110 kWh/m2-year in the hot-summer cold-winter zone [unverified]",
    ),
    Kind(
        "public_service",
        "school",
        0.025,
        2500.0,
        0.5,
        3.0,
        30.0,
        0.9,
        20.0,
        "office",
        "Roof: primary and middle school teaching blocks [unverified]. Load: GB/T 51161-2016 "
        "school buildings about 20-40 kWh/m2-year [unverified]; office shape (daytime)",
    ),
    Kind(
        "public_service",
        "hospital",
        0.005,
        3000.0,
        0.5,
        5.0,
        150.0,
        0.95,
        20.0,
        "hospital",
        "Roof: county and township hospitals [unverified]. Load: hospital buildings "
        "100-200 kWh/m2-year (GB/T 51161-2016 does not cover hospitals; survey values in "
        "Chinese building-energy literature) [unverified]",
    ),
    Kind(
        "public_service",
        "village_committee",
        0.03,
        300.0,
        0.4,
        2.0,
        30.0,
        0.7,
        25.0,
        "office",
        "Roof: village committee buildings of 2 storeys [unverified]. Load: office-like use "
        "about 30 kWh/m2-year [unverified]",
    ),
    Kind(
        "commercial_industrial",
        "factory",
        0.06,
        6000.0,
        0.7,
        1.0,
        120.0,
        0.4,
        5.0,
        "factory_two_shift",
        "Roof: single-storey workshops with colour-steel roofs of about 5 deg pitch or flat "
        "concrete roofs, 1,000-30,000 m2 [unverified]. Load: 50-300 kWh per m2 of workshop "
        "and year, light manufacturing [unverified]; archetypes factory one/two shift and "
        "continuous, mall and cold storage in proportion",
    ),
    Kind(
        "commercial_industrial",
        "shop",
        0.01,
        1500.0,
        0.5,
        2.0,
        150.0,
        0.9,
        20.0,
        "mall",
        "Roof: supermarkets and shopping buildings [unverified]. Load: commercial buildings "
        "GB/T 51161-2016 about 150-250 kWh/m2-year [unverified]",
    ),
)
FACTORY_LOADS = ("factory_one_shift", "factory_two_shift", "factory_continuous", "cold_storage")
TOWNSHIPS = (
    "Chengguan",
    "Dongqiao",
    "Xiji",
    "Nanhe",
    "Beixin",
    "Linhu",
    "Shuangqiao",
    "Gaoyang",
    "Hexiang",
    "Taoyuan",
    "Qiaotou",
    "Songlin",
    "Anfeng",
    "Jinsha",
    "Baima",
    "Heping",
)
#: Buildings a 10 kV feeder serves in the synthetic county (about) [-].
BUILDINGS_PER_FEEDER = 250
#: Capacity PV may use on a synthetic 10 kV feeder [kVA]: about the thermal rating of a 10 kV
#: feeder (8-10 MVA) [unverified].
FEEDER_KVA = (6000.0, 8000.0, 10000.0)

COUNTY_TOML = """# Synthetic county written by `peakzero county example`
# (see peakzero/county/example.py for the sources of the building mix, roof sizes and
# loads; every figure is an editable default, several [unverified]).
name = "{name}"
province = "Jiangsu"
year = 2025
buildings = "{buildings}"
crs = "EPSG:4326"

[categories.government]
tariff = "jiangsu_2025_single_part"
export = "surplus"

[categories.public_service]
tariff = "jiangsu_2025_single_part"
export = "surplus"

[categories.commercial_industrial]
tariff = "jiangsu_2025_two_part"
export = "zero"

[categories.rural_residential]
tariff = "tariffs/jiangsu_residential_flat.toml"
export = "surplus"
capex_yuan_per_kwp = 3200

[pv]
capex_yuan_per_kwp = 3000
om_yuan_per_kwp_year = 40
min_kwp = 3

[economics]
analysis_years = 25
discount_rate = 0.06

[emc]
discount_fraction = 0.15
contract_years = 20

[grid]
green_max = 0.6
yellow_max = 0.8
"""

RESIDENTIAL_TARIFF = r'''# Rural residential flat tariff for the synthetic county.
name = "jiangsu_residential_flat"
province = "Jiangsu"
voltage_class = "residential, < 1 kV, first block"
source = """Jiangsu residential first-block price 0.5283 yuan/kWh [unverified]; export price = \
Jiangsu coal benchmark 0.391 yuan/kWh (before June 2025, Fa Gai Jia Ge [2025] 136 moves new \
projects to market prices). Editable defaults."""
flat_price_yuan_per_kwh = 0.5283
export_price_yuan_per_kwh = 0.391

[multipliers]
flat = 1.0

[[seasons]]
name = "all_year"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
[seasons.periods]
flat = [[0, 24]]
'''


def _outline(rng: np.random.Generator, area_m2: float) -> np.ndarray:
    """A rectangle of ``area_m2`` (aspect 1.2-3, long side roughly east-west), in metres."""
    aspect = rng.uniform(1.2, 3.0)
    width = math.sqrt(area_m2 * aspect)
    depth = area_m2 / width
    angle = math.radians(rng.normal(0.0, 8.0))
    corners = np.array(
        [
            [-width / 2, -depth / 2],
            [width / 2, -depth / 2],
            [width / 2, depth / 2],
            [-width / 2, depth / 2],
        ]
    )
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return np.asarray(corners @ rot.T, dtype=float)


def example_county(
    buildings: int,
    out_dir: str | Path,
    *,
    seed: int = 2021,
    name: str | None = None,
    fmt: str = "geojson",
) -> Path:
    """Write a synthetic county of ``buildings`` roofs to ``out_dir``; return its COUNTY.toml.

    ``fmt`` is ``"geojson"`` (roof outlines, WGS84) or ``"csv"`` (areas and centroids).
    """
    from pyproj import Transformer

    if not 1 <= buildings <= 1_000_000:
        raise PeakzeroError(f"buildings = {buildings}: allowed 1 to 1,000,000", field="buildings")
    if fmt not in ("geojson", "csv"):
        raise PeakzeroError(f"format = {fmt!r}: allowed geojson, csv", field="format")
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    (out / "tariffs").mkdir(parents=True, exist_ok=True)
    to_gk = Transformer.from_crs("EPSG:4326", f"EPSG:{GK_EPSG}", always_xy=True)
    to_ll = Transformer.from_crs(f"EPSG:{GK_EPSG}", "EPSG:4326", always_xy=True)
    x0, y0 = to_gk.transform(CENTRE_LON_DEG, CENTRE_LAT_DEG)
    n_town = max(1, min(len(TOWNSHIPS), round(math.sqrt(buildings / 40))))
    side = math.ceil(math.sqrt(n_town))
    spacing = 6000.0
    centres = [
        (x0 + (i % side - (side - 1) / 2) * spacing, y0 + (i // side - (side - 1) / 2) * spacing)
        for i in range(n_town)
    ]
    shares = np.array([k.share for k in MIX])
    kinds = rng.choice(len(MIX), size=buildings, p=shares / shares.sum())
    town = rng.integers(0, n_town, size=buildings)
    per_town = np.bincount(town, minlength=n_town)
    feeders_in = [max(1, round(c / BUILDINGS_PER_FEEDER)) for c in per_town]
    feeders = []
    for t in range(n_town):
        for f in range(feeders_in[t]):
            feeders.append(
                (f"{TOWNSHIPS[t]}-F{f + 1}", float(rng.choice(FEEDER_KVA)), TOWNSHIPS[t])
            )
    features, rows = [], []
    for i in range(buildings):
        kind = MIX[int(kinds[i])]
        t = int(town[i])
        area = float(
            np.clip(kind.area_median_m2 * math.exp(rng.normal(0, kind.area_sigma)), 30, 5e4)
        )
        flat = bool(rng.random() < kind.flat_share)
        load = kind.load
        if kind.subtype == "factory":
            load = str(rng.choice(FACTORY_LOADS, p=[0.35, 0.4, 0.15, 0.1]))
        if kind.category == "rural_residential":
            annual = float(np.clip(rng.lognormal(math.log(2600.0), 0.35), 600, 20000))
        else:
            intensity = kind.kwh_per_m2_floor * math.exp(rng.normal(0, 0.3))
            annual = area * kind.storeys * intensity
        radius = 2500.0 if kind.category != "commercial_industrial" else 3500.0
        cx = centres[t][0] + rng.normal(0, radius / 2)
        cy = centres[t][1] + rng.normal(0, radius / 2)
        ring = _outline(rng, area) + np.array([cx, cy])
        lon, lat = to_ll.transform(ring[:, 0], ring[:, 1])
        fid = f"{TOWNSHIPS[t]}-F{int(rng.integers(0, feeders_in[t])) + 1}"
        props = {
            "id": f"B{i + 1:06d}",
            "township": TOWNSHIPS[t],
            "category": kind.category,
            "subtype": kind.subtype,
            "roof": "flat" if flat else "pitched",
            "annual_kwh": round(annual, 1),
            "load": load,
            "feeder": fid,
        }
        if not flat:
            props["pitch_deg"] = kind.pitch_deg
            props["azimuth_deg"] = round(float(np.clip(rng.normal(180.0, 20.0), 90.0, 270.0)), 1)
        if fmt == "geojson":
            coords = [
                [round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat, strict=True)
            ]
            coords.append(coords[0])
            features.append(
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": {"type": "Polygon", "coordinates": [coords]},
                }
            )
        else:
            clon, clat = to_ll.transform(cx, cy)
            rows.append(
                {
                    **props,
                    "area_m2": round(area, 1),
                    "latitude_deg": round(float(clat), 6),
                    "longitude_deg": round(float(clon), 6),
                }
            )
    if fmt == "geojson":
        target = "buildings.geojson"
        (out / target).write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
            encoding="utf-8",
        )
    else:
        import csv

        target = "buildings.csv"
        columns = [
            "id",
            "township",
            "category",
            "subtype",
            "roof",
            "pitch_deg",
            "azimuth_deg",
            "annual_kwh",
            "load",
            "feeder",
            "area_m2",
            "latitude_deg",
            "longitude_deg",
        ]
        with (out / target).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    text = COUNTY_TOML.format(
        name=name or f"Example county ({buildings} synthetic buildings)", buildings=target
    )
    for fid, kva, township in feeders:
        text += f'\n[[feeders]]\nid = "{fid}"\ncapacity_kva = {kva:.0f}\ntownship = "{township}"\n'
    (out / "tariffs" / "jiangsu_residential_flat.toml").write_text(
        RESIDENTIAL_TARIFF, encoding="utf-8"
    )
    path = out / "COUNTY.toml"
    path.write_text(text, encoding="utf-8")
    return path
