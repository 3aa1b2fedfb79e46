"""Report pieces: labels, formatting, fonts, SVG sanitising, missing sections, bad input.

Fast tests: no PDF, few charts (English, small results dicts).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from peakzero.errors import PeakzeroError
from peakzero.report import fonts, i18n, render_html, render_report
from peakzero.report.charts import monthly_generation_svg
from peakzero.report.pathway_charts import measure_colours
from peakzero.report.render import sanitize_svg

DATA = Path(__file__).parent / "data" / "report"
RESULTS: dict[str, Any] = json.loads((DATA / "results_example.json").read_text("utf-8"))


def _keys(html: str) -> set[str]:
    return set(re.findall(r'data-key="([^"]+)"', html))


# ---------------------------------------------------------------- i18n and formatting
def test_glossary_terms() -> None:
    pairs = {
        "period_peak": ("峰", "peak"),
        "period_flat": ("平", "flat"),
        "period_valley": ("谷", "valley"),
        "period_critical_peak": ("尖峰", "critical peak"),
        "sec_self": ("自投", "Self-investment"),
    }
    for key, (zh, en) in pairs.items():
        assert i18n.label(key, "zh") == zh
        assert i18n.label(key, "en") == en
    assert "合同能源管理" in i18n.label("sec_emc", "zh")
    assert "碳达峰" in i18n.label("sec_trajectory", "zh")
    assert "碳中和" in i18n.label("sec_trajectory", "zh")
    assert "分时电价" in i18n.label("sec_dispatch", "zh")


def test_every_label_has_both_languages() -> None:
    for key, (zh, en) in i18n.LABELS.items():
        assert zh and en, key


def test_format_numbers() -> None:
    assert i18n.fmt_number(1234567.4) == "1,234,567"
    assert i18n.fmt_number(1234567.6) == "1,234,568"
    assert i18n.fmt_number(-0.4) == "0"  # no "-0"
    assert i18n.fmt_number(-1234.56, 1) == "-1,234.6"
    assert i18n.fmt_number(float("nan")) == "—"
    assert i18n.fmt_percent(0.18252) == "18.3%"
    assert i18n.fmt_percent(-0.05, 0) == "-5%"


# ---------------------------------------------------------------- fonts
def test_font_stack_lists_cjk_families() -> None:
    stack = fonts.css_font_stack(fonts.CjkFont("My CJK", Path("/x.ttf")))
    assert stack.startswith('"DejaVu Sans"')
    assert '"My CJK"' in stack and '"Noto Sans CJK SC"' in stack
    assert stack.endswith("sans-serif")


def test_zh_without_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with pytest.raises(PeakzeroError) as err:
        render_html({"meta": {"title": "x"}}, "zh")
    assert err.value.field == "lang"
    assert "setup_fonts.sh" in str(err.value)
    # English needs no CJK font.
    assert "<html" in render_html({"meta": {"title": "x"}}, "en")


# ---------------------------------------------------------------- SVG sanitising
def test_sanitize_svg_removes_active_and_external_content() -> None:
    dirty = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'onload="evil()" viewBox="0 0 10 10"><script>evil()</script>'
        '<image href="http://example.com/x.png"/><a href="http://example.com"><rect/></a>'
        '<rect id="r" width="5" height="5" fill="url(http://example.com/#g)"/>'
        '<use xlink:href="#r"/><foreignObject><div/></foreignObject></svg>'
    )
    clean = str(sanitize_svg(dirty))
    assert "script" not in clean and "onload" not in clean and "example.com" not in clean
    assert "foreignObject" not in clean and "<image" not in clean and "<a" not in clean
    assert '<use href="#r"' in clean  # local references survive, as plain SVG 2 href
    assert clean.startswith("<svg") and 'viewBox="0 0 10 10"' in clean


@pytest.mark.parametrize("bad", ["<svg><rect></svg>", "<div/>", "not xml"])
def test_sanitize_svg_rejects_non_svg(bad: str) -> None:
    with pytest.raises(PeakzeroError) as err:
        sanitize_svg(bad)
    assert err.value.field == "roof.layout_svg"


# ---------------------------------------------------------------- sections present / absent
def test_empty_results_render_a_header_only() -> None:
    html = render_html({}, "en")
    assert "Dual-carbon report" in html
    assert "<svg" not in html and _keys(html) == set()


def test_missing_sections_are_skipped() -> None:
    partial = {
        "meta": RESULTS["meta"],
        "inventory": RESULTS["inventory"],
        "assumptions": RESULTS["assumptions"][:2],
    }
    html = render_html(partial, "en")
    assert "Emissions inventory" in html and "Assumptions and sources" in html
    for absent in ("Investment returns", "Abatement pathway", "Typical-day", "Business model"):
        assert absent not in html
    assert "<svg" not in html
    assert _keys(html) == {
        "inventory.total_t",
        "inventory.by_scope_t.scope1",
        "inventory.by_scope_t.scope2_location",
        "inventory.by_scope_t.scope2_market",
    }


def test_optional_keys_inside_sections() -> None:
    r = {"design": {k: RESULTS["design"][k] for k in ("pv_kwp", "npv_yuan", "irr")}}
    r["design"]["irr"] = None  # no IRR exists
    html = render_html(r, "en")
    assert _keys(html) == {"design.pv_kwp", "design.npv_yuan", "design.irr"}
    assert 'data-key="design.irr" data-value="null">n/a<' in html
    assert "Energy management contract" not in html  # no emc block


def test_text_from_results_is_escaped() -> None:
    r = {
        "meta": {"title": "<b>T</b>", "entity_name": "<script>alert(1)</script>"},
        "assumptions": [{"group": "g", "name": "n", "value": "<i>", "unit": "", "source": "&"}],
    }
    html = render_html(r, "en")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>T</b>" not in html and "&lt;i&gt;" in html and "&amp;" in html


# ---------------------------------------------------------------- bad input
def test_bad_lang() -> None:
    with pytest.raises(PeakzeroError) as err:
        render_html(RESULTS, "fr")  # type: ignore[arg-type]
    assert err.value.field == "lang"


def test_bad_monthly_series_names_the_field(tmp_path: Path) -> None:
    r = {"pv": copy.deepcopy(RESULTS["pv"])}
    r["pv"]["monthly_ac_kwh"] = r["pv"]["monthly_ac_kwh"][:11]
    with pytest.raises(PeakzeroError) as err:
        render_report(r, tmp_path / "out", "en")
    assert err.value.field == "pv.monthly_ac_kwh"
    assert not (tmp_path / "out").exists()  # nothing written on error


def test_non_numeric_headline_names_the_field() -> None:
    with pytest.raises(PeakzeroError) as err:
        render_html({"design": {"npv_yuan": "lots"}}, "en")
    assert err.value.field == "design.npv_yuan"


def test_bad_typical_day_names_the_field() -> None:
    r = {"design": {"typical_days": {"summer": dict(RESULTS["design"]["typical_days"]["summer"])}}}
    r["design"]["typical_days"]["summer"]["pv_kw"] = [1.0] * 23
    with pytest.raises(PeakzeroError) as err:
        render_html(r, "en")
    assert err.value.field == "design.typical_days.summer.pv_kw"


# ---------------------------------------------------------------- charts
def test_chart_svg_is_standalone_and_prefixed() -> None:
    svg = monthly_generation_svg([float(m) for m in range(1, 13)], "en", "pfx")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids and all(i.startswith("pfx-") for i in ids)
    for ref in re.findall(r'href="#([^"]+)"', svg) + re.findall(r"url\(#([^)]+)\)", svg):
        assert ref in ids
    assert "<metadata" not in svg and "<?xml" not in svg
    assert "Monthly PV generation" in svg and "Generation [MWh]" in svg


def test_measure_colours_are_stable_and_distinct() -> None:
    colours = measure_colours(["a", "b", "a", "c"])
    assert list(colours) == ["a", "b", "c"]
    assert len(set(colours.values())) == 3


# ---------------------------------------------------------------- python -m peakzero.report
def test_module_cli_renders_a_small_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peakzero.report.__main__ import main

    src = tmp_path / "results.json"
    src.write_text(json.dumps({"meta": RESULTS["meta"], "inventory": RESULTS["inventory"]}))
    assert main([str(src), "--lang", "en", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.split()
    assert out == [str(tmp_path / "out" / "report.html"), str(tmp_path / "out" / "report.pdf")]
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF")


def test_module_cli_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from peakzero.report.__main__ import main

    src = tmp_path / "results.json"
    src.write_text("{not json")
    assert main([str(src)]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_pdf_gets_figures_as_data_uri_images() -> None:
    import base64

    from peakzero.report.render import _figures_as_images

    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    html = f'<p>x</p><figure class="fig fig-a">{svg}<figcaption>c</figcaption></figure>'
    out = _figures_as_images(html)
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', out)
    assert data is not None and base64.b64decode(data.group(1)).decode() == svg
    assert "<svg" not in out and out.startswith("<p>x</p>") and "<figcaption>c" in out


def test_rows_missing_a_key_name_the_field() -> None:
    flows = [dict(row) for row in RESULTS["cash_flows"][:3]]
    del flows[1]["cumulative_yuan"]
    with pytest.raises(PeakzeroError) as err:
        render_html({"cash_flows": flows}, "en")
    assert err.value.field == "cash_flows[1].cumulative_yuan"
    with pytest.raises(PeakzeroError) as err:
        render_html({"pathway": {"macc": [{"measure": "x", "abatement_t": 1.0}]}}, "en")
    assert err.value.field == "pathway.macc[0].cost_yuan_per_t"


def test_macc_bars_of_the_example_tile_the_abatement_axis() -> None:
    from peakzero.report.pathway_charts import macc_bars

    macc = RESULTS["pathway"]["macc"]
    names, lefts, widths, heights = macc_bars(macc)
    # Hand check on the fixture: cheapest is LED lighting (-412 yuan/t), dearest forklifts (310).
    assert names[0] == "led_lighting" and names[-1] == "electric_forklifts"
    assert list(heights) == sorted(heights)
    # Bars touch: each starts where the previous ends; the curve spans the total abatement.
    assert lefts[1:] == pytest.approx(lefts[:-1] + widths[:-1], abs=1e-9)
    assert lefts[-1] + widths[-1] == pytest.approx(sum(m["abatement_t"] for m in macc), abs=1e-9)
