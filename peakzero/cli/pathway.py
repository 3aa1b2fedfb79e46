"""`peakzero pathway ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="pathway commands.", no_args_is_help=True)
