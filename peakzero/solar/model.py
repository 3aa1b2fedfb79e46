"""Vectorised PV yield chain on pvlib: weather (T, N) in, AC power per kWp (T, N) out.

The chain follows pvlib's ``ModelChain`` step by step, with the same functions, but runs many
sites or orientations at once as ``(T, N)`` arrays and splits the columns into chunks to keep
memory bounded (columns sorted by longitude; per chunk only the hours with light in some
column are computed):

1. solar position with NREL SPA (``pvlib.spa``, numpy path) at the interval midpoint
   (:mod:`peakzero.solar.sun`): the time-only part of SPA (the expensive heliocentric series)
   is computed once for all columns, the site part once per distinct site of a chunk and
   shared by the columns at that site (orientations, arrays);
2. air mass (Kasten-Young 1989, relative; per distinct site) and extraterrestrial DNI (Spencer);
3. Perez 1990 transposition (``pvlib.irradiance.get_total_irradiance``, ``model="perez"``);
4. angle-of-incidence loss on the beam (``pvlib.iam.physical`` or ``ashrae``), as ModelChain;
5. SAPM cell temperature with mounting-dependent parameters (``pvlib.temperature.sapm_cell``);
6. PVWatts DC with a temperature coefficient (``pvlib.pvsystem.pvwatts_dc``);
7. system losses as one DC fraction (PVWatts default 14.08 %, ``pvlib.pvsystem.pvwatts_losses``);
8. PVWatts v5 inverter with the DC/AC ratio setting the clipping level (``pvlib.inverter.pvwatts``).

Angles follow pvlib: azimuth clockwise from north, 180 = south; tilt from horizontal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pvlib
from numpy.typing import ArrayLike, NDArray

from peakzero.errors import PeakzeroError, check_range
from peakzero.solar.sun import (
    SiteGeometry,
    block_sun,
    interval_midpoints,
    location_labels,
    spa_time_terms,
)

FloatArray = NDArray[np.float64]
MountingKind = Literal["rows", "flush", "ground"]
IamModel = Literal["physical", "ashrae"]

MOUNTING_KINDS: tuple[str, ...] = ("rows", "flush", "ground")

#: SAPM cell-temperature parameters per mounting kind (King et al. 2004, SAND2004-3535, table 1,
#: as tabulated in ``pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]``). Tilted rows on a
#: flat roof and ground mounts are open racks; flush modules on a pitched roof are close mounted.
SAPM_CONFIG: dict[str, str] = {
    "rows": "open_rack_glass_glass",
    "ground": "open_rack_glass_glass",
    "flush": "close_mount_glass_glass",
}

#: PVWatts v5 default system losses (soiling 2, shading 3, mismatch 2, wiring 2, connections 0.5,
#: LID 1.5, nameplate 1, availability 3 %), Dobos 2014, NREL/TP-6A20-62641, combined
#: multiplicatively by ``pvlib.pvsystem.pvwatts_losses``: 14.08 %.
PVWATTS_DEFAULT_LOSSES_FRACTION: float = float(pvlib.pvsystem.pvwatts_losses()) / 100.0

#: Default elements per chunk (time steps x columns): 500,000 float64 elements are 4 MB per
#: temporary, which keeps the ~40 temporaries of the chain cache-friendly and memory bounded
#: (fastest of 0.1 M to 2 M on the 1,000-site benchmark).
DEFAULT_CHUNK_ELEMENTS: int = 500_000


@dataclass(frozen=True)
class PVArray:
    """One plane of modules: orientation, mounting and its share of the site's kWp.

    Parameters
    ----------
    tilt_deg
        Tilt from horizontal [deg], 0 to 90.
    azimuth_deg
        Azimuth the modules face [deg], clockwise from north, 180 = south (pvlib convention).
    mounting
        ``"rows"`` (tilted rows on a flat roof, open rack), ``"flush"`` (on a pitched roof,
        close mount) or ``"ground"`` (open rack).
    share
        Fraction of the site's DC rating on this array, 0 to 1.
    """

    tilt_deg: float
    azimuth_deg: float = 180.0
    mounting: MountingKind = "rows"
    share: float = 1.0

    def __post_init__(self) -> None:
        check_range("tilt_deg", self.tilt_deg, 0.0, 90.0, unit="deg")
        check_range(
            "azimuth_deg", self.azimuth_deg, 0.0, 360.0, unit="deg", fix="Use 180 for south."
        )
        check_range("share", self.share, 0.0, 1.0)
        if self.mounting not in MOUNTING_KINDS:
            raise PeakzeroError(
                f"mounting = {self.mounting!r} is not known: allowed {', '.join(MOUNTING_KINDS)}.",
                field="mounting",
            )


@dataclass(frozen=True)
class PVSystem:
    """A PV system per kWp: its arrays and electrical/loss parameters.

    Parameters
    ----------
    arrays
        One or more :class:`PVArray`; their shares must add up to 1.
    gamma_pdc_per_c
        Temperature coefficient of DC power [1/deg C]. Default -0.0029: TOPCon module
        datasheets state -0.29 %/deg C for Pmax (e.g. Jinko Tiger Neo, Trina Vertex N)
        [unverified: typical datasheet value, editable default].
    dc_ac_ratio
        DC rating / inverter AC rating [-], 0.5 to 2.5.
    losses_fraction
        DC system losses [-], 0 to 0.9. Default: PVWatts v5 defaults, 14.08 %.
    eta_inverter_nom
        Nominal inverter efficiency [-] (PVWatts v5 default 0.96).
    iam_model
        Angle-of-incidence modifier applied to the beam: ``"physical"`` or ``"ashrae"``.
    albedo
        Ground reflectance [-] (pvlib default 0.25).
    """

    arrays: tuple[PVArray, ...] = field(default_factory=lambda: (PVArray(25.0),))
    gamma_pdc_per_c: float = -0.0029
    dc_ac_ratio: float = 1.2
    losses_fraction: float = PVWATTS_DEFAULT_LOSSES_FRACTION
    eta_inverter_nom: float = 0.96
    iam_model: IamModel = "physical"
    albedo: float = 0.25

    def __post_init__(self) -> None:
        if not self.arrays:
            raise PeakzeroError("arrays is empty: give at least one PV array.", field="arrays")
        total = sum(a.share for a in self.arrays)
        if abs(total - 1.0) > 1e-6:
            raise PeakzeroError(
                f"array shares add up to {total:g}: they must add up to 1.", field="share"
            )
        check_range("gamma_pdc_per_c", self.gamma_pdc_per_c, -0.01, 0.0, unit="1/deg C")
        check_range("dc_ac_ratio", self.dc_ac_ratio, 0.5, 2.5)
        check_range("losses_fraction", self.losses_fraction, 0.0, 0.9)
        check_range("eta_inverter_nom", self.eta_inverter_nom, 0.5, 1.0)
        check_range("albedo", self.albedo, 0.0, 1.0)
        if self.iam_model not in ("physical", "ashrae"):
            raise PeakzeroError(
                f"iam_model = {self.iam_model!r}: allowed physical, ashrae.", field="iam_model"
            )

    @classmethod
    def single(
        cls,
        tilt_deg: float,
        azimuth_deg: float = 180.0,
        mounting: MountingKind = "rows",
        **kwargs: float | str,
    ) -> PVSystem:
        """A system with one array (all kWp on one plane)."""
        array = PVArray(tilt_deg, azimuth_deg, mounting)
        return cls((array,), **kwargs)  # type: ignore[arg-type]


def _column(values: ArrayLike, n: int, name: str) -> FloatArray:
    """Broadcast a scalar or length-n vector to shape (1, n)."""
    arr = np.atleast_1d(np.asarray(values, dtype=float))
    if arr.ndim != 1 or arr.size not in (1, n):
        raise PeakzeroError(f"{name} has {arr.size} values; expected 1 or {n}.", field=name)
    return np.broadcast_to(arr, (n,))[None, :].copy()


def _matrix(values: ArrayLike, t: int, n: int, name: str) -> FloatArray:
    """Shape scalar, (T,) or (T, N) weather as (T, 1) or (T, N)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        return np.full((t, 1), float(arr))
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != t or arr.shape[1] not in (1, n):
        raise PeakzeroError(
            f"{name} has shape {arr.shape}; expected ({t},) or ({t}, 1) or ({t}, {n}).",
            field=name,
        )
    return arr


@dataclass(frozen=True)
class _SystemColumns:
    """Per-column (1, N) parameters of N systems, array slot k in lists."""

    tilt: list[FloatArray]
    azimuth: list[FloatArray]
    share: list[FloatArray]
    sapm_a: list[FloatArray]
    sapm_b: list[FloatArray]
    sapm_dt: list[FloatArray]
    gamma: FloatArray
    loss: FloatArray
    inverter_pdc0: FloatArray
    eta_nom: FloatArray
    albedo: FloatArray
    iam_model: IamModel


def _system_columns(systems: Sequence[PVSystem], n: int) -> _SystemColumns:
    if len(systems) not in (1, n):
        raise PeakzeroError(f"{len(systems)} systems for {n} columns: give 1 or {n}.")
    systems = list(systems) * n if len(systems) == 1 else list(systems)
    iam_models = {s.iam_model for s in systems}
    if len(iam_models) != 1:
        raise PeakzeroError("all systems in one call must use the same iam_model.")
    n_slots = max(len(s.arrays) for s in systems)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]
    out: dict[str, list[FloatArray]] = {
        k: [] for k in ("tilt", "azimuth", "share", "sapm_a", "sapm_b", "sapm_dt")
    }
    for k in range(n_slots):
        arrays = [s.arrays[k] if k < len(s.arrays) else None for s in systems]
        cfg = [params[SAPM_CONFIG[a.mounting if a else "rows"]] for a in arrays]
        out["tilt"].append(np.array([[a.tilt_deg if a else 0.0 for a in arrays]]))
        out["azimuth"].append(np.array([[a.azimuth_deg if a else 180.0 for a in arrays]]))
        out["share"].append(np.array([[a.share if a else 0.0 for a in arrays]]))
        out["sapm_a"].append(np.array([[c["a"] for c in cfg]]))
        out["sapm_b"].append(np.array([[c["b"] for c in cfg]]))
        out["sapm_dt"].append(np.array([[c["deltaT"] for c in cfg]]))

    def vec(values: list[float]) -> FloatArray:
        return np.array([values], dtype=float)

    eta = vec([s.eta_inverter_nom for s in systems])
    return _SystemColumns(
        **out,
        gamma=vec([s.gamma_pdc_per_c for s in systems]),
        loss=vec([s.losses_fraction for s in systems]),
        # PVWatts inverter: DC input rating = AC rating / nominal efficiency, per kWp DC.
        inverter_pdc0=1.0 / (vec([s.dc_ac_ratio for s in systems]) * eta),
        eta_nom=eta,
        albedo=vec([s.albedo for s in systems]),
        iam_model=systems[0].iam_model,
    )


def _chain_block(
    sun: tuple[FloatArray, FloatArray, FloatArray],
    dni_extra: FloatArray,
    weather: dict[str, FloatArray],
    cols: _SystemColumns,
    ni: NDArray[np.intp],
) -> tuple[FloatArray, FloatArray]:
    """Run steps 2-8 on a (R, C) block: R time steps x the C columns ``ni``.

    ``sun`` holds apparent zenith [deg], azimuth [deg] and relative air mass [-], each (R, C).
    Returns AC [kW/kWp] and share-weighted POA global [W/m2], each (R, C).
    """
    app_zen, azi, airmass = sun
    ghi, dni, dhi = weather["ghi"], weather["dni"], weather["dhi"]
    temp_air, wind_speed = weather["temp_air"], weather["wind_speed"]
    dc = np.zeros(app_zen.shape)
    poa_weighted = np.zeros(app_zen.shape)
    for k in range(len(cols.tilt)):
        tilt, azimuth, share = cols.tilt[k][:, ni], cols.azimuth[k][:, ni], cols.share[k][:, ni]
        # pvlib.irradiance.get_total_irradiance(model="perez") spelled out so that the angle of
        # incidence is computed once and shared with the IAM.
        aoi = pvlib.irradiance.aoi(tilt, azimuth, app_zen, azi)
        sky = pvlib.irradiance.perez(tilt, azimuth, dhi, dni, dni_extra, app_zen, azi, airmass)
        ground = pvlib.irradiance.get_ground_diffuse(tilt, ghi, cols.albedo[:, ni])
        irr = pvlib.irradiance.poa_components(aoi, dni, sky, ground)
        iam = pvlib.iam.physical(aoi) if cols.iam_model == "physical" else pvlib.iam.ashrae(aoi)
        poa_global = np.nan_to_num(np.asarray(irr["poa_global"], dtype=float))
        effective = np.nan_to_num(irr["poa_direct"] * iam + irr["poa_diffuse"])
        t_cell = pvlib.temperature.sapm_cell(
            poa_global,
            temp_air,
            wind_speed,
            cols.sapm_a[k][:, ni],
            cols.sapm_b[k][:, ni],
            cols.sapm_dt[k][:, ni],
        )
        dc += share * pvlib.pvsystem.pvwatts_dc(effective, t_cell, 1.0, cols.gamma[:, ni])
        poa_weighted += share * poa_global
    dc *= 1.0 - cols.loss[:, ni]
    ac = pvlib.inverter.pvwatts(dc, cols.inverter_pdc0[:, ni], cols.eta_nom[:, ni])
    return np.asarray(np.maximum(np.nan_to_num(ac), 0.0), dtype=float), poa_weighted


def _block(
    values: FloatArray,
    rows: NDArray[np.intp],
    ni: NDArray[np.intp],
    flat: NDArray[np.intp],
    shape: tuple[int, int],
) -> FloatArray:
    """Rows ``rows`` x columns ``ni`` of (T, 1) or (T, N) weather; ``flat`` indexes (T, N)."""
    if values.shape[1] == 1:
        return values[rows]
    if values.flags.c_contiguous:
        return values.ravel().take(flat).reshape(shape)
    return values[:, ni][rows]


def simulate_ac_kw_per_kwp(
    index: pd.DatetimeIndex,
    latitude_deg: ArrayLike,
    longitude_deg: ArrayLike,
    elevation_m: ArrayLike,
    ghi: ArrayLike,
    dni: ArrayLike,
    dhi: ArrayLike,
    temp_air: ArrayLike,
    wind_speed: ArrayLike,
    systems: PVSystem | Sequence[PVSystem],
    *,
    interval_minutes: float = 60.0,
    solar_offset_minutes: float | None = None,
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS,
) -> tuple[FloatArray, FloatArray]:
    """AC power per kWp DC for N columns (sites and/or systems) in one call.

    Column ``n`` uses site ``n`` (or the one site) and system ``n`` (or the one system);
    weather may be ``(T,)`` (one site, many systems) or ``(T, N)``.

    Parameters
    ----------
    index
        Interval-beginning labels, tz-aware, length T; the sun is evaluated at
        ``index + solar_offset_minutes``.
    latitude_deg, longitude_deg, elevation_m
        Site coordinates, scalar or length N [deg], [deg], [m].
    ghi, dni, dhi
        Irradiance [W/m2], (T,) or (T, N).
    temp_air
        Air temperature [deg C], (T,) or (T, N).
    wind_speed
        Wind speed at 10 m [m/s], (T,) or (T, N).
    systems
        One :class:`PVSystem` or N of them.
    interval_minutes
        Length of each interval [min].
    solar_offset_minutes
        Minutes after each label at which the irradiance is centred, where the sun is placed
        [min]; ``None`` (default) is the interval midpoint. Bundled CSWD weather is centred on
        its labels: pass :attr:`peakzero.weather.Weather.solar_position_offset_minutes`.
    chunk_elements
        Approximate T x columns per chunk (memory bound: about 40 temporaries of this size
        per worker).

    Returns
    -------
    ac_kw_per_kwp, poa_global_w_per_m2
        Mean AC power over each interval per kWp DC [kW/kWp], (T, N); share-weighted POA
        global irradiance [W/m2], (T, N).
    """
    systems_seq = [systems] if isinstance(systems, PVSystem) else list(systems)
    t = len(index)
    sizes = [np.size(latitude_deg), np.size(longitude_deg), np.size(elevation_m), len(systems_seq)]
    for values in (ghi, dni, dhi, temp_air, wind_speed):
        arr = np.asarray(values)
        sizes.append(arr.shape[1] if arr.ndim == 2 else 1)
    n = max(sizes)
    lat = _column(latitude_deg, n, "latitude_deg")
    lon = _column(longitude_deg, n, "longitude_deg")
    elev = _column(elevation_m, n, "elevation_m")
    weather = {
        name: _matrix(values, t, n, name)
        for name, values in (
            ("ghi", ghi),
            ("dni", dni),
            ("dhi", dhi),
            ("temp_air", temp_air),
            ("wind_speed", wind_speed),
        )
    }
    cols = _system_columns(systems_seq, n)
    if solar_offset_minutes is None:
        times = interval_midpoints(index, interval_minutes)
    else:
        times = index + pd.Timedelta(minutes=solar_offset_minutes)
    terms = spa_time_terms(times, 67.0)
    # Day of year in UTC as pvlib takes it from an index (tools._pandas_to_doy), passed as
    # numbers to avoid pandas' deprecated DatetimeIndex.dayofyear inside pvlib.
    utc = times.tz_convert("UTC") if times.tz is not None else times
    doy = np.asarray(utc.day_of_year, dtype=float)
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(doy), dtype=float)[:, None]
    geometry = SiteGeometry.of(lat, lon, elev)
    location = location_labels(lat[0], lon[0], elev[0])

    ac = np.zeros((t, n))
    poa = np.zeros((t, n))
    step = max(1, chunk_elements // max(t, 1))
    # Hours in which a column has light; with ghi = dni = dhi = 0 the chain gives exactly
    # 0 kW, so only rows in which some column of a chunk is lit are computed, the rest stay 0.
    lit = (weather["ghi"] > 0) | (weather["dni"] > 0) | (weather["dhi"] > 0)
    # Columns are processed in order of longitude (then location) so that the columns of a
    # chunk see daylight in about the same hours and columns at one location (which share the
    # solar position, see peakzero.solar.sun.block_sun) fall in the same chunk.
    order = np.lexsort((location, lon[0]))
    for start in range(0, n, step):
        ni = np.sort(order[start : start + step])
        rows = np.flatnonzero((lit if lit.shape[1] == 1 else lit[:, ni]).any(axis=1))
        if rows.size == 0:
            continue
        # Flat element indices of the (rows, ni) block: gathering and scattering through them
        # is 2-3x faster than ``np.ix_`` indexing of the (T, N) arrays.
        flat = (rows[:, None] * n + ni[None, :]).ravel()
        shape = (rows.size, ni.size)
        w = {k: _block(v, rows, ni, flat, shape) for k, v in weather.items()}
        sun = block_sun(terms, rows, geometry.take(ni), location[ni], w["temp_air"])
        ac_b, poa_b = _chain_block(sun, dni_extra[rows], w, cols, ni)
        ac.ravel()[flat] = ac_b.ravel()
        poa.ravel()[flat] = poa_b.ravel()
    return ac, poa
