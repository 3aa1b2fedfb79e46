"""The page renderer turns every PDF page into a PNG (poppler's pdftoppm)."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_pdf import PdfPages

from peakzero.cli import pages as pages_cli
from peakzero.errors import PeakzeroError
from peakzero.report import pages

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


def _pdf(path: Path, n: int) -> Path:
    with PdfPages(path) as pdf:
        for i in range(n):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.5, 0.5, f"page {i + 1}")
            pdf.savefig(fig)
            plt.close(fig)
    return path


@needs_poppler
def test_every_page_becomes_a_png(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "r.pdf", 11)
    out = tmp_path / "pages"
    out.mkdir()
    (out / "page-99.png").write_bytes(b"stale")
    paths = pages.render_pages(pdf, out, dpi=30)
    assert len(paths) == 11  # the stale file is gone, pages in order 1..11
    assert [int(p.stem.split("-")[1]) for p in paths] == list(range(1, 12))
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paths)
    assert pages_cli.main([str(pdf), "--out", str(out), "--dpi", "30"]) == 0


def test_missing_pdftoppm_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _pdf(tmp_path / "r.pdf", 1)
    monkeypatch.setattr(pages.shutil, "which", lambda _name: None)
    with pytest.raises(PeakzeroError, match="poppler-utils"):
        pages.render_pages(pdf, tmp_path / "out")
    assert pages_cli.main([str(pdf)]) == 2


def test_missing_pdf_names_it(tmp_path: Path) -> None:
    with pytest.raises(PeakzeroError, match="does not exist"):
        pages.render_pages(tmp_path / "none.pdf", tmp_path)
