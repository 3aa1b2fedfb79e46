"""Render a saved ``results.json`` again: ``python -m peakzero.report RESULTS.json [--lang zh|en]
[--out DIR]``. The ``peakzero plan`` command renders the report itself; this is for re-rendering
(e.g. the other language) without re-running the plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from peakzero.errors import PeakzeroError
from peakzero.report.render import render_report


def main(argv: list[str] | None = None) -> int:
    """Render the report; return 0 on success, 2 on bad input (message on stderr)."""
    parser = argparse.ArgumentParser(prog="python -m peakzero.report", description=__doc__)
    parser.add_argument("results", type=Path, help="results.json written by `peakzero plan`")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--out", type=Path, default=None, help="output folder [results' folder]")
    args = parser.parse_args(argv)
    try:
        try:
            results = json.loads(args.results.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise PeakzeroError(f"cannot read {args.results}: {exc}", field="results") from exc
        files = render_report(results, args.out or args.results.parent, args.lang)
    except PeakzeroError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{files.html}\n{files.pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
