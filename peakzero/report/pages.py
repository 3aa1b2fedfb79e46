"""Render every page of a report PDF to PNG, so that pages are looked at and not only parsed.

:func:`render_pages` writes ``page-01.png``, ``page-02.png``, ... with poppler's ``pdftoppm``
(Debian package ``poppler-utils``); the command line is ``python -m peakzero.cli.pages``.
Nothing is fetched; a missing ``pdftoppm`` is a clear error naming the package.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from peakzero.errors import PeakzeroError

#: Default resolution [dots per inch]: an A4 page becomes 579 x 819 px, enough to read body text.
DEFAULT_DPI = 70


def pdftoppm_path() -> str:
    """Path of the ``pdftoppm`` executable, or a :class:`PeakzeroError` saying how to get it."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PeakzeroError(
            "pdftoppm was not found on PATH: install poppler-utils "
            "(Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler)",
            field="pdftoppm",
        )
    return exe


def render_pages(
    pdf: str | Path,
    out_dir: str | Path,
    *,
    dpi: int = DEFAULT_DPI,
    prefix: str = "page",
) -> list[Path]:
    """Render each page of ``pdf`` to ``out_dir/<prefix>-NN.png``; return the paths in page order.

    Parameters
    ----------
    pdf
        The PDF file.
    out_dir
        Folder for the PNGs (created if missing). Old ``<prefix>-*.png`` files there are removed
        first so the result holds exactly the pages of this PDF.
    dpi
        Resolution [dots per inch], 20 to 300.
    prefix
        File name prefix.
    """
    pdf = Path(pdf)
    if not pdf.is_file():
        raise PeakzeroError(f"PDF {str(pdf)!r} does not exist", field="pdf")
    if not 20 <= dpi <= 300:
        raise PeakzeroError(f"dpi = {dpi} is out of range: allowed 20 to 300", field="dpi")
    exe = pdftoppm_path()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{prefix}-*.png"):
        old.unlink()
    done = subprocess.run(
        [exe, "-png", "-r", str(dpi), str(pdf), str(out / prefix)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PeakzeroError(
            f"pdftoppm could not render {str(pdf)!r}: {done.stderr.strip()}", field="pdf"
        )
    # pdftoppm pads page numbers to the width of the page count (page-1 or page-01 ...).
    return sorted(out.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
