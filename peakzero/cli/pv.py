"""`peakzero pv ...` commands: annual and hourly PV yield of a site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape

from peakzero.cli._output import (
    check_output_file,
    console,
    print_json,
    print_table,
    write_text_atomic,
)
from peakzero.errors import PeakzeroError, check_range
from peakzero.solar import PVArray, PVSystem, default_tilt_deg, pv_profile
from peakzero.solar.model import MOUNTING_KINDS, PVWATTS_DEFAULT_LOSSES_FRACTION
from peakzero.weather import (
    Station,
    Weather,
    find_station,
    nearest_station,
    read_weather_file,
    station_weather,
)

app = typer.Typer(
    rich_markup_mode=None,
    help="PV yield (pvlib: Perez, SAPM temperature, PVWatts DC/AC).",
    no_args_is_help=True,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class SiteWeather:
    """Weather resolved from the CLI options, with the site-to-station distance."""

    weather: Weather
    distance_km: float
    warning: str | None


def resolve_weather(
    station: str | None,
    lat: float | None,
    lon: float | None,
    weather_file: Path | None,
    year: int | None = None,
) -> SiteWeather:
    """Turn ``--station`` / ``--lat --lon`` / ``--weather FILE`` into weather (one source)."""
    if (lat is None) != (lon is None):
        raise PeakzeroError("give both --lat and --lon (decimal degrees).", field="lat/lon")
    if lat is not None and lon is not None:
        check_range("latitude", lat, -90.0, 90.0, unit="deg", fix="Use decimal degrees north.")
        check_range("longitude", lon, -180.0, 180.0, unit="deg", fix="Use decimal degrees east.")
    sources = [station is not None, weather_file is not None, lat is not None and not weather_file]
    if sum(sources) != 1:
        raise PeakzeroError(
            "give exactly one weather source: --station NAME, --lat LAT --lon LON, or "
            "--weather FILE (with --lat/--lon if the file has no location).",
            field="station",
        )
    if year is not None:
        check_range("year", year, 1900, 2100)
    if weather_file is not None:
        if not weather_file.is_file():
            raise PeakzeroError(f"weather = {str(weather_file)!r}: no such file.", field="weather")
        w = read_weather_file(weather_file, latitude_deg=lat, longitude_deg=lon, year=year)
        return SiteWeather(w, 0.0, None)
    if station is not None:
        return SiteWeather(station_weather(find_station(station), year or 2023), 0.0, None)
    assert lat is not None and lon is not None
    match = nearest_station(lat, lon)
    weather = station_weather(match.station, year or 2023)
    return SiteWeather(weather, match.distance_km, match.warning)


def warn(message: str | None) -> None:
    """Print a warning on stderr (never on stdout, which may carry JSON)."""
    if message:
        Console(stderr=True).print(f"[yellow]warning:[/] {escape(message)}", highlight=False)


def station_json(station: Station) -> dict[str, Any]:
    """The station as stable JSON keys."""
    return {
        "name": station.name,
        "province": station.province,
        "wmo_id": station.wmo_id,
        "latitude_deg": station.latitude_deg,
        "longitude_deg": station.longitude_deg,
        "elevation_m": station.elevation_m,
    }


def _parse_arrays(specs: list[str], mounting: str) -> tuple[PVArray, ...]:
    arrays = []
    for spec in specs:
        parts = spec.split(":")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 3:
            raise PeakzeroError(
                f"array = {spec!r}: expected TILT:AZIMUTH:SHARE, e.g. 10:90:0.5 for half the kWp "
                "on an east face at 10 deg.",
                field="array",
            )
        arrays.append(PVArray(values[0], values[1], mounting, values[2]))  # type: ignore[arg-type]
    return tuple(arrays)


def write_csv_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV so that nothing half-written is left on error."""
    write_text_atomic(frame.to_csv(index=False), path)


@app.command("yield")
def yield_(
    kwp: Annotated[float, typer.Option("--kwp", help="DC rating [kWp].")],
    station: Annotated[
        str | None, typer.Option("--station", help="Bundled station name or WMO id.")
    ] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Site latitude [deg N].")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Site longitude [deg E].")] = None,
    weather_file: Annotated[
        Path | None, typer.Option("--weather", help="EPW, TMY3 or CSV weather file.")
    ] = None,
    tilt: Annotated[
        float | None,
        typer.Option("--tilt", help="Tilt [deg]; default 0.9 x latitude (within 5-45)."),
    ] = None,
    azimuth: Annotated[
        float, typer.Option("--azimuth", help="Azimuth [deg], clockwise from north, 180 = south.")
    ] = 180.0,
    array: Annotated[
        list[str] | None,
        typer.Option(
            "--array", help="TILT:AZIMUTH:SHARE, repeat for several faces (replaces --tilt)."
        ),
    ] = None,
    mounting: Annotated[
        str, typer.Option("--mounting", help="rows (flat roof), flush (pitched roof) or ground.")
    ] = "rows",
    dc_ac_ratio: Annotated[
        float, typer.Option("--dc-ac-ratio", help="DC kWp / inverter AC kW.")
    ] = 1.2,
    losses: Annotated[
        float, typer.Option("--losses", help="DC system losses [%] (PVWatts default 14.08).")
    ] = round(PVWATTS_DEFAULT_LOSSES_FRACTION * 100, 2),
    gamma: Annotated[
        float, typer.Option("--gamma", help="Power temperature coefficient [%/deg C].")
    ] = -0.29,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Year to label a typical year with (default 2023)."),
    ] = None,
    hourly: Annotated[
        Path | None, typer.Option("--hourly", help="Write the hourly profile to this CSV.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Annual, monthly and hourly AC yield of a PV system."""
    check_range("kwp", kwp, 0.001, 1e7, unit="kWp", fix="Give the DC rating in kWp.")
    check_range("losses", losses, 0.0, 90.0, unit="%")
    if mounting not in MOUNTING_KINDS:
        raise PeakzeroError(
            f"mounting = {mounting!r}: allowed {', '.join(MOUNTING_KINDS)}.", field="mounting"
        )
    check_output_file(hourly, "--hourly")
    site = resolve_weather(station, lat, lon, weather_file, year)
    warn(site.warning)
    for note in site.weather.notes:
        warn(f"weather: {note}")
    st = site.weather.station
    if array:
        arrays = _parse_arrays(array, mounting)
    else:
        tilt_deg = default_tilt_deg(st.latitude_deg) if tilt is None else tilt
        arrays = (PVArray(tilt_deg, azimuth, mounting),)  # type: ignore[arg-type]
    system = PVSystem(
        arrays,
        gamma_pdc_per_c=gamma / 100.0,
        dc_ac_ratio=dc_ac_ratio,
        losses_fraction=losses / 100.0,
    )
    profile = pv_profile(site.weather, system, distance_km=site.distance_km)
    monthly = profile.monthly_ac_kwh_per_kwp * kwp
    if hourly is not None:
        frame = pd.DataFrame(
            {
                "timestamp": profile.index.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "ac_kw": profile.ac_kw_per_kwp * kwp,
                "ac_kw_per_kwp": profile.ac_kw_per_kwp,
            }
        )
        write_csv_atomic(frame, hourly)
    result: dict[str, Any] = {
        "annual_ac_kwh": profile.specific_yield_kwh_per_kwp * kwp,
        "specific_yield_kwh_per_kwp": profile.specific_yield_kwh_per_kwp,
        "monthly_ac_kwh": monthly.tolist(),
        "performance_ratio": profile.performance_ratio,
        "poa_insolation_kwh_per_m2": profile.poa_insolation_kwh_per_m2,
        "peak_ac_kw": profile.peak_ac_kw_per_kwp * kwp,
        "kwp": kwp,
        "station": station_json(st),
        "distance_km": site.distance_km,
        "weather_source": site.weather.source,
        "arrays": [
            {
                "tilt_deg": a.tilt_deg,
                "azimuth_deg": a.azimuth_deg,
                "mounting": a.mounting,
                "share": a.share,
            }
            for a in arrays
        ],
        "dc_ac_ratio": dc_ac_ratio,
        "losses_fraction": losses / 100.0,
        "gamma_pdc_per_c": gamma / 100.0,
        "hourly_file": str(hourly) if hourly is not None else None,
        "weather_notes": list(site.weather.notes),
    }
    if as_json:
        print_json(result)
        return
    faces = ", ".join(
        f"{a.tilt_deg:g} deg tilt / {a.azimuth_deg:g} deg az x {a.share:g}" for a in arrays
    )
    print_table(
        f"PV yield: {kwp:g} kWp at {st.name} ({st.province})",
        [
            ("weather station", f"{st.name} {st.wmo_id}, {site.distance_km:.1f} km"),
            ("arrays", f"{faces} ({mounting})"),
            ("annual AC energy", f"{result['annual_ac_kwh']:,.0f} kWh"),
            ("specific yield", f"{profile.specific_yield_kwh_per_kwp:,.1f} kWh/kWp"),
            ("POA insolation", f"{profile.poa_insolation_kwh_per_m2:,.0f} kWh/m2"),
            ("performance ratio", f"{profile.performance_ratio:.3f}"),
            ("peak AC power", f"{result['peak_ac_kw']:,.1f} kW"),
            *((f"  {m}", f"{v:,.0f} kWh") for m, v in zip(MONTHS, monthly, strict=True)),
        ],
    )
    if hourly is not None:
        console.print(f"hourly profile written to {hourly}")
