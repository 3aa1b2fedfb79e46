"""`peakzero county ...` commands: the whole-county rooftop programme (整县推进)."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from peakzero.cli._options import options
from peakzero.cli._output import check_output_dir, print_json, print_table

app = typer.Typer(
    rich_markup_mode=None,
    help="Whole-county rooftop PV: screen, size and rank every roof; totals, feeders, NEA shares.",
    no_args_is_help=True,
)


class _Bar:
    """Progress on stderr: buildings done, rate and ETA (rich when stderr is a terminal)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskID,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("buildings"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task: TaskID | None = None
        self.started = time.perf_counter()
        self.done = 0

    def __call__(self, finished: int, total: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("county", total=total, rate="")
        self.done += finished
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(self.task, advance=finished, rate=f"{rate:,.1f}/s")
        if not self.console.is_terminal:  # a log line per partition when not a terminal
            eta = (total - self.done) / rate if rate > 0 else float("nan")
            print(
                f"buildings {self.done}/{total}, {rate:,.1f}/s, ETA {eta:,.0f} s",
                file=sys.stderr,
                flush=True,
            )

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr for the duration (C libraries print there)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@app.command("run")
def run_cmd(
    county_file: Annotated[Path, typer.Argument(help="COUNTY.toml describing the county.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Dask worker processes (default: one per core); 0 runs serially in this process.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler, tcp://host:8786."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Keep the partitions a killed run finished.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Skip invalid buildings (listed) and go on.")
    ] = False,
    partition_size: Annotated[
        int,
        typer.Option(
            "--partition-size",
            min=1,
            help=(
                "Work per partition, in PV-only buildings (a battery building counts 5;"
                " a chain of similar battery buildings is never split)."
            ),
        ),
    ] = 200,
    memory_limit: Annotated[
        str, typer.Option("--memory-limit", help="Memory limit per local worker.")
    ] = "1.5GiB",
    lang: Annotated[str, typer.Option("--lang", help="Report language: zh or en.")] = "zh",
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write report.pdf (WeasyPrint).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json on stdout.")] = False,
) -> None:
    """Size every roof of the county and write buildings, townships, feeders, summary, report."""
    from peakzero.county import load_county, read_buildings, run_county, write_outputs
    from peakzero.errors import PeakzeroError

    if lang not in ("zh", "en"):
        raise PeakzeroError(f"--lang = {lang!r}: allowed zh, en", field="lang")
    check_output_dir(out, "--out")
    county = load_county(county_file)
    try:
        buildings, skipped = read_buildings(county, skip_invalid=skip_invalid)
    except PeakzeroError as exc:  # the engine names the setting; the command line its option
        if "skip_invalid" not in str(exc):
            raise
        raise PeakzeroError(
            str(exc).replace("(skip_invalid)", "with --skip-invalid"), field=exc.field
        ) from None
    if skipped:
        print(f"skipped {len({e.id for e in skipped})} invalid building(s):", file=sys.stderr)
        for error in skipped:
            print(f"  {error}", file=sys.stderr)
    bar = None if quiet else _Bar()
    try:
        with options({"resume": "--resume (or another --out)"}):
            run = run_county(
                county,
                buildings,
                out,
                skipped=skipped,
                workers=workers,
                scheduler=scheduler,
                resume=resume,
                partition_size=partition_size,
                memory_limit=memory_limit,
                progress=bar,
            )
    finally:
        if bar is not None:
            bar.close()
    if as_json:  # HiGHS's MIP may print to the C stdout: keep it off the JSON
        with _stdout_to_stderr():
            paths = write_outputs(run, buildings, out, lang=lang, pdf=pdf)
    else:
        paths = write_outputs(run, buildings, out, lang=lang, pdf=pdf)
    import json

    info = json.loads(paths["summary.json"].read_text(encoding="utf-8"))
    if as_json:
        print_json(info)
        return
    print_table(
        f"County: {info['county']}",
        [
            ("buildings (with PV)", f"{info['buildings']:,} ({info['buildings_with_pv']:,})"),
            ("PV", f"{info['pv_kwp']:,.0f} kWp"),
            ("battery", f"{info['battery_kwh']:,.0f} kWh"),
            ("PV energy", f"{info['pv_mwh_per_year']:,.0f} MWh/year"),
            ("investment", f"{info['investment_yuan']:,.0f} yuan"),
            ("bill savings, year 1", f"{info['savings_year1_yuan']:,.0f} yuan"),
            ("NPV", f"{info['npv_yuan']:,.0f} yuan"),
            ("CO2 avoided", f"{info['co2_avoided_t_per_year']:,.0f} tCO2/year"),
            ("NEA shares all met", "yes" if info["nea_all_met"] else "no"),
            ("feeders", ", ".join(f"{k} {v}" for k, v in info["feeder_flags"].items())),
            ("run", f"{info['run']['seconds']:.1f} s, {info['run']['scheduler']}"),
            ("outputs", str(out)),
        ],
    )


@app.command("example")
def example_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for COUNTY.toml and buildings.")],
    buildings: Annotated[
        int, typer.Option("--buildings", min=1, max=1_000_000, help="Number of buildings.")
    ] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 2021,
    fmt: Annotated[
        str, typer.Option("--format", help="geojson (roof outlines) or csv (areas).")
    ] = "geojson",
) -> None:
    """Write a synthetic county (documented building mix) for the demo and the benchmark."""
    from peakzero.county import example_county

    check_output_dir(out, "--out")
    path = example_county(buildings, out, seed=seed, fmt=fmt)
    print(f"wrote {path} and its buildings file; run: peakzero county run {path} --out OUT")
