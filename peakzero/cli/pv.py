"""`peakzero pv ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="pv commands.", no_args_is_help=True)
