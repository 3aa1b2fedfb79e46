"""Shared output helpers for the CLI: JSON for machines, Rich tables for people."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()


def _clean(value: Any) -> Any:
    """Make ``value`` JSON-safe: numpy scalars to Python, NaN/inf to None."""
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _clean(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(data: Mapping[str, Any]) -> str:
    """Serialise a result mapping with stable (insertion) key order."""
    return json.dumps(_clean(data), ensure_ascii=False, indent=2)


def print_json(data: Mapping[str, Any]) -> None:
    """Print ``data`` as JSON on stdout, nothing else."""
    print(to_json(data))


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    """Print two-column (quantity, value with unit) table."""
    table = Table(title=escape(title), show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(escape(name), escape(value))
    console.print(table)
