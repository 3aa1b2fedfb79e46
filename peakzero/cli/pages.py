"""Render every page of a report PDF to PNG, to look at the pages and not only parse them.

``python -m peakzero.cli.pages REPORT.pdf [--out DIR] [--dpi 70]`` writes ``page-01.png``,
``page-02.png``, ... (:func:`peakzero.report.pages.render_pages`) and prints their paths.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from peakzero.errors import PeakzeroError
from peakzero.report.pages import DEFAULT_DPI, render_pages


def main(argv: list[str] | None = None) -> int:
    """Command line: render the pages and print their paths; exit 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m peakzero.cli.pages", description=__doc__)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="folder [<pdf name>-pages]")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI)
    args = parser.parse_args(argv)
    out = args.out or args.pdf.with_name(args.pdf.stem + "-pages")
    try:
        paths = render_pages(args.pdf, out, dpi=args.dpi)
    except PeakzeroError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
