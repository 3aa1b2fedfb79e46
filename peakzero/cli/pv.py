"""`peakzero pv ...` commands: annual and hourly PV yield of a site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peakzero.cli._options import WEATHER_OPTIONS, options
from peakzero.cli._output import (
    check_output_file,
    console,
    print_json,
    print_table,
    warn,
    write_text_atomic,
)
from peakzero.errors import PeakzeroError, check_range

if TYPE_CHECKING:
    from peakzero.solar.summary import Face

app = typer.Typer(
    rich_markup_mode=None,
    help="PV yield (pvlib: Perez, SAPM temperature, PVWatts DC/AC).",
    no_args_is_help=True,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: PVWatts v5 default DC losses [%], ``peakzero.solar.PVWATTS_DEFAULT_LOSSES_FRACTION`` x 100
#: rounded (a literal here so that ``--help`` does not import pvlib; a test checks they agree).
DEFAULT_LOSSES_PERCENT = 14.08

#: Input field of ``pv yield`` -> its option.
YIELD_OPTIONS = {
    **WEATHER_OPTIONS,
    "kwp": "--kwp",
    "tilt_deg": "--tilt or --array",
    "azimuth_deg": "--azimuth or --array",
    "share": "--array",
    "mounting": "--mounting",
    "dc_ac_ratio": "--dc-ac-ratio",
    "losses_fraction": "--losses (in %)",
    "gamma_pdc_per_c": "--gamma (in %/deg C)",
}


def far_station_hint(warning: str | None) -> str | None:
    """The engine's far-station warning with the option that gives local weather."""
    return None if warning is None else f"{warning} (on the command line: --weather FILE)"


def _parse_faces(specs: list[str]) -> list[Face]:
    faces: list[Face] = []
    for spec in specs:
        parts = spec.split(":")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 3:
            raise PeakzeroError(
                f"--array {spec!r}: expected TILT:AZIMUTH:SHARE, e.g. 10:90:0.5 for half the kWp "
                "on an east face at 10 deg.",
                field="array",
            )
        faces.append((values[0], values[1], values[2]))
    return faces


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
    ] = DEFAULT_LOSSES_PERCENT,
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
    check_range("losses", losses, 0.0, 90.0, unit="%")
    check_output_file(hourly, "--hourly")
    faces = _parse_faces(array) if array else None
    from peakzero.solar.summary import pv_yield_summary
    from peakzero.weather import resolve_weather

    with options(YIELD_OPTIONS):
        site = resolve_weather(station, lat, lon, weather_file, year)
        summary = pv_yield_summary(
            kwp,
            site,
            faces=faces,
            tilt_deg=tilt,
            azimuth_deg=azimuth,
            mounting=mounting,
            dc_ac_ratio=dc_ac_ratio,
            losses_fraction=losses / 100.0,
            gamma_pdc_per_c=gamma / 100.0,
        )
    warn(far_station_hint(site.warning))
    for note in site.weather.notes:
        warn(f"weather: {note}")
    if hourly is not None:
        write_text_atomic(summary.hourly().to_csv(index=False), hourly)
    result: dict[str, Any] = {}
    for key, value in summary.to_dict().items():
        if key == "weather_notes":
            result["hourly_file"] = str(hourly) if hourly is not None else None
        result[key] = value
    if as_json:
        print_json(result)
        return
    st = site.weather.station
    profile = summary.profile
    arrays = profile.system.arrays
    faces_text = ", ".join(
        f"{a.tilt_deg:g} deg tilt / {a.azimuth_deg:g} deg az x {a.share:g}" for a in arrays
    )
    print_table(
        f"PV yield: {kwp:g} kWp at {st.name} ({st.province})",
        [
            ("weather station", f"{st.name} {st.wmo_id}, {site.distance_km:.1f} km"),
            ("arrays", f"{faces_text} ({mounting})"),
            ("annual AC energy", f"{result['annual_ac_kwh']:,.0f} kWh"),
            ("specific yield", f"{profile.specific_yield_kwh_per_kwp:,.1f} kWh/kWp"),
            ("POA insolation", f"{profile.poa_insolation_kwh_per_m2:,.0f} kWh/m2"),
            ("performance ratio", f"{profile.performance_ratio:.3f}"),
            ("peak AC power", f"{result['peak_ac_kw']:,.1f} kW"),
            *(
                (f"  {m}", f"{v:,.0f} kWh")
                for m, v in zip(MONTHS, summary.monthly_ac_kwh, strict=True)
            ),
        ],
    )
    if hourly is not None:
        console.print(f"hourly profile written to {hourly}")
