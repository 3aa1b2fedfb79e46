"""`peakzero load ...`: built-in C&I load archetypes and checks of a load file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peakzero.cli._options import options
from peakzero.cli._output import (
    check_output_file,
    console,
    print_json,
    print_table,
    write_text_atomic,
)
from peakzero.errors import PeakzeroError

#: ``peakzero.load.ARCHETYPES``, written out so that ``--help`` does not import pandas (a test
#: checks that they agree).
ARCHETYPE_NAMES = (
    "factory_one_shift",
    "factory_two_shift",
    "factory_continuous",
    "office",
    "mall",
    "hospital",
    "cold_storage",
)

#: Fields of the load reader -> the options of ``load check``.
LOAD_OPTIONS = {
    "unit": "--unit",
    "date_format": "--date-format",
    "sheet": "--sheet",
    "annual_kwh": "--annual-kwh",
    "year": "--year",
}

app = typer.Typer(
    rich_markup_mode=None,
    help="Load profiles: built-in archetypes and CSV checks.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) only.")]


def _print(title: str, data: dict[str, object]) -> None:
    print_table(
        title,
        [
            ("annual energy", f"{data['annual_kwh']:,.0f} kWh"),
            ("peak", f"{data['peak_kw']:,.1f} kW"),
            ("mean", f"{data['mean_kw']:,.1f} kW"),
            ("load factor", f"{data['load_factor']:.3f}"),
            ("intervals", f"{data['intervals']} x {data['interval_hours']:g} h"),
        ],
    )


@app.command("archetype")
def archetype_command(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(ARCHETYPE_NAMES)}.")],
    year: Annotated[int, typer.Option(help="Calendar year (holidays and weekdays).")] = 2025,
    annual_kwh: Annotated[float | None, typer.Option(help="Scale to this yearly kWh.")] = None,
    peak_kw: Annotated[float | None, typer.Option(help="Scale to this peak [kW].")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the hourly profile as CSV.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make an hourly load profile [kW] from a built-in Chinese C&I archetype."""
    if annual_kwh is None and peak_kw is None:
        raise PeakzeroError(
            "give --annual-kwh or --peak-kw to scale the archetype", field="annual_kwh"
        )
    check_output_file(out, "--out")
    import numpy as np
    import pandas as pd

    from peakzero.load import archetype_load
    from peakzero.load.summary import load_summary

    load = archetype_load(kind, year=year, annual_kwh=annual_kwh, peak_kw=peak_kw)
    data = {"archetype": kind, "year": year, **load_summary(load)}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        frame = pd.DataFrame({"timestamp": load.index, "load_kw": np.round(load.to_numpy(), 4)})
        frame.to_csv(out, index=False)
        data["csv"] = str(out)
    if as_json:
        print_json(data)
        return
    _print(f"{kind}, {year}", data)
    if out is not None:
        console.print(f"hourly profile written to {out}")


@app.command("check")
def check_command(
    load_csv: Annotated[
        Path, typer.Argument(help="Load file (CSV or .xlsx): timestamp, kW or kWh per interval.")
    ],
    year: Annotated[
        int | None, typer.Option(help="Plan year: data of another year are mapped onto it.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option(help="kW or kWh (MW, MWh, W, Wh) when the header names none.")
    ] = None,
    date_format: Annotated[
        str | None, typer.Option(help="dd/mm/yyyy or mm/dd/yyyy when dates read both ways.")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet (default: the first).")] = None,
    annual_kwh: Annotated[
        float | None, typer.Option(help="Annual kWh from the bills: checked (within 2 %).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate a load file (length, gaps, negatives, units) and summarise it."""
    from peakzero.load.reader import read_load
    from peakzero.load.summary import load_summary

    with options(LOAD_OPTIONS):
        reading = read_load(
            load_csv,
            year=year,
            unit=unit,
            date_format=date_format,
            sheet=sheet,
            annual_kwh=annual_kwh,
        )
    data = {
        "file": str(load_csv),
        **load_summary(reading.hourly_kw),
        "data_interval_minutes": reading.interval_minutes,
        "data_peak_kw": reading.peak_kw,
        "unit": reading.unit,
        "meter_year": reading.meter_year,
        "notes": list(reading.notes),
    }
    if as_json:
        print_json(data)
        return
    _print(f"{load_csv.name}: valid", data)
    console.print(
        f"data: {reading.interval_minutes}-minute {reading.unit}, peak "
        f"{reading.peak_kw:,.1f} kW at that interval"
    )
    for note in reading.notes:
        console.print(f"note: {note}")


@app.command("bills")
def bills_command(
    bills_csv: Annotated[
        Path, typer.Argument(help="Monthly bills (CSV or .xlsx): month, 尖/峰/平/谷 or total kWh.")
    ],
    archetype: Annotated[
        str, typer.Option(help=f"Shape of the hours: {', '.join(ARCHETYPE_NAMES)}.")
    ] = "factory_two_shift",
    tariff: Annotated[
        str, typer.Option(help="Tariff (bundled name or file): its TOU periods.")
    ] = "jiangsu_2025_two_part",
    year: Annotated[int, typer.Option(help="Plan year.")] = 2025,
    out: Annotated[Path | None, typer.Option(help="Write the hourly load as CSV.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make an hourly load [kW] that reproduces twelve monthly bills (kWh per period, demand)."""
    check_output_file(out, "--out")
    import numpy as np
    import pandas as pd

    from peakzero.load.bills import load_from_bills
    from peakzero.load.summary import load_summary

    fitted = load_from_bills(bills_csv, archetype=archetype, year=year, tariff=tariff)
    data = {"file": str(bills_csv), **load_summary(fitted.kw), "notes": list(fitted.notes)}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        frame = pd.DataFrame(
            {"timestamp": fitted.kw.index, "load_kw": np.round(fitted.kw.to_numpy(), 6)}
        )
        write_text_atomic(frame.to_csv(index=False), out)  # no half-written file
        data["csv"] = str(out)
    if as_json:
        print_json(data)
        return
    _print(f"{bills_csv.name}: load from bills", data)
    for note in fitted.notes:
        console.print(f"note: {note}")
