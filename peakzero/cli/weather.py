"""`peakzero weather ...` commands: list the bundled stations, show one station's climate."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from peakzero.cli._output import console, print_json, print_table

app = typer.Typer(
    rich_markup_mode=None,
    help="Bundled CSWD weather stations (270 typical years, China).",
    no_args_is_help=True,
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@app.command("stations")
def stations(
    province: Annotated[
        str | None, typer.Option("--province", help="Only this province, e.g. Jiangsu or 江苏.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the bundled stations with location and annual GHI [kWh/m2]."""
    from peakzero.provinces import resolve_province
    from peakzero.weather import list_stations
    from peakzero.weather.stations import annual_ghi_kwh_per_m2, station_name_zh

    rows = [
        {
            "name": s.name,
            "name_zh": station_name_zh(s),
            "province": s.province,
            "province_zh": resolve_province(s.province).short_zh,
            "wmo_id": s.wmo_id,
            "latitude_deg": s.latitude_deg,
            "longitude_deg": s.longitude_deg,
            "elevation_m": s.elevation_m,
            "annual_ghi_kwh_per_m2": annual_ghi_kwh_per_m2(s),
        }
        for s in list_stations(province)
    ]
    if as_json:
        print_json({"stations": rows})
        return
    table = Table(title=f"CSWD weather stations ({len(rows)})")
    headers: tuple[str, ...] = ("name 名称", "province 省份", "WMO", "lat [deg]", "lon [deg]")
    headers += ("elev [m]", "GHI [kWh/m2]")
    for header in headers:
        # Text(), not a str: Rich would read "[deg]" as markup and drop it
        table.add_column(Text(header), justify="left" if header in headers[:2] else "right")
    for r in rows:
        table.add_row(
            f"{r['name']} {r['name_zh']}".strip(),
            f"{r['province']} {r['province_zh']}",
            str(r["wmo_id"]),
            f"{r['latitude_deg']:.2f}",
            f"{r['longitude_deg']:.2f}",
            f"{r['elevation_m']:.0f}",
            f"{r['annual_ghi_kwh_per_m2']:.0f}",
        )
    console.print(table)


@app.command("show")
def show(
    station: Annotated[str, typer.Argument(help="Station name or WMO id, e.g. Nanjing.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Annual and monthly GHI [kWh/m2] and mean air temperature [deg C] of a station."""
    from peakzero.weather.climate import station_climate

    climate = station_climate(station)
    if as_json:
        print_json(climate)
        return
    print_table(
        f"{climate['station']} ({climate['province']}, WMO {climate['wmo_id']})",
        [
            ("latitude", f"{climate['latitude_deg']:.2f} deg"),
            ("longitude", f"{climate['longitude_deg']:.2f} deg"),
            ("elevation", f"{climate['elevation_m']:.0f} m"),
            ("annual GHI", f"{climate['annual_ghi_kwh_per_m2']:.0f} kWh/m2"),
            ("annual mean air temperature", f"{climate['annual_temp_air_mean_c']:.1f} deg C"),
        ],
    )
    table = Table(title="monthly")
    table.add_column("month")
    table.add_column(Text("GHI [kWh/m2]"), justify="right")
    table.add_column(Text("mean air temperature [deg C]"), justify="right")
    for name, ghi, temp in zip(
        _MONTHS,
        climate["monthly_ghi_kwh_per_m2"],
        climate["monthly_temp_air_mean_c"],
        strict=True,
    ):
        table.add_row(name, f"{ghi:.1f}", f"{temp:.1f}")
    console.print(table)
    console.print(f"source: {climate['source']}", highlight=False)
