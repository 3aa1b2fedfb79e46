"""Roof layout: how many modules fit on a roof, in which rows, and what they weigh.

Coordinates are in metres in plan (horizontal projection): x east, y north. A roof is a simple
polygon (or a square of the given plan area); modules are placed portrait (long side up the
slope) in rows along the direction perpendicular to the facing azimuth:

- flat roof: tilted rows, one module deep, spaced per GB 50797-2012 §7.2.2
  (:func:`peakzero.roof.geometry.row_spacing`);
- pitched roof: flush with the roof plane (tilt = pitch, azimuth = roof azimuth), rows touching
  except for a small gap.

The edge setback is kept as a clearance of ``setback_m`` around every module in the row
frame; near roof edges oblique to the rows the clearance is between ``setback_m`` and
``sqrt(2) x setback_m`` (conservative). Placement tries several row and column offsets and keeps
the one with the most modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from peakzero.errors import PeakzeroError, check_range
from peakzero.roof.geometry import row_spacing, shadow_ratio
from peakzero.roof.mounting import (
    DEFAULT_RACKING,
    Module,
    Racking,
    RoofKind,
    check_dead_load,
    dead_load_kg_per_m2,
)
from peakzero.solar.model import FloatArray, PVArray

ROOF_KINDS: tuple[str, ...] = ("flat", "pitched")
#: Offsets tried for the first row and, per row, for the first column (placement search).
_OFFSETS = 6
#: Tolerance for points on the roof edge [m].
_EPS_M = 1e-7


def polygon_area_m2(points: FloatArray) -> float:
    """Area of a simple polygon by the shoelace formula [m2].

    >>> polygon_area_m2(np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 3.0]]))
    12.0
    """
    x, y = points[:, 0], points[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def _frame(azimuth_deg: float) -> tuple[FloatArray, FloatArray]:
    """Unit vectors along the rows (u) and toward the facing azimuth (v), in (east, north)."""
    az = math.radians(azimuth_deg)
    facing = np.array([math.sin(az), math.cos(az)])
    along = np.array([math.cos(az), -math.sin(az)])
    return along, facing


MAX_ROOF_AREA_M2 = 1.0e6
"""Largest roof accepted [m2]: 1 km2, above the largest factory roofs (about 0.4 km2)."""
MIN_ROOF_AREA_M2 = 1.0
"""Smallest roof accepted [m2]: less is an outline in kilometres or a typo."""
MAX_VERTICES = 5000
"""Most outline vertices accepted: a traced roof has tens; thousands is a curve exported from
CAD at a fine chord, which only slows the layout."""
TYPICAL_ROOF_M2 = 3000.0
"""A typical C&I roof [m2]: the drawing unit giving the nearest area is named first."""
_SCALES = (("millimetres", 1e-3), ("centimetres", 1e-2), ("inches", 0.0254), ("feet", 0.3048))


def check_outline(pts: FloatArray) -> None:
    """Refuse a roof outline that cannot be a roof in metres.

    Checked: at most :data:`MAX_VERTICES` vertices; no self-intersection (a bow-tie's shoelace
    area is wrong); an area from :data:`MIN_ROOF_AREA_M2` to :data:`MAX_ROOF_AREA_M2`, and when
    above, the drawing unit that would give a plausible roof is named.

    Raises
    ------
    PeakzeroError
        ``field = "polygon"``, with the scale or the crossing point.
    """
    from shapely import Polygon  # here: shapely loads GEOS, only roof outlines need it
    from shapely.validation import explain_validity

    if len(pts) > MAX_VERTICES:
        raise PeakzeroError(
            f"polygon has {len(pts)} vertices; at most {MAX_VERTICES} are accepted. Simplify the "
            "outline (a roof needs its corners only; export curves with a coarser chord).",
            field="polygon",
        )
    shape = Polygon(pts)
    if not shape.is_valid:
        raise PeakzeroError(
            f"polygon crosses itself ({explain_validity(shape)}): its area would be wrong. "
            "List the vertices in order around the roof edge, without crossing.",
            field="polygon",
        )
    area = polygon_area_m2(pts)
    if area <= 0.0:
        raise PeakzeroError("polygon has zero area.", field="polygon")
    if area > MAX_ROOF_AREA_M2:
        fits = [(n, m) for n, m in _SCALES if 10.0 <= area * m**2 <= 2e5]
        fits.sort(key=lambda f: abs(math.log(area * f[1] ** 2 / TYPICAL_ROOF_M2)))
        guess = "".join(
            f" {'It looks like' if i == 0 else 'Or'} {name}: in metres the roof would be "
            f"{area * metres**2:,.0f} m2; multiply the coordinates by {metres:g}."
            for i, (name, metres) in enumerate(fits)
        )
        raise PeakzeroError(
            f"polygon encloses {area:,.0f} m2, more than {MAX_ROOF_AREA_M2:,.0f} m2 (1 km2): the "
            f"vertices must be in metres.{guess}",
            field="polygon",
        )
    if area < MIN_ROOF_AREA_M2:
        raise PeakzeroError(
            f"polygon encloses {area:.3g} m2, less than {MIN_ROOF_AREA_M2:g} m2: the vertices "
            "must be in metres (kilometres? multiply by 1000).",
            field="polygon",
        )


@dataclass(frozen=True)
class Roof:
    """A roof in plan.

    Parameters
    ----------
    kind
        ``"flat"`` (tilted rows) or ``"pitched"`` (flush modules).
    polygon_m
        Vertices in plan [m], x east, y north, in order (not repeated at the end).
    pitch_deg
        Roof pitch [deg] (pitched roofs, 1 to 60).
    azimuth_deg
        Azimuth the roof plane faces (downslope) [deg], 180 = south (pitched roofs).
    setback_m
        Clear distance kept from the roof edges [m] (default 0.5 m, an editable default for
        access and wind edge zones [unverified]).
    """

    kind: RoofKind
    polygon_m: tuple[tuple[float, float], ...]
    pitch_deg: float = 0.0
    azimuth_deg: float = 180.0
    setback_m: float = 0.5

    def __post_init__(self) -> None:
        if self.kind not in ROOF_KINDS:
            raise PeakzeroError(
                f"roof = {self.kind!r} is not known: allowed flat, pitched.", field="roof"
            )
        if self.kind == "pitched":
            check_range("pitch_deg", self.pitch_deg, 1.0, 60.0, unit="deg")
        check_range(
            "roof_azimuth_deg", self.azimuth_deg, 0.0, 360.0, unit="deg", fix="180 = south."
        )
        check_range("setback_m", self.setback_m, 0.0, 50.0, unit="m")
        pts = np.asarray(self.polygon_m, dtype=float)
        if pts.ndim != 2 or pts.shape[0] < 3 or pts.shape[1] != 2 or not np.isfinite(pts).all():
            raise PeakzeroError(
                "polygon needs at least 3 vertices of finite (x, y) metres.", field="polygon"
            )
        check_outline(pts)

    @classmethod
    def from_area(
        cls,
        area_m2: float,
        kind: RoofKind,
        *,
        pitch_deg: float = 0.0,
        azimuth_deg: float = 180.0,
        setback_m: float = 0.5,
    ) -> Roof:
        """A square roof of ``area_m2`` plan area [m2], sides along and across the rows."""
        check_range(
            "area_m2", area_m2, 1.0, MAX_ROOF_AREA_M2, unit="m2", fix="Give the roof's plan area."
        )
        side = math.sqrt(area_m2)
        along, facing = _frame(azimuth_deg if kind == "pitched" else 180.0)
        corners = [(0.0, 0.0), (side, 0.0), (side, side), (0.0, side)]
        pts = tuple(
            (float(u * along[0] + v * facing[0]), float(u * along[1] + v * facing[1]))
            for u, v in corners
        )
        return cls(kind, pts, pitch_deg, azimuth_deg, setback_m)

    @property
    def area_m2(self) -> float:
        """Plan area [m2]."""
        return polygon_area_m2(np.asarray(self.polygon_m, dtype=float))


@dataclass(frozen=True, eq=False)
class RoofLayout:
    """Modules on a roof.

    Parameters
    ----------
    modules
        Number of modules.
    kwp
        DC rating [kWp].
    row_pitch_m
        Row pitch in plan, front edge to front edge [m].
    gcr
        Ground coverage ratio: module length up the slope / row pitch along the slope [-].
    tilt_deg, azimuth_deg
        Module tilt and facing azimuth [deg] (180 = south).
    area_m2
        Roof plan area [m2].
    module_area_m2
        Total module area [m2].
    dead_load_kg_per_m2
        Modules + racking over the roof area the array occupies [kg/m2].
    rows
        Number of rows with at least one module.
    mounting
        ``"rows"`` (flat roof) or ``"flush"`` (pitched roof).
    shadow_ratio
        Gap/height D/H used for the row spacing (flat roofs; 0 for flush) [-].
    roof
        The roof.
    module
        The module.
    module_corners_m
        Plan corners of each module [m], shape (modules, 4, 2).
    """

    modules: int
    kwp: float
    row_pitch_m: float
    gcr: float
    tilt_deg: float
    azimuth_deg: float
    area_m2: float
    module_area_m2: float
    dead_load_kg_per_m2: float
    rows: int
    mounting: Literal["rows", "flush"]
    shadow_ratio: float
    roof: Roof
    module: Module
    module_corners_m: FloatArray

    def pv_array(self, share: float = 1.0) -> PVArray:
        """The :class:`~peakzero.solar.PVArray` these modules form."""
        return PVArray(self.tilt_deg, self.azimuth_deg, self.mounting, share)


def _crossings(poly_uv: FloatArray, v: float) -> FloatArray:
    """Sorted u where the polygon's edges cross the line at ``v`` (half-open rule of ray
    casting, so a point is inside when an odd number of crossings lie left of it)."""
    q = np.roll(poly_uv, -1, axis=0)
    v1, v2 = poly_uv[:, 1], q[:, 1]
    m = (v1 > v) != (v2 > v)
    t = (v - v1[m]) / (v2[m] - v1[m])
    return np.sort(poly_uv[m, 0] + t * (q[m, 0] - poly_uv[m, 0]))


def _fits(
    poly_uv: FloatArray, u0: FloatArray, v0: float, du: float, dv: float
) -> NDArray[np.bool_]:
    """Which rectangles [u0, u0+du] x [v0, v0+dv] of one row lie inside the polygon.

    A rectangle lies inside a simple polygon when its four corners do and no vertex lies
    strictly inside it. Corners are tested against the edge crossings of the row's two lines
    (O(V) per row, then a binary search per corner), so a row costs O(V + K log V), not O(K V).
    """
    a, b = u0 + _EPS_M, u0 + du - _EPS_M
    c, d = v0 + _EPS_M, v0 + dv - _EPS_M
    inside = np.ones(u0.shape, dtype=bool)
    for line in (c, d):
        cross = _crossings(poly_uv, line)
        for u in (a, b):
            inside &= np.searchsorted(cross, u, side="right") % 2 == 1
    band = poly_uv[(poly_uv[:, 1] > c) & (poly_uv[:, 1] < d)]
    if band.size:
        pu = band[:, 0][None, :]
        inside &= ~((pu > a[:, None]) & (pu < b[:, None])).any(axis=1)
    return inside


def _place(
    poly_uv: FloatArray, width: float, depth: float, col_step: float, row_step: float, s: float
) -> tuple[FloatArray, FloatArray]:
    """Best grid placement of (width x depth) modules; returns their (u0, v0) corners."""
    umin, vmin = poly_uv.min(axis=0)
    umax, vmax = poly_uv.max(axis=0)
    n_cols = max(0, int((umax - umin - 2 * s - width) // col_step) + 2)
    n_rows = max(0, int((vmax - vmin - 2 * s - depth) // row_step) + 2)
    best: tuple[FloatArray, FloatArray] = (np.zeros(0), np.zeros(0))
    if n_cols == 0 or n_rows == 0:
        return best
    cols = np.arange(n_cols) * col_step
    for dv_off in np.linspace(0.0, row_step, _OFFSETS, endpoint=False):
        v_rows = vmin + s + dv_off + np.arange(n_rows) * row_step
        us: list[FloatArray] = []
        vs: list[FloatArray] = []
        for v in v_rows:
            if v + depth + s > vmax + _EPS_M:
                break
            offs = np.linspace(0.0, col_step, _OFFSETS, endpoint=False)
            u0 = (umin + s + offs[:, None] + cols[None, :]).ravel()
            ok = _fits(poly_uv, u0 - s, float(v - s), width + 2 * s, depth + 2 * s)
            ok = ok.reshape(_OFFSETS, n_cols)
            k = int(ok.sum(axis=1).argmax())
            us.append(u0.reshape(_OFFSETS, n_cols)[k][ok[k]])
            vs.append(np.full(int(ok[k].sum()), v))
        u_all = np.concatenate(us) if us else np.zeros(0)
        if u_all.size > best[0].size:
            best = (u_all, np.concatenate(vs))
    return best


def layout_roof(
    roof: Roof,
    latitude_deg: float,
    tilt_deg: float | None = None,
    *,
    module: Module | None = None,
    racking: Racking | None = None,
    allowable_load_kg_per_m2: float | None = None,
) -> RoofLayout:
    """Lay modules out on a roof and check the dead load.

    Parameters
    ----------
    roof
        The roof.
    latitude_deg
        Site latitude [deg] (row spacing on flat roofs).
    tilt_deg
        Module tilt on a flat roof [deg], 0 to 60; required for flat roofs, ignored (= pitch)
        on pitched roofs.
    module
        The module (default 2278 x 1134 mm, 590 W).
    racking
        The racking (default per roof kind, :data:`~peakzero.roof.mounting.DEFAULT_RACKING`).
    allowable_load_kg_per_m2
        Extra load the roof may carry [kg/m2]; the layout is refused when the dead load exceeds
        it (``None``: no check).

    Raises
    ------
    PeakzeroError
        Bad input, or dead load above the allowable load.
    """
    check_range("latitude_deg", latitude_deg, -90.0, 90.0, unit="deg")
    module = module or Module()
    racking = racking or DEFAULT_RACKING[roof.kind]
    gap = racking.module_gap_m
    if roof.kind == "flat":
        if tilt_deg is None:
            raise PeakzeroError("tilt_deg is required for a flat roof.", field="tilt_deg")
        azimuth = 180.0 if latitude_deg >= 0 else 0.0
        spacing = row_spacing(module.length_m, tilt_deg, latitude_deg, azimuth)
        tilt, depth, row_step = float(tilt_deg), spacing.depth_m, spacing.pitch_m
        gcr, ratio, mounting = spacing.gcr, shadow_ratio(latitude_deg, azimuth), "rows"
        footprint = (module.width_m + gap) * row_step
    else:
        azimuth, tilt = roof.azimuth_deg, roof.pitch_deg
        cos_p = math.cos(math.radians(tilt))
        depth, row_step = module.length_m * cos_p, (module.length_m + gap) * cos_p
        gcr, ratio, mounting = module.length_m / (module.length_m + gap), 0.0, "flush"
        footprint = (module.width_m + gap) * (module.length_m + gap)
    along, facing = _frame(azimuth)
    poly = np.asarray(roof.polygon_m, dtype=float)
    poly_uv = np.column_stack([poly @ along, poly @ facing])
    u0, v0 = _place(poly_uv, module.width_m, depth, module.width_m + gap, row_step, roof.setback_m)
    corners_uv = np.stack(
        [
            np.column_stack([u0, v0]),
            np.column_stack([u0 + module.width_m, v0]),
            np.column_stack([u0 + module.width_m, v0 + depth]),
            np.column_stack([u0, v0 + depth]),
        ],
        axis=1,
    )
    corners_xy = corners_uv[..., :1] * along + corners_uv[..., 1:] * facing
    n = int(u0.size)
    load = dead_load_kg_per_m2(module, racking, footprint)
    if n > 0:
        check_dead_load(load, allowable_load_kg_per_m2)
    return RoofLayout(
        modules=n,
        kwp=n * module.power_w / 1000.0,
        row_pitch_m=float(row_step),
        gcr=float(gcr),
        tilt_deg=tilt,
        azimuth_deg=float(azimuth),
        area_m2=roof.area_m2,
        module_area_m2=n * module.area_m2,
        dead_load_kg_per_m2=float(load) if n > 0 else 0.0,
        rows=int(np.unique(np.round(v0, 6)).size),
        mounting=mounting,  # type: ignore[arg-type]
        shadow_ratio=float(ratio),
        roof=roof,
        module=module,
        module_corners_m=np.asarray(corners_xy, dtype=float),
    )


def roof_max_kwp(
    roof: Roof,
    latitude_deg: float,
    tilt_deg: float | None = None,
    *,
    module: Module | None = None,
    allowable_load_kg_per_m2: float | None = None,
) -> float:
    """Largest DC rating the roof carries at the given tilt [kWp] (see :func:`layout_roof`)."""
    return layout_roof(
        roof,
        latitude_deg,
        tilt_deg,
        module=module,
        allowable_load_kg_per_m2=allowable_load_kg_per_m2,
    ).kwp
