"""`peakzero roof ...` commands: how much PV a roof carries (GB 50797 row pitch, dead load)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import typer

from peakzero.cli._output import (
    check_output_file,
    console,
    print_json,
    print_table,
    write_text_atomic,
)
from peakzero.cli.pv import resolve_weather, station_json, warn
from peakzero.errors import PeakzeroError
from peakzero.roof import Module, Roof, choose_tilt, layout_roof, layout_svg
from peakzero.roof.layout import ROOF_KINDS
from peakzero.roof.mounting import RoofKind
from peakzero.roof.polygon import read_polygon
from peakzero.roof.tilt import OBJECTIVES
from peakzero.solar import PVSystem, orientation_yields

app = typer.Typer(
    rich_markup_mode=None,
    help="Roof layout: module count, kWp, row pitch, dead load.",
    no_args_is_help=True,
)


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
    if roof_kind not in ROOF_KINDS:
        raise PeakzeroError(f"roof = {roof_kind!r}: allowed flat, pitched.", field="roof")
    if optimize not in OBJECTIVES:
        raise PeakzeroError(
            f"optimize = {optimize!r}: allowed per-kwp, per-area.", field="optimize"
        )
    if (area_m2 is None) == (polygon is None):
        raise PeakzeroError("give exactly one of --area-m2 A or --polygon FILE.", field="area_m2")
    check_output_file(svg, "--svg")
    if roof_kind == "pitched" and pitch_deg is None:
        raise PeakzeroError("a pitched roof needs --pitch-deg (1 to 60 deg).", field="pitch_deg")
    kind = cast(RoofKind, roof_kind)
    pitch = pitch_deg if roof_kind == "pitched" and pitch_deg is not None else 0.0
    if area_m2 is not None:
        if area_m2 <= 0:
            raise PeakzeroError(
                f"area_m2 = {area_m2:g} m2: must be > 0 (the roof's plan area).", field="area_m2"
            )
        roof = Roof.from_area(
            area_m2,
            kind,
            pitch_deg=pitch,
            azimuth_deg=roof_azimuth,
            setback_m=setback_m,
        )
    else:
        assert polygon is not None
        roof = Roof(kind, read_polygon(polygon), pitch, roof_azimuth, setback_m)
    site = resolve_weather(station, lat, lon, None)
    warn(site.warning)
    weather = site.weather
    module = Module(power_w=module_w)
    latitude = weather.station.latitude_deg
    if roof_kind == "flat" and tilt is None:
        choice = choose_tilt(
            roof,
            weather,
            optimize,  # type: ignore[arg-type]
            module=module,
            allowable_load_kg_per_m2=allowable_load,
        )
        lay, specific = choice.layout, choice.specific_yield_kwh_per_kwp
        how = f"optimised {optimize}"
    else:
        lay = layout_roof(
            roof, latitude, tilt, module=module, allowable_load_kg_per_m2=allowable_load
        )
        specific = float(orientation_yields(weather, [PVSystem((lay.pv_array(),))])[0])
        how = "given" if roof_kind == "flat" else "roof pitch"
    if lay.modules == 0:
        raise PeakzeroError(
            f"no module fits this roof ({lay.area_m2:,.1f} m2 after a {roof.setback_m:g} m "
            "setback and the row spacing); give a larger roof (--area-m2 / --polygon) or a "
            "smaller --setback-m",
            field="area_m2",
        )
    if svg is not None:
        write_text_atomic(layout_svg(lay), svg)
    result: dict[str, Any] = {
        "modules": lay.modules,
        "kwp": lay.kwp,
        "row_pitch_m": lay.row_pitch_m,
        "gcr": lay.gcr,
        "tilt_deg": lay.tilt_deg,
        "azimuth_deg": lay.azimuth_deg,
        "tilt_choice": how,
        "rows": lay.rows,
        "mounting": lay.mounting,
        "area_m2": lay.area_m2,
        "module_area_m2": lay.module_area_m2,
        "shadow_ratio": lay.shadow_ratio,
        "dead_load_kg_per_m2": lay.dead_load_kg_per_m2,
        "allowable_load_kg_per_m2": allowable_load,
        "specific_yield_kwh_per_kwp": specific,
        "annual_ac_kwh": specific * lay.kwp,
        "module_w": module.power_w,
        "setback_m": roof.setback_m,
        "station": station_json(weather.station),
        "distance_km": site.distance_km,
        "svg_file": str(svg) if svg is not None else None,
    }
    if as_json:
        print_json(result)
        return
    print_table(
        f"Roof layout ({roof_kind}, {lay.area_m2:,.0f} m2) at {weather.station.name}",
        [
            ("modules", f"{lay.modules:,} x {module.power_w:g} W"),
            ("DC rating", f"{lay.kwp:,.1f} kWp"),
            ("tilt / azimuth", f"{lay.tilt_deg:g} deg ({how}) / {lay.azimuth_deg:g} deg"),
            ("rows", f"{lay.rows}"),
            ("row pitch", f"{lay.row_pitch_m:.2f} m"),
            ("gap / height (GB 50797)", f"{lay.shadow_ratio:.2f}"),
            ("ground coverage ratio", f"{lay.gcr:.3f}"),
            ("module area", f"{lay.module_area_m2:,.0f} m2"),
            ("dead load", f"{lay.dead_load_kg_per_m2:.1f} kg/m2"),
            ("specific yield", f"{specific:,.1f} kWh/kWp"),
            ("annual AC energy", f"{specific * lay.kwp:,.0f} kWh"),
        ],
    )
    if svg is not None:
        console.print(f"layout drawing written to {svg}")
