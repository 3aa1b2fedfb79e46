"""Shared output helpers for the CLI: JSON for machines, Rich tables for people."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from peakzero.errors import PeakzeroError

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


def warn(message: str | None) -> None:
    """Print a warning on stderr (never on stdout, which may carry JSON); nothing for None."""
    if message:
        Console(stderr=True).print(f"[yellow]warning:[/] {escape(message)}", highlight=False)


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    """Print two-column (quantity, value with unit) table."""
    table = Table(title=escape(title), show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(escape(name), escape(value))
    console.print(table)


def check_output_file(path: Path | None, option: str) -> None:
    """Refuse an output file path that is a folder or whose folder is a file, before any work."""
    if path is None:
        return
    if path.is_dir():
        raise PeakzeroError(f"{option} {path} is a folder; give a file name, e.g. {path}/out.csv")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise PeakzeroError(f"{option} {path}: {parent} is a file, not a folder")
            break


def check_output_dir(path: Path | None, option: str) -> None:
    """Refuse an output folder path that is an existing file, before any work."""
    if path is not None and path.exists() and not path.is_dir():
        raise PeakzeroError(f"{option} {path} is a file; give a folder for the outputs")


def write_text_atomic(text: str, path: Path) -> None:
    """Write a text file via a temporary file beside it: nothing half-written on error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
