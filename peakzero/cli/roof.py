"""`peakzero roof ...` commands: how much PV a roof carries (GB 50797 row pitch, dead load)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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

app = typer.Typer(
    rich_markup_mode=None,
    help="Roof layout: module count, kWp, row pitch, dead load.",
    no_args_is_help=True,
)

#: Input field of the roof engines -> the option of ``roof layout`` that sets it.
ROOF_OPTIONS = {
    **WEATHER_OPTIONS,
    "weather_source": "--station NAME or --lat LAT --lon LON",
    "roof": "--roof",
    "area_m2": "--area-m2 or --polygon",
    "polygon": "--polygon",
    "pitch_deg": "--pitch-deg",
    "roof_azimuth_deg": "--roof-azimuth",
    "setback_m": "--setback-m",
    "optimize": "--optimize",
    "tilt_deg": "--tilt",
    "allowable_load_kg_per_m2": "--allowable-load-kg-per-m2",
    "module_power_w": "--module-w",
}


@app.command("layout")
def layout(
    roof_kind: Annotated[str, typer.Option("--roof", help="flat or pitched.")],
    station: Annotated[
        str | None, typer.Option("--station", help="Bundled station name or WMO id.")
    ] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Site latitude [deg N].")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Site longitude [deg E].")] = None,
    area_m2: Annotated[
        float | None, typer.Option("--area-m2", help="Roof plan area [m2] (square roof).")
    ] = None,
    polygon: Annotated[
        Path | None, typer.Option("--polygon", help="Roof outline, JSON or CSV of x,y [m].")
    ] = None,
    tilt: Annotated[
        float | None, typer.Option("--tilt", help="Module tilt on a flat roof [deg].")
    ] = None,
    pitch_deg: Annotated[
        float | None, typer.Option("--pitch-deg", help="Pitch of a pitched roof [deg].")
    ] = None,
    roof_azimuth: Annotated[
        float, typer.Option("--roof-azimuth", help="Azimuth a pitched roof faces [deg], 180 = S.")
    ] = 180.0,
    optimize: Annotated[
        str,
        typer.Option(
            "--optimize", help="Tilt choice when --tilt is not given: per-kwp or per-area."
        ),
    ] = "per-kwp",
    setback_m: Annotated[
        float, typer.Option("--setback-m", help="Clearance from roof edges [m].")
    ] = 0.5,
    allowable_load: Annotated[
        float | None,
        typer.Option("--allowable-load-kg-per-m2", help="Extra load the roof may carry [kg/m2]."),
    ] = None,
    module_w: Annotated[float, typer.Option("--module-w", help="Module rating [W].")] = 590.0,
    svg: Annotated[
        Path | None, typer.Option("--svg", help="Write the layout drawing here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Lay modules out on a roof: count, kWp, row pitch, GCR, tilt, dead load, yield."""
    check_output_file(svg, "--svg")
    from peakzero.roof import Module
    from peakzero.roof.design import design_roof, roof_outline
    from peakzero.weather import resolve_weather

    with options(ROOF_OPTIONS):
        roof = roof_outline(
            roof_kind,
            area_m2=area_m2,
            polygon=polygon,
            pitch_deg=pitch_deg,
            azimuth_deg=roof_azimuth,
            setback_m=setback_m,
        )
        design = design_roof(
            roof,
            resolve_weather(station, lat, lon),
            tilt_deg=tilt,
            optimize=optimize,
            module=Module(power_w=module_w),
            allowable_load_kg_per_m2=allowable_load,
        )
    warn(design.site.warning)
    if svg is not None:
        write_text_atomic(design.svg(), svg)
    result = {**design.to_dict(), "svg_file": str(svg) if svg is not None else None}
    if as_json:
        print_json(result)
        return
    lay, specific, how = design.layout, design.specific_yield_kwh_per_kwp, design.tilt_choice
    print_table(
        f"Roof layout ({roof_kind}, {lay.area_m2:,.0f} m2) at {design.site.weather.station.name}",
        [
            ("modules", f"{lay.modules:,} x {lay.module.power_w:g} W"),
            ("DC rating", f"{lay.kwp:,.1f} kWp"),
            ("tilt / azimuth", f"{lay.tilt_deg:g} deg ({how}) / {lay.azimuth_deg:g} deg"),
            ("rows", f"{lay.rows}"),
            ("row pitch", f"{lay.row_pitch_m:.2f} m"),
            ("gap / height (GB 50797)", f"{lay.shadow_ratio:.2f}"),
            ("ground coverage ratio", f"{lay.gcr:.3f}"),
            ("module area", f"{lay.module_area_m2:,.0f} m2"),
            ("dead load", f"{lay.dead_load_kg_per_m2:.1f} kg/m2"),
            ("specific yield", f"{specific:,.1f} kWh/kWp"),
            ("annual AC energy", f"{design.annual_ac_kwh:,.0f} kWh"),
        ],
    )
    if svg is not None:
        console.print(f"layout drawing written to {svg}")
