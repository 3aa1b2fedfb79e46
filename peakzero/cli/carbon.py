"""`peakzero carbon ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="carbon commands.", no_args_is_help=True)
