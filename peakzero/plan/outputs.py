"""Write a plan's outputs: results.json, the CSVs and the report, all or nothing.

Everything is written into a new folder beside ``out_dir``; when every file is complete that
folder replaces ``out_dir`` as a whole (the old one is moved aside, then removed), so no file of
an earlier run survives beside the new ones and a failure leaves ``out_dir`` as it was.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from peakzero.errors import PeakzeroError
from peakzero.plan.tables import assumptions_frame, write_csv

if TYPE_CHECKING:
    from peakzero.plan.orchestrate import PlanRun


@dataclass(frozen=True)
class PlanFiles:
    """Paths of what a plan wrote."""

    results_json: Path
    report_html: Path | None
    report_pdf: Path | None
    csvs: tuple[Path, ...]


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return _json_safe(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def results_json(run: PlanRun) -> str:
    """results.json of a plan run: its results dict as JSON text (NaN and inf become null)."""
    return json.dumps(_json_safe(run.results), ensure_ascii=False, indent=2) + "\n"


def check_replaceable(out_dir: Path) -> None:
    """Refuse an output folder whose replacement would lose files that are not outputs: a file,
    the current folder or one above it, or a folder that holds files but no ``results.json``."""
    out_dir = Path(out_dir).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise PeakzeroError(f"{out_dir} is a file; give a folder for the outputs", field="out")
    if out_dir == Path.cwd().resolve() or out_dir in Path.cwd().resolve().parents:
        raise PeakzeroError(
            f"{out_dir} is the current folder or holds it; the outputs replace their folder as a "
            "whole, so give a folder of its own (e.g. out/plan)",
            field="out",
        )
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "results.json").is_file():
        raise PeakzeroError(
            f"{out_dir} holds files that are not a plan's outputs (no results.json); the outputs "
            "replace their folder as a whole, so give a new or empty folder",
            field="out",
        )


def replace_dir(staging: Path, out_dir: Path) -> None:
    """Put the finished folder ``staging`` in the place of ``out_dir`` (same parent folder).

    The old ``out_dir`` is renamed aside first and removed once the new one is in place; if the
    swap fails the old one is put back.
    """
    check_replaceable(out_dir)
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_outputs(
    run: PlanRun,
    out_dir: Path,
    *,
    lang: Literal["zh", "en"] = "zh",
    report: bool = True,
) -> PlanFiles:
    """Write results.json, the CSVs and (optionally) report.html / report.pdf as ``out_dir``.

    ``out_dir`` is replaced as a whole: files of an earlier run in it do not survive.
    """
    from peakzero.report import render_report

    out_dir = Path(out_dir).resolve()
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        (staging / "results.json").write_text(results_json(run), encoding="utf-8")
        tables = run.tables()
        tables = {**tables, "assumptions.csv": assumptions_frame(run.results)}
        for name, frame in tables.items():
            write_csv(frame, str(staging / name), name)
        if report:
            render_report(_json_safe(run.results), staging, lang)
        replace_dir(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PlanFiles(
        results_json=out_dir / "results.json",
        report_html=out_dir / "report.html" if report else None,
        report_pdf=out_dir / "report.pdf" if report else None,
        csvs=tuple(out_dir / name for name in tables),
    )
