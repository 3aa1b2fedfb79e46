"""`peakzero pathway ...` commands: the least-cost roadmap to carbon peak and net zero."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from peakzero.cli._output import check_output_dir, console, print_json, print_table
from peakzero.errors import PeakzeroError

if TYPE_CHECKING:
    from peakzero.pathway import PathwayResult

app = typer.Typer(
    rich_markup_mode=None,
    help="Least-cost year-by-year roadmap to carbon peak (2030) and net zero (2060).",
    no_args_is_help=True,
)


def write_outputs(result: PathwayResult, out_dir: Path) -> list[Path]:
    """Write roadmap.csv, trajectory.csv and macc.csv into ``out_dir`` (all or nothing)."""
    from peakzero.plan.tables import pathway_tables

    out_dir.mkdir(parents=True, exist_ok=True)
    tables = pathway_tables(result)  # one schema per CSV, shared with `peakzero plan`
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        for name, table in tables.items():
            table.to_csv(Path(tmp) / name, index=False)
        paths = []
        for name in tables:
            target = out_dir / name
            shutil.move(str(Path(tmp) / name), target)
            paths.append(target)
    return paths


def _print_human(result: PathwayResult) -> None:
    a = result.analysis
    t = result.trajectory
    k_end = len(result.years) - 1
    print_table(
        f"Pathway: {result.name}",
        [
            ("total cost (present value)", f"{result.total_cost_yuan / 1e6:,.1f} M yuan"),
            ("peak year (gross)", f"{result.peak_year} ({a.status})"),
            ("neutral year", str(result.neutral_year) if result.neutral_year else "never"),
            ("meets peak / neutral target", f"{a.meets_peak_target} / {a.meets_neutral_target}"),
            (
                f"gross / net {result.years[k_end]}",
                f"{t.gross_t[k_end]:,.0f} / {t.net_t[k_end]:,.0f} tCO2",
            ),
            ("solve time", f"{result.build_seconds + result.solve_seconds:.3f} s"),
        ],
    )
    table = Table(title="Roadmap: units installed per year")
    table.add_column("year")
    table.add_column("measure")
    table.add_column("units", justify="right")
    table.add_column("capex M yuan", justify="right")
    table.add_column("abatement tCO2", justify="right")
    for row in result.roadmap:
        if row.units > 0:
            table.add_row(
                str(row.year),
                row.measure,
                f"{row.units:,.0f}",
                f"{row.capex_yuan / 1e6:,.2f}",
                f"{row.abatement_t:,.0f}",
            )
    console.print(table)
    macc_table = Table(title=f"Marginal abatement cost curve, {result.macc_year}")
    macc_table.add_column("measure")
    macc_table.add_column("yuan/tCO2", justify="right")
    macc_table.add_column("potential tCO2", justify="right")
    for m in result.macc:
        macc_table.add_row(m.measure, f"{m.cost_yuan_per_t:,.0f}", f"{m.potential_t:,.0f}")
    console.print(macc_table)
    console.print("Cost of the targets (present value at the base year):")
    for summary in result.target_summary():
        later = summary["one_year_later"]
        moved = (
            ""
            if summary["one_year_later_saving_yuan"] is None
            else (f"; moving it to {later}" if later is not None else "; dropping it")
            + f" saves {summary['one_year_later_saving_yuan'] / 1e6:,.2f} M yuan"
        )
        years = summary["binding_years"]
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "-")
        unit = "yuan per yuan" if summary["target"] == "budget" else "yuan per tCO2"
        console.print(
            f"- {summary['target']}: binding in {span}; relaxing each binding year by 1 unit saves "
            f"{summary['saving_yuan_per_t_all_years']:,.2f} {unit} in total{moved}"
        )


@app.command("plan")
def plan_cmd(
    path: Annotated[Path, typer.Argument(help="PATHWAY.toml file.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write roadmap.csv, trajectory.csv, macc.csv here.")
    ] = None,
    macc_year: Annotated[
        int | None, typer.Option("--macc-year", help="Year of the marginal abatement cost curve.")
    ] = None,
) -> None:
    """Optimise the least-cost roadmap to the peak and neutrality targets."""
    check_output_dir(out, "--out")
    from peakzero.pathway import load_pathway, plan_pathway

    inp = load_pathway(path)
    result = plan_pathway(inp, macc_year=macc_year)
    if out is not None:
        if out.exists() and not out.is_dir():
            raise PeakzeroError(f"--out {str(out)!r} exists and is not a directory", field="out")
        write_outputs(result, out)
    if json_out:
        print_json(result.to_dict())
    else:
        _print_human(result)
        if out is not None:
            console.print(f"wrote roadmap.csv, trajectory.csv, macc.csv to {out}")
