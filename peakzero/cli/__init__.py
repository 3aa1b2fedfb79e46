"""The ``peakzero`` command line: thin; parse, call one package function, print.

Each command lives in its own module, imported only when that command runs (see
:mod:`peakzero.cli._lazy`), so ``peakzero --help`` imports neither the engines nor pandas, pvlib,
HiGHS or WeasyPrint. Errors the user caused (:class:`peakzero.errors.PeakzeroError`) become one
clear message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import ClassVar

import typer

from peakzero.cli._lazy import LazyCommand, LazyGroup
from peakzero.errors import PeakzeroError

#: The commands of ``peakzero``, in the order ``peakzero --help`` lists them: name ->
#: LazyCommand("module:attr", help). ``attr`` is a ``typer.Typer`` (a group such as
#: ``peakzero weather ...``), a Typer/click command, or a plain function (one command whose
#: options come from its signature, like ``plan``). To add a command, add one line, e.g.
#:     "county": LazyCommand("peakzero.cli.county:app", "County programme: ..."),
#:     "serve": LazyCommand("peakzero.cli.serve:serve_command", "Run the web service ..."),
#: and keep the command module free of heavy imports at module level (import pandas, the
#: engines, ... inside the command function) so that its ``--help`` stays fast too. The help
#: text must equal the command's own help (tests/test_cli_lazy.py checks it).
COMMANDS: dict[str, LazyCommand] = {
    "plan": LazyCommand(
        "peakzero.cli.plan:plan_command",
        "Inventory -> roof -> PV + storage design -> roadmap to 2030 / 2060 -> report.",
    ),
    "weather": LazyCommand(
        "peakzero.cli.weather:app", "Bundled CSWD weather stations (270 typical years, China)."
    ),
    "pv": LazyCommand(
        "peakzero.cli.pv:app", "PV yield (pvlib: Perez, SAPM temperature, PVWatts DC/AC)."
    ),
    "roof": LazyCommand(
        "peakzero.cli.roof:app", "Roof layout: module count, kWp, row pitch, dead load."
    ),
    "load": LazyCommand(
        "peakzero.cli.load:app", "Load profiles: built-in archetypes and CSV checks."
    ),
    "tariff": LazyCommand("peakzero.cli.tariff:app", "Time-of-use tariffs (分时电价) and bills."),
    "site": LazyCommand(
        "peakzero.cli.site:app",
        "Site optimiser: PV kWp, battery kW / kWh, hourly dispatch, bills, cash flows, tCO2.",
    ),
    "carbon": LazyCommand(
        "peakzero.cli.carbon:app",
        "Carbon inventory (GB/T 32150), peak and neutrality analysis, LMDI, projections.",
    ),
    "pathway": LazyCommand(
        "peakzero.cli.pathway:app",
        "Least-cost year-by-year roadmap to carbon peak (2030) and net zero (2060).",
    ),
    "county": LazyCommand(
        "peakzero.cli.county:app",
        "Whole-county rooftop PV: screen, size and rank every roof; totals, feeders, NEA shares.",
    ),
    "serve": LazyCommand(
        "peakzero.cli.web:serve", "Run the web service (applies the database migrations first)."
    ),
    "worker": LazyCommand(
        "peakzero.cli.web:worker",
        "Run background jobs (full plans) from the database queue until stopped.",
    ),
    "db": LazyCommand("peakzero.cli.web:db_app", "The web service's database."),
}


class _PeakzeroGroup(LazyGroup):
    registry: ClassVar[Mapping[str, LazyCommand]] = COMMANDS


app = typer.Typer(
    cls=_PeakzeroGroup,
    rich_markup_mode=None,
    name="peakzero",
    help="Plan the road to carbon peak (2030) and net zero (2060) with rooftop PV + storage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Plan the road to carbon peak (2030) and net zero (2060) with rooftop PV + storage."""


def _print_error(message: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code: 0 ok, 2 bad input or usage, 1 aborted.

    When called as the console script (``argv`` is None) the process exits with that code.
    """
    try:
        app(args=argv, prog_name="peakzero")
        code = 0
    except SystemExit as exc:  # Typer's standalone mode: usage errors exit 2
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except PeakzeroError as exc:
        _print_error(str(exc))
        code = 2
    except OSError as exc:  # a path the user gave: a folder, missing, not writable
        where = f" {exc.filename}" if exc.filename else ""
        reason = exc.strerror or exc
        _print_error(f"cannot use{where}: {reason}. Give a path to a file you may write.")
        code = 2
    if argv is None:
        sys.exit(code)
    return code
