"""The full report from the example results, in both languages: HTML numbers equal the results,
the PDF renders and its extracted text carries the headline figures.

Each language is rendered once per module (HTML + PDF, a few seconds each) and shared by the
tests below.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest

from peakzero.report import ReportFiles, render_report
from peakzero.report.fonts import find_cjk_font

DATA = Path(__file__).parent / "data" / "report"
RESULTS: dict[str, Any] = json.loads((DATA / "results_example.json").read_text("utf-8"))

#: Headline numbers as a reader sees them, derived by hand from results_example.json
#: (e.g. npv_yuan 6548056.44 -> "6,548,056"; irr 0.18252 -> "18.3%").
HEADLINES: dict[str, str] = {
    "design.pv_kwp": "1,200.0",
    "design.battery_kw": "500.0",
    "design.battery_kwh": "1,000.0",
    "design.capex_yuan": "5,040,000",
    "design.npv_yuan": "6,548,056",
    "design.irr": "18.3%",
    "design.payback_years": "5.2",
    "design.annual_savings_yuan": "1,041,600",
    "design.co2_avoided_t_per_year": "755",
    "design.co2_avoided_t_lifetime": "17,788",
    "design.emc.investor_npv_yuan": "3,912,400",
    "design.emc.investor_irr": "13.7%",
    "design.emc.host_savings_yuan_per_year": "162,000",
    "trajectory.peak_year_before": "2036",
    "trajectory.peak_year_after": "2036",
    "trajectory.neutral_year_after": "2058",
}

#: Words that must appear in each language (glossary terms and section titles).
WORDS = {
    "zh": [
        "净现值",
        "内部收益率",
        "碳达峰",
        "碳中和",
        "自投",
        "合同能源管理",
        "分时电价",
        "未实现",
    ],
    "en": [
        "Net present value",
        "Carbon peak",
        "Carbon neutrality",
        "Self-investment",
        "Energy management contract",
        "TOU",
        "not reached",
    ],
}


class _Spans(HTMLParser):
    """Collect (data-key, data-value, text) of every element with a data-key attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self._open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-key" in a:
            self._open.append((a["data-key"] or "", a.get("data-value") or "", []))

    def handle_data(self, data: str) -> None:
        for _, _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open:
            key, value, parts = self._open.pop()
            self.found.append((key, value, "".join(parts)))


def _lookup(path: str) -> Any:
    node: Any = RESULTS
    for part in path.split("."):
        node = node[part]
    return node


@pytest.fixture(scope="module", params=["zh", "en"])
def report(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, ReportFiles, str, str]]:
    lang = request.param
    files = render_report(RESULTS, tmp_path_factory.mktemp(f"report_{lang}"), lang)
    html = files.html.read_text("utf-8")
    reader = pypdf.PdfReader(files.pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    yield lang, files, html, text


def test_files_written_and_nothing_else(report: tuple[str, ReportFiles, str, str]) -> None:
    _, files, _, _ = report
    assert sorted(p.name for p in files.html.parent.iterdir()) == ["report.html", "report.pdf"]
    # Written like any other file (not with a temporary file's private mode).
    assert files.html.stat().st_mode & 0o777 == files.pdf.stat().st_mode & 0o777


def test_every_data_key_equals_results(report: tuple[str, ReportFiles, str, str]) -> None:
    lang, _, html, _ = report
    parser = _Spans()
    parser.feed(html)
    assert len(parser.found) >= 60  # summary, tables and bill rows
    for key, raw, text in parser.found:
        expected = _lookup(key)
        if raw == "null":
            assert expected is None, key
            assert text == {"zh": "未实现", "en": "not reached"}[lang] or text in ("无", "n/a")
            continue
        assert json.loads(raw) == expected, key
        # The shown text rounds the value: parse it back and check it is within half a unit
        # of its last shown digit (percentages: of the percentage).
        shown = text.replace(",", "")
        if shown.endswith("%"):
            value, number = expected * 100.0, float(shown[:-1])
        else:
            value, number = expected, float(shown)
        decimals = len(shown.rstrip("%").partition(".")[2])
        assert abs(number - value) <= 0.5 * 10**-decimals + 1e-9, (key, text, expected)


def test_headline_numbers_in_html(report: tuple[str, ReportFiles, str, str]) -> None:
    _, _, html, _ = report
    parser = _Spans()
    parser.feed(html)
    shown = {key: text for key, _, text in parser.found}
    for key, text in HEADLINES.items():
        assert shown.get(key) == text, key
    assert "design.npv_yuan" in shown and "trajectory.neutral_year_before" in shown


def test_html_is_self_contained(report: tuple[str, ReportFiles, str, str]) -> None:
    _, _, html, _ = report
    assert "<script" not in html.lower()
    assert not re.search(r"<link\b|\ssrc=|@import|url\((?!#)", html)
    external = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    # Only XML namespace names remain (they are identifiers, never fetched).
    assert external <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, external
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "SVG element ids collide between inline figures"
    # 8 charts + the roof layout
    assert html.count("<svg") == 9


def test_pdf_pages_and_headlines(report: tuple[str, ReportFiles, str, str]) -> None:
    lang, files, _, text = report
    reader = pypdf.PdfReader(files.pdf)
    assert len(reader.pages) > 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1.0)  # A4 [pt]
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=1.0)
    flat = re.sub(r"\s+", "", text)
    for key, figure in HEADLINES.items():
        assert figure.replace(" ", "") in flat, (key, figure)
    for word in WORDS[lang]:
        assert re.sub(r"\s+", "", word) in flat, word
    # Page numbers from the @page footer: "Page 2 of N" / "页 2 / N"
    n = len(reader.pages)
    footer = f"页2/{n}" if lang == "zh" else f"Page2of{n}"
    assert footer in flat


def test_zh_pdf_embeds_the_cjk_font(report: tuple[str, ReportFiles, str, str]) -> None:
    lang, files, _, _ = report
    if lang != "zh":
        pytest.skip("the English report needs no CJK font")
    font = find_cjk_font()
    assert font is not None
    reader = pypdf.PdfReader(files.pdf)
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources.get_object()["/Font"].get_object()
    names = {str(f.get_object()["/BaseFont"]) for f in fonts.values()}

    def squash(name: str) -> str:  # "/ABCDEF+WenQuanYi-Micro-Hei" -> "...WenQuanYiMicroHei"
        return re.sub(r"[\s-]", "", name)

    assert any(squash(font.family) in squash(n) for n in names), names


def test_chinese_chart_labels_use_the_cjk_font(report: tuple[str, ReportFiles, str, str]) -> None:
    lang, _, html, _ = report
    font = find_cjk_font()
    if lang == "zh":
        assert font is not None
        assert "月发电量" in html and "边际减排成本曲线" in html
        assert font.family in html  # the SVG text asks for the CJK font as fallback
    else:
        assert "Monthly PV generation" in html and "月发电量" not in html


def test_numbers_are_finite_in_fixture() -> None:
    # Guard the fixture itself: the checks above assume finite headline numbers.
    for key in HEADLINES:
        assert math.isfinite(float(_lookup(key)))
