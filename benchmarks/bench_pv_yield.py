"""Hourly PV yield for 1,000 sites x 8,760 h: peakzero's vectorised engine vs a pvlib loop.

Sites are the bundled CSWD stations cycled to 1,000 (each with its own weather, location and
one of four orientations). The peer is a loop of ``pvlib.modelchain.ModelChain.with_pvwatts``
(Perez, physical IAM, SAPM open-rack temperature, PVWatts DC/losses/inverter: the same model
choices as the engine) timed on the first ``LOOP_SITES`` sites and scaled per site-year; both
run in this same process on the same inputs. Peak memory of the engine call is measured with
tracemalloc in a second, separate call (tracing slows allocation, so it is not timed).
"""

from __future__ import annotations

import time
import tracemalloc
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pvlib
from pandas.errors import Pandas4Warning

from peakzero.solar import PVSystem, simulate_ac_kw_per_kwp
from peakzero.solar.model import SAPM_CONFIG
from peakzero.weather import list_stations, station_weather

N_SITES = 1000
LOOP_SITES = 50
ORIENTATIONS = [(25.0, 180.0), (10.0, 90.0), (10.0, 270.0), (30.0, 200.0)]
COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")


def _inputs() -> tuple[pd.DatetimeIndex, list[Any], list[PVSystem], dict[str, np.ndarray]]:
    stations = list_stations()
    weathers = {s.wmo_id: station_weather(s) for s in stations}
    sites = [stations[i % len(stations)] for i in range(N_SITES)]
    systems = [PVSystem.single(*ORIENTATIONS[i % len(ORIENTATIONS)]) for i in range(N_SITES)]
    index = pd.DatetimeIndex(weathers[sites[0].wmo_id].data.index)
    arrays = {
        c: np.column_stack([weathers[s.wmo_id].data[c].to_numpy(dtype=float) for s in sites])
        for c in COLUMNS
    }
    return index, sites, systems, arrays


def _engine(
    index: pd.DatetimeIndex, sites: list[Any], systems: list[PVSystem], arrays: dict[str, Any]
) -> np.ndarray:
    ac, _ = simulate_ac_kw_per_kwp(
        index,
        [s.latitude_deg for s in sites],
        [s.longitude_deg for s in sites],
        [s.elevation_m for s in sites],
        arrays["ghi"],
        arrays["dni"],
        arrays["dhi"],
        arrays["temp_air"],
        arrays["wind_speed"],
        systems,
    )
    return ac


def _modelchain(
    index: pd.DatetimeIndex, site: Any, system: PVSystem, arrays: dict[str, Any], j: int
) -> np.ndarray:
    a = system.arrays[0]
    pv = pvlib.pvsystem.PVSystem(
        surface_tilt=a.tilt_deg,
        surface_azimuth=a.azimuth_deg,
        module_parameters={"pdc0": 1.0, "gamma_pdc": system.gamma_pdc_per_c},
        inverter_parameters={"pdc0": 1.0 / (system.dc_ac_ratio * system.eta_inverter_nom)},
        temperature_model_parameters=pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
            SAPM_CONFIG[a.mounting]
        ],
    )
    location = pvlib.location.Location(
        site.latitude_deg, site.longitude_deg, tz="Etc/GMT-8", altitude=site.elevation_m
    )
    mc = pvlib.modelchain.ModelChain.with_pvwatts(pv, location)
    weather = pd.DataFrame(
        {c: arrays[c][:, j] for c in COLUMNS}, index=index + pd.Timedelta(minutes=30)
    )
    mc.run_model(weather)
    return np.asarray(mc.results.ac.fillna(0.0).clip(lower=0.0), dtype=float)


def run() -> dict[str, Any]:
    """Time both and return throughputs, the ratio, agreement and peak memory."""
    index, sites, systems, arrays = _inputs()
    t = len(index)

    started, cpu = time.perf_counter(), time.process_time()
    ac = _engine(index, sites, systems, arrays)
    engine_s, engine_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Pandas4Warning)  # pvlib's own dayofyear call
        loop = [_modelchain(index, sites[j], systems[j], arrays, j) for j in range(LOOP_SITES)]
    loop_s, loop_cpu = time.perf_counter() - started, time.process_time() - cpu

    max_diff = float(np.abs(np.column_stack(loop) - ac[:, :LOOP_SITES]).max())

    tracemalloc.start()
    _engine(index, sites, systems, arrays)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    inputs_mb = sum(a.nbytes for a in arrays.values()) / 1e6

    engine_ms = engine_s / N_SITES * 1e3
    loop_ms = loop_s / LOOP_SITES * 1e3
    engine_cpu_ms = engine_cpu / N_SITES * 1e3
    loop_cpu_ms = loop_cpu / LOOP_SITES * 1e3
    return {
        "sites": N_SITES,
        "hours": t,
        "engine_wall_seconds": round(engine_s, 3),
        "engine_site_years_per_s": round(N_SITES / engine_s, 1),
        "engine_ms_per_site_year": round(engine_ms, 3),
        "engine_cpu_ms_per_site_year": round(engine_cpu_ms, 3),
        "modelchain_loop_sites_timed": LOOP_SITES,
        "modelchain_loop_wall_seconds": round(loop_s, 3),
        "modelchain_site_years_per_s": round(LOOP_SITES / loop_s, 2),
        "modelchain_ms_per_site_year": round(loop_ms, 3),
        "modelchain_cpu_ms_per_site_year": round(loop_cpu_ms, 3),
        "speedup_wall": round(loop_ms / engine_ms, 1),
        "speedup_cpu": round(loop_cpu_ms / engine_cpu_ms, 1),
        "goal_speedup": 30,
        "max_abs_diff_kw_per_kwp_on_loop_sites": max_diff,
        "engine_peak_traced_memory_mb": round(peak / 1e6, 1),
        "weather_inputs_mb": round(inputs_mb, 1),
        "note": (
            "ModelChain loop timed on the first 50 sites and scaled per site-year; engine on "
            "all 1,000 sites in one call (chunked). Both are single-threaded, so the CPU-time "
            "ratio (process_time) is the robust figure on a shared machine; wall time is also "
            "given. Peak memory = tracemalloc peak of a second engine call, excluding the "
            "weather inputs that already exist."
        ),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
