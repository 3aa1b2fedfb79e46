"""Loss breakdown from irradiance to AC, as PVsyst's loss diagram shows it.

The steps are those of the yield chain of :mod:`peakzero.solar.model` (the engine), evaluated
with pvlib's public functions on the same inputs and parameters, and summed over the year after
each step:

1. global horizontal irradiation (GHI) [kWh/m2];
2. plane-of-array irradiation after Perez transposition (``pvlib.irradiance.get_total_irradiance``
   components as the engine composes them) [kWh/m2]: the transposition gain;
3. effective irradiation after the angle-of-incidence modifier on the beam (``pvlib.iam``)
   [kWh/m2];
4. nominal DC energy at STC efficiency: effective irradiation x kWp / (1 kW/m2) [kWh];
5. DC after the cell temperature (SAPM cell temperature, PVWatts DC with the temperature
   coefficient) [kWh];
6. DC after the system losses (soiling, shading, mismatch, wiring, LID, nameplate,
   availability; one fraction, PVWatts v5) [kWh];
7. AC after the inverter's part-load efficiency (PVWatts v5 inverter curve, unclipped) [kWh];
8. AC after clipping at the inverter's AC rating (DC/AC ratio) [kWh]: the engine's annual AC;
9. AC delivered after curtailment (zero export: PV the site can neither use, store nor export),
   when the curtailed energy is given [kWh].

Each step's energy divided by the previous one is its factor; the factors multiply to the
final energy exactly (they are ratios of the same sums). The tests check that step 8 equals the
engine's annual AC within a stated tolerance (the two differ only in solar-position arithmetic).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
from numpy.typing import ArrayLike

from peakzero.errors import PeakzeroError, check_range
from peakzero.solar.model import SAPM_CONFIG, FloatArray, PVSystem
from peakzero.solar.sun import interval_midpoints
from peakzero.weather import Weather

#: Delta T (TT - UT1) the engine passes to SPA [s] (see peakzero.solar.model).
DELTA_T_S = 67.0

#: PVWatts v5 reference inverter efficiency (``pvlib.inverter.pvwatts`` default ``eta_inv_ref``).
ETA_INV_REF = 0.9637

#: Steps of the waterfall, in order: (key, unit).
STEPS: tuple[tuple[str, str], ...] = (
    ("ghi", "kWh/m2"),
    ("poa_transposed", "kWh/m2"),
    ("poa_after_iam", "kWh/m2"),
    ("dc_nominal", "kWh"),
    ("dc_after_temperature", "kWh"),
    ("dc_after_system_losses", "kWh"),
    ("ac_after_inverter_efficiency", "kWh"),
    ("ac_after_clipping", "kWh"),
    ("ac_after_curtailment", "kWh"),
)


def _col(values: ArrayLike, name: str, t: int) -> FloatArray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    if arr.size != t:
        raise PeakzeroError(
            f"{name} has {arr.size} values; expected {t} like the index", field=name
        )
    return arr


def loss_waterfall(
    index: pd.DatetimeIndex,
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float,
    ghi: ArrayLike,
    dni: ArrayLike,
    dhi: ArrayLike,
    temp_air: ArrayLike,
    wind_speed: ArrayLike,
    system: PVSystem,
    *,
    kwp: float = 1.0,
    curtailed_kwh: float = 0.0,
    interval_minutes: float = 60.0,
    solar_offset_minutes: float | None = None,
) -> pd.DataFrame:
    """Energy after each loss step over the period (see the module docstring).

    Parameters
    ----------
    index
        Interval-beginning labels, tz-aware (China Standard Time), length T.
    latitude_deg, longitude_deg, elevation_m
        Site [deg], [deg], [m].
    ghi, dni, dhi
        Irradiance [W/m2], (T,).
    temp_air, wind_speed
        Air temperature [deg C] and wind speed [m/s], (T,).
    system
        The PV system, as given to the engine.
    kwp
        DC rating [kWp] the energies are for (irradiation rows stay per m2).
    curtailed_kwh
        PV energy curtailed over the period [kWh] (from the dispatch), 0 to the clipped AC.
    interval_minutes, solar_offset_minutes
        As for :func:`peakzero.solar.model.simulate_ac_kw_per_kwp`.

    Returns
    -------
    pandas.DataFrame
        One row per step of :data:`STEPS` (indexed by key) with ``value`` (energy or
        irradiation), ``unit``, ``factor`` (value / previous value; for ``dc_nominal`` the
        kWp x 1 m2/kW conversion is not a loss and its factor is 1) and ``change_fraction``
        (factor - 1: positive is a gain, negative a loss).
    """
    check_range("kwp", kwp, 0.0, 1e7, unit="kWp")
    t = len(index)
    ghi_a, dni_a, dhi_a = (_col(v, n, t) for v, n in ((ghi, "ghi"), (dni, "dni"), (dhi, "dhi")))
    air = _col(temp_air, "temp_air", t)
    wind = _col(wind_speed, "wind_speed", t)
    if solar_offset_minutes is None:
        times = interval_midpoints(index, interval_minutes)
    else:
        times = index + pd.Timedelta(minutes=solar_offset_minutes)
    sun = pvlib.solarposition.get_solarposition(
        times,
        latitude_deg,
        longitude_deg,
        altitude=elevation_m,
        temperature=air,
        method="nrel_numpy",
        delta_t=DELTA_T_S,
    )
    app_zen = sun["apparent_zenith"].to_numpy(dtype=float)
    azi = sun["azimuth"].to_numpy(dtype=float)
    airmass = np.asarray(
        pvlib.atmosphere.get_relative_airmass(app_zen, model="kastenyoung1989"), dtype=float
    )
    utc = times.tz_convert("UTC") if times.tz is not None else times
    dni_extra = np.asarray(
        pvlib.irradiance.get_extra_radiation(np.asarray(utc.day_of_year, dtype=float)),
        dtype=float,
    )
    # the engine computes only hours with light; elsewhere its output is exactly 0
    lit = (ghi_a > 0) | (dni_a > 0) | (dhi_a > 0)

    poa = np.zeros(t)
    effective_weighted = np.zeros(t)
    dc_temp = np.zeros(t)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]
    for array in system.arrays:
        aoi = pvlib.irradiance.aoi(array.tilt_deg, array.azimuth_deg, app_zen, azi)
        sky = pvlib.irradiance.perez(
            array.tilt_deg, array.azimuth_deg, dhi_a, dni_a, dni_extra, app_zen, azi, airmass
        )
        ground = pvlib.irradiance.get_ground_diffuse(array.tilt_deg, ghi_a, system.albedo)
        irr = pvlib.irradiance.poa_components(aoi, dni_a, sky, ground)
        iam = pvlib.iam.physical(aoi) if system.iam_model == "physical" else pvlib.iam.ashrae(aoi)
        poa_global = np.where(lit, np.nan_to_num(np.asarray(irr["poa_global"], dtype=float)), 0.0)
        effective = np.where(
            lit, np.nan_to_num(np.asarray(irr["poa_direct"] * iam + irr["poa_diffuse"])), 0.0
        )
        p = params[SAPM_CONFIG[array.mounting]]
        t_cell = pvlib.temperature.sapm_cell(poa_global, air, wind, p["a"], p["b"], p["deltaT"])
        dc = pvlib.pvsystem.pvwatts_dc(effective, t_cell, 1.0, system.gamma_pdc_per_c)
        poa += array.share * poa_global
        effective_weighted += array.share * effective
        dc_temp += array.share * np.asarray(dc, dtype=float)
    dc_sys = dc_temp * (1.0 - system.losses_fraction)
    # PVWatts v5 inverter (pvlib.inverter.pvwatts, Dobos 2014) split into its efficiency curve
    # and its clip at pac0 = eta_nom x pdc0, per kWp DC: pdc0 = 1 / (DC/AC x eta_nom).
    pdc0 = 1.0 / (system.dc_ac_ratio * system.eta_inverter_nom)
    zeta = dc_sys / pdc0
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = (system.eta_inverter_nom / ETA_INV_REF) * (
            -0.0162 * zeta - np.where(dc_sys != 0, 0.0059 / zeta, 0.0) + 0.9858
        )
    ac_unclipped = np.maximum(np.nan_to_num(eta * dc_sys), 0.0)
    ac = np.maximum(np.minimum(ac_unclipped, system.eta_inverter_nom * pdc0), 0.0)

    h = interval_minutes / 60.0
    kwh = h / 1000.0  # W/m2 x h -> kWh/m2
    ac_kwh = float(ac.sum() * h * kwp)
    if not 0.0 <= curtailed_kwh <= ac_kwh * (1 + 1e-9):
        raise PeakzeroError(
            f"curtailed_kwh = {curtailed_kwh:g} kWh is out of range: allowed 0 to the annual AC "
            f"{ac_kwh:.1f} kWh; pass the dispatch's curtailed PV energy for this kWp",
            field="curtailed_kwh",
        )
    values = [
        float(ghi_a.sum() * kwh),
        float(poa.sum() * kwh),
        float(effective_weighted.sum() * kwh),
        float(effective_weighted.sum() * kwh * kwp),  # x kWp / (1 kW/m2)
        float(dc_temp.sum() * h * kwp),
        float(dc_sys.sum() * h * kwp),
        float(ac_unclipped.sum() * h * kwp),
        ac_kwh,
        ac_kwh - curtailed_kwh,
    ]
    frame = pd.DataFrame(
        {"value": values, "unit": [u for _, u in STEPS]},
        index=pd.Index([k for k, _ in STEPS], name="step"),
    )
    previous = np.r_[np.nan, values[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(previous > 0, np.asarray(values) / previous, np.nan)
    factor[3] = 1.0  # irradiation -> energy at STC efficiency: a unit change, not a loss
    frame["factor"] = factor
    frame["change_fraction"] = factor - 1.0
    return frame


def weather_loss_waterfall(
    weather: Weather,
    system: PVSystem,
    *,
    kwp: float = 1.0,
    curtailed_kwh: float = 0.0,
) -> pd.DataFrame:
    """:func:`loss_waterfall` on a :class:`peakzero.weather.Weather` (its station and data)."""
    st, d = weather.station, weather.data
    return loss_waterfall(
        pd.DatetimeIndex(d.index),
        st.latitude_deg,
        st.longitude_deg,
        st.elevation_m,
        d["ghi"].to_numpy(dtype=float),
        d["dni"].to_numpy(dtype=float),
        d["dhi"].to_numpy(dtype=float),
        d["temp_air"].to_numpy(dtype=float),
        d["wind_speed"].to_numpy(dtype=float),
        system,
        kwp=kwp,
        curtailed_kwh=curtailed_kwh,
        interval_minutes=float(weather.interval_minutes),
        solar_offset_minutes=weather.solar_position_offset_minutes,
    )
