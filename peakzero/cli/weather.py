"""`peakzero weather ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="weather commands.", no_args_is_help=True)
