"""The ``peakzero`` command line: thin; parse, call the engines or the planner, print.

Each command group lives in its own module and exposes a ``typer.Typer`` named ``app``.
Errors the user caused (:class:`peakzero.errors.PeakzeroError`) become one clear message on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from peakzero.cli import carbon, county, load, pathway, plan, pv, roof, site, tariff, weather
from peakzero.errors import PeakzeroError

app = typer.Typer(
    rich_markup_mode=None,
    name="peakzero",
    help="Plan the road to carbon peak (2030) and net zero (2060) with rooftop PV + storage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(weather.app, name="weather")
app.add_typer(pv.app, name="pv")
app.add_typer(roof.app, name="roof")
app.add_typer(load.app, name="load")
app.add_typer(tariff.app, name="tariff")
app.add_typer(site.app, name="site")
app.add_typer(carbon.app, name="carbon")
app.add_typer(pathway.app, name="pathway")
app.add_typer(county.app, name="county")
plan.register(app)


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
        Console(stderr=True).print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        code = 2
    except OSError as exc:  # a path the user gave: a folder, missing, not writable
        where = f" {exc.filename}" if exc.filename else ""
        message = f"cannot use{where}: {exc.strerror or exc}. Give a path to a file you may write."
        Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)
        code = 2
    if argv is None:
        sys.exit(code)
    return code
