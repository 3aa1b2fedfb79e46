"""`peakzero roof ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="roof commands.", no_args_is_help=True)
