"""The buildings of a county: GeoJSON roof outlines or a CSV of roof areas, checked row by row.

GeoJSON: a ``FeatureCollection`` of ``Polygon`` / ``MultiPolygon`` roof outlines (the largest
polygon's exterior ring is the roof) in WGS84 (``EPSG:4326``), CGCS2000 geographic
(``EPSG:4490``) or a projected CRS in metres such as a CGCS2000 3-degree Gauss-Kruger zone
(``EPSG:4534`` to ``EPSG:4554``), named by ``crs`` in the county file. Geographic outlines are
projected to the CGCS2000 3-degree Gauss-Kruger zone of the county (pyproj) to get metres.
CSV: the same fields plus ``area_m2``, ``latitude_deg`` and ``longitude_deg`` instead of an outline.

Fields (GeoJSON properties or CSV columns):

=========================  ===========================================================
``id``                     unique text
``township``               township (乡镇) name
``category``               ``government``, ``public_service``, ``commercial_industrial``,
                           ``rural_residential``
``subtype``                optional free text (``school``, ``hospital``, ``village_committee``...)
``roof``                   ``flat`` or ``pitched``
``pitch_deg``              pitched roofs: 1 to 60 [deg]
``azimuth_deg``            pitched roofs: direction the slope faces, 0 to 360, 180 = south [deg]
``allowable_load_kg_per_m2``  optional extra load the roof carries [kg/m2], 0 to 1000
``annual_kwh``             yearly consumption [kWh], > 0
``load``                   load archetype (:data:`peakzero.load.ARCHETYPES` or ``rural_home``)
``feeder``                 feeder id (one of the county file's feeders when it lists any)
=========================  ===========================================================

Every bad row is reported with its id, the field, the value and the allowed range; the caller
refuses the whole run unless told to skip them (:func:`read_buildings`).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peakzero.county.models import CATEGORIES, CountyInput
from peakzero.county.residential import RESIDENTIAL_ARCHETYPES
from peakzero.errors import PeakzeroError
from peakzero.load import ARCHETYPES

LOADS: tuple[str, ...] = (*ARCHETYPES, *RESIDENTIAL_ARCHETYPES)
#: Rows listed in full in an error message before "... and N more".
SHOWN_ERRORS = 40
#: Latitude / longitude box of China used to catch swapped or projected coordinates [deg].
CHINA_LAT_DEG = (3.0, 54.0)
CHINA_LON_DEG = (73.0, 136.0)


@dataclass(frozen=True)
class Building:
    """One roof of the programme, validated; the outline in local metres, if given.

    ``outline_m`` holds plan vertices [m] (x east, y north) relative to the centroid;
    ``outline_lonlat`` the same ring in degrees (for the map).
    """

    id: str
    township: str
    category: str
    subtype: str
    roof: str
    pitch_deg: float
    azimuth_deg: float
    allowable_load_kg_per_m2: float | None
    annual_kwh: float
    load: str
    feeder: str
    latitude_deg: float
    longitude_deg: float
    area_m2: float
    outline_m: tuple[tuple[float, float], ...] | None = None
    outline_lonlat: tuple[tuple[float, float], ...] | None = None


@dataclass(frozen=True)
class BuildingError:
    """One bad value: building id (or row number), field, value given and what is allowed."""

    id: str
    field: str
    value: str
    allowed: str

    def __str__(self) -> str:
        return f"building {self.id}: {self.field} = {self.value}: allowed {self.allowed}"


def _number(
    errors: list[BuildingError],
    bid: str,
    raw: dict[str, Any],
    name: str,
    low: float,
    high: float,
    *,
    default: float | None = None,
    unit: str = "",
) -> float | None:
    value = raw.get(name)
    if value is None or value == "":
        if default is None:
            errors.append(BuildingError(bid, name, "(missing)", f"a number {low} to {high}{unit}"))
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.append(BuildingError(bid, name, repr(value), f"a number {low} to {high}{unit}"))
        return None
    if not low <= number <= high:  # also NaN
        errors.append(BuildingError(bid, name, repr(value), f"{low} to {high}{unit}"))
        return None
    return number


def _text(
    errors: list[BuildingError],
    bid: str,
    raw: dict[str, Any],
    name: str,
    choices: tuple[str, ...] | None = None,
) -> str:
    value = raw.get(name)
    text = "" if value is None else str(value).strip()
    if not text:
        allowed = "one of " + ", ".join(choices) if choices else "a non-empty text"
        errors.append(BuildingError(bid, name, "(missing)", allowed))
    elif choices is not None and text not in choices:
        errors.append(BuildingError(bid, name, repr(text), "one of " + ", ".join(choices)))
    return text


def _fields(
    raw: dict[str, Any], bid: str, county: CountyInput, errors: list[BuildingError]
) -> dict[str, Any]:
    """Check the attribute fields of one row; append every problem to ``errors``."""
    start = len(errors)
    feeders = tuple(f.id for f in county.feeders) or None
    out: dict[str, Any] = {
        "township": _text(errors, bid, raw, "township"),
        "category": _text(errors, bid, raw, "category", CATEGORIES),
        "subtype": str(raw.get("subtype") or "").strip(),
        "roof": _text(errors, bid, raw, "roof", ("flat", "pitched")),
        "load": _text(errors, bid, raw, "load", LOADS),
        "feeder": _text(errors, bid, raw, "feeder", feeders),
        "annual_kwh": _number(errors, bid, raw, "annual_kwh", 1.0, 1e9, unit=" kWh"),
        "allowable_load_kg_per_m2": _number(
            errors, bid, raw, "allowable_load_kg_per_m2", 0.0, 1000.0, default=-1.0, unit=" kg/m2"
        ),
    }
    if out["allowable_load_kg_per_m2"] == -1.0:
        out["allowable_load_kg_per_m2"] = None
    if out["roof"] == "pitched":
        out["pitch_deg"] = _number(errors, bid, raw, "pitch_deg", 1.0, 60.0, unit=" deg")
        out["azimuth_deg"] = _number(
            errors, bid, raw, "azimuth_deg", 0.0, 360.0, unit=" deg (180 = south)"
        )
    else:
        out["pitch_deg"], out["azimuth_deg"] = 0.0, 180.0
    out["ok"] = len(errors) == start
    return out


def _location(errors: list[BuildingError], bid: str, lat: float | None, lon: float | None) -> bool:
    ok = True
    if lat is not None and not CHINA_LAT_DEG[0] <= lat <= CHINA_LAT_DEG[1]:
        errors.append(
            BuildingError(bid, "latitude_deg", f"{lat:.6g}", f"{CHINA_LAT_DEG} deg (China)")
        )
        ok = False
    if lon is not None and not CHINA_LON_DEG[0] <= lon <= CHINA_LON_DEG[1]:
        errors.append(
            BuildingError(bid, "longitude_deg", f"{lon:.6g}", f"{CHINA_LON_DEG} deg (China)")
        )
        ok = False
    return ok and lat is not None and lon is not None


def _read_csv(path: Path, county: CountyInput, errors: list[BuildingError]) -> list[Building]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out: list[Building] = []
    for number, raw in enumerate(rows, start=2):
        bid = str(raw.get("id") or "").strip() or f"(row {number})"
        start = len(errors)
        if bid.startswith("(row"):
            errors.append(BuildingError(bid, "id", "(missing)", "a non-empty unique text"))
        fields = _fields(raw, bid, county, errors)
        area = _number(errors, bid, raw, "area_m2", 1.0, 1e6, unit=" m2")
        lat = _number(errors, bid, raw, "latitude_deg", -90.0, 90.0, unit=" deg")
        lon = _number(errors, bid, raw, "longitude_deg", -180.0, 180.0, unit=" deg")
        where = _location(errors, bid, lat, lon)
        if len(errors) == start and fields["ok"] and where and area is not None:
            assert lat is not None and lon is not None
            del fields["ok"]
            out.append(
                Building(id=bid, latitude_deg=lat, longitude_deg=lon, area_m2=area, **fields)
            )
    return out


def gauss_kruger_epsg(longitude_deg: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss-Kruger zone (central meridian) of a longitude.

    Zones ``EPSG:4534`` (75 E) to ``EPSG:4554`` (135 E), central meridians every 3 degrees.

    >>> gauss_kruger_epsg(119.4)
    4549
    """
    central = min(135, max(75, 3 * round(longitude_deg / 3.0)))
    return 4534 + (central - 75) // 3


def _largest_ring(geometry: dict[str, Any]) -> list[list[float]] | None:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coords, list) and coords:
        return coords[0]  # type: ignore[no-any-return]
    if kind == "MultiPolygon" and isinstance(coords, list) and coords:
        from shapely.geometry import Polygon

        rings = [poly[0] for poly in coords if poly]
        return max(rings, key=lambda r: Polygon(r).area) if rings else None
    return None


def _read_geojson(path: Path, county: CountyInput, errors: list[BuildingError]) -> list[Building]:
    import numpy as np
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError
    from shapely.geometry import Polygon
    from shapely.validation import explain_validity

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PeakzeroError(
            f"buildings file {str(path)!r} is not valid GeoJSON: {exc}", field="buildings"
        ) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise PeakzeroError(
            f"buildings file {str(path)!r} is not a GeoJSON FeatureCollection (no 'features').",
            field="buildings",
        )
    try:
        crs = CRS.from_user_input(county.crs)
    except CRSError:
        raise PeakzeroError(
            f"crs = {county.crs!r} is not a coordinate reference system pyproj knows: give an "
            "EPSG code such as EPSG:4326 (WGS84) or EPSG:4549 (CGCS2000 3-degree GK, 120 E).",
            field="crs",
        ) from None
    if crs.is_projected and crs.axis_info[0].unit_name not in ("metre", "meter"):
        raise PeakzeroError(
            f"crs = {county.crs!r} is projected in {crs.axis_info[0].unit_name}; give a "
            "projection in metres (e.g. a CGCS2000 Gauss-Kruger zone) or EPSG:4326.",
            field="crs",
        )
    rings: list[tuple[str, dict[str, Any], Any]] = []
    for number, feature in enumerate(features, start=1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        bid = str(props.get("id") or "").strip() or f"(feature {number})"
        geometry = (feature.get("geometry") if isinstance(feature, dict) else None) or {}
        ring = _largest_ring(geometry)
        if ring is None:
            errors.append(
                BuildingError(
                    bid, "geometry", repr(geometry.get("type")), "a Polygon or MultiPolygon"
                )
            )
            rings.append((bid, props, None))
            continue
        try:
            pts = np.asarray(ring, dtype=float)[:, :2]
        except (ValueError, IndexError):
            errors.append(BuildingError(bid, "geometry", "(unreadable)", "[x, y] positions"))
            rings.append((bid, props, None))
            continue
        rings.append((bid, props, pts))
    if crs.is_projected:
        to_metres = None
        to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    else:
        lons = [float(p[:, 0].mean()) for _, _, p in rings if p is not None and p.size]
        zone = gauss_kruger_epsg(float(np.median(lons))) if lons else 4549
        to_metres = Transformer.from_crs(crs, f"EPSG:{zone}", always_xy=True)
        to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    out: list[Building] = []
    for bid, props, pts in rings:
        start = len(errors)
        if bid.startswith("(feature"):
            errors.append(BuildingError(bid, "id", "(missing)", "a non-empty unique text"))
        fields = _fields(props, bid, county, errors)
        if pts is None or not fields["ok"]:
            continue
        if len(pts) > 1 and np.allclose(pts[0], pts[-1]):
            pts = pts[:-1]
        lon, lat = to_lonlat.transform(pts[:, 0], pts[:, 1])
        if not _location(errors, bid, float(np.mean(lat)), float(np.mean(lon))):
            continue
        xy = (
            pts if to_metres is None else np.column_stack(to_metres.transform(pts[:, 0], pts[:, 1]))
        )
        poly = Polygon(xy) if len(xy) >= 3 else None
        if poly is None or not poly.is_valid:
            why = "too few vertices" if poly is None else explain_validity(poly)
            errors.append(BuildingError(bid, "geometry", why, "a simple (valid) polygon"))
            continue
        if not 1.0 <= poly.area <= 1e6:
            errors.append(BuildingError(bid, "geometry", f"area {poly.area:.4g} m2", "1 to 1e6 m2"))
            continue
        if len(errors) != start:
            continue
        centre = np.array([poly.centroid.x, poly.centroid.y])
        local = xy - centre
        del fields["ok"]
        out.append(
            Building(
                id=bid,
                latitude_deg=float(np.mean(lat)),
                longitude_deg=float(np.mean(lon)),
                area_m2=float(poly.area),
                outline_m=tuple((round(float(x), 3), round(float(y), 3)) for x, y in local),
                outline_lonlat=tuple(
                    (round(float(a), 7), round(float(b), 7)) for a, b in zip(lon, lat, strict=True)
                ),
                **fields,
            )
        )
    return out


def _duplicates(buildings: list[Building], errors: list[BuildingError]) -> list[Building]:
    seen: dict[str, int] = {}
    for b in buildings:
        seen[b.id] = seen.get(b.id, 0) + 1
    twice = {k for k, v in seen.items() if v > 1}
    for bid in sorted(twice):
        errors.append(BuildingError(bid, "id", repr(bid), "unique ids (given more than once)"))
    return [b for b in buildings if b.id not in twice]


def read_buildings(
    county: CountyInput, *, skip_invalid: bool = False
) -> tuple[list[Building], list[BuildingError]]:
    """Read and check the county's buildings file.

    Returns the valid buildings and the errors found. Raises :class:`PeakzeroError` listing
    every bad row (id, field, value, allowed range) unless ``skip_invalid``; then the bad rows
    are left out and returned as errors so the caller can list what it skipped.
    """
    path = county.resolve(county.buildings)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise PeakzeroError(f"buildings file {str(path)!r} {what}", field="buildings")
    errors: list[BuildingError] = []
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        buildings = _read_geojson(path, county, errors)
    elif suffix == ".csv":
        buildings = _read_csv(path, county, errors)
    else:
        raise PeakzeroError(
            f"buildings file {str(path)!r}: unknown type {suffix!r}; give .geojson or .csv",
            field="buildings",
        )
    buildings = _duplicates(buildings, errors)
    if errors and not skip_invalid:
        lines = [str(e) for e in errors[:SHOWN_ERRORS]]
        if len(errors) > SHOWN_ERRORS:
            lines.append(f"... and {len(errors) - SHOWN_ERRORS} more")
        bad = len({e.id for e in errors})
        raise PeakzeroError(
            f"buildings file {str(path)!r}: {bad} invalid building(s), nothing was computed:\n  "
            + "\n  ".join(lines)
            + "\nFix these rows, or skip them (skip_invalid).",
            field=errors[0].field,
        )
    if not buildings:
        raise PeakzeroError(
            f"buildings file {str(path)!r} has no valid building.", field="buildings"
        )
    return buildings, errors
