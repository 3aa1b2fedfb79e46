"""Customer report of ``peakzero plan``: HTML and PDF, in Chinese or English.

>>> from peakzero.report import render_report  # doctest: +SKIP
"""

from __future__ import annotations

from peakzero.report.render import ReportFiles, render_html, render_report, write_pdf

__all__ = ["ReportFiles", "render_html", "render_report", "write_pdf"]
