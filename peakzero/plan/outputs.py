"""Write a plan's outputs: results.json, the CSVs and the report, all or nothing.

Everything is written into a temporary folder beside ``out_dir`` and moved into place only
when every file is complete, so a failure leaves ``out_dir`` as it was.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from peakzero.plan.orchestrate import PlanRun
from peakzero.report import render_report


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


def results_json(results: dict[str, Any]) -> str:
    """The results dict as JSON text (NaN and inf become null)."""
    return json.dumps(_json_safe(results), ensure_ascii=False, indent=2) + "\n"


def write_outputs(
    run: PlanRun,
    out_dir: Path,
    *,
    lang: Literal["zh", "en"] = "zh",
    report: bool = True,
) -> PlanFiles:
    """Write results.json, CSVs and (optionally) report.html / report.pdf into ``out_dir``."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".peakzero-", dir=out_dir.parent))
    try:
        results = _json_safe(run.results)
        (staging / "results.json").write_text(results_json(results), encoding="utf-8")
        for name, frame in run.tables.items():
            frame.to_csv(staging / name, index=name == "dispatch_hourly.csv")
        if report:
            render_report(results, staging, lang)
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for item in sorted(staging.iterdir()):
            target = out_dir / item.name
            if target.is_dir():
                shutil.rmtree(target)
            item.replace(target)
            written.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    html = out_dir / "report.html"
    pdf = out_dir / "report.pdf"
    return PlanFiles(
        results_json=out_dir / "results.json",
        report_html=html if report else None,
        report_pdf=pdf if report else None,
        csvs=tuple(p for p in written if p.suffix == ".csv"),
    )
