"""`peakzero plan PLAN.toml`: the whole answer from one file."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to the top-level app."""
