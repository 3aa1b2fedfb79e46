"""`peakzero load ...`: built-in C&I load archetypes and checks of a load file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peakzero.cli._output import check_output_file, console, print_json, print_table
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
    load_csv: Annotated[Path, typer.Argument(help="Load CSV: timestamp, kW (hourly or 15-min).")],
    year: Annotated[
        int | None, typer.Option(help="Re-label a typical year onto this year.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate a load CSV (length, gaps, negatives, units) and summarise it."""
    from peakzero.load import load_from_csv
    from peakzero.load.summary import load_summary

    load = load_from_csv(load_csv, year=year)
    data = {"file": str(load_csv), **load_summary(load)}
    if as_json:
        print_json(data)
        return
    _print(f"{load_csv.name}: valid", data)
