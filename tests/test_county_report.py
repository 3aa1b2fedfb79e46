"""Language purity of the county report: the Chinese PDF has no English prose, only the
county's own names (county, province, townships, building and feeder ids), units and proper
names; the English PDF has no Chinese outside the cited notice's title."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from test_county_cases import five_building_county

from peakzero.county import load_county, read_buildings, run_county, write_outputs
from peakzero.county.programme import NEA_SOURCE

#: Latin tokens a Chinese report may hold: units ("tCO" is tCO2 cut at the digit), the proper
#: name of the cluster software and the summary file named for the skipped rows.
ZH_ALLOWED = {"kWp", "kWh", "kW", "kVA", "MWh", "tCO", "IRR", "Dask", "summary", "json"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("weasyprint")
    folder = tmp_path_factory.mktemp("county_report")
    county = load_county(five_building_county(folder))
    buildings, _ = read_buildings(county)
    run = run_county(county, buildings, folder / "run", workers=0)
    out = {lang: write_outputs(run, buildings, folder / lang, lang=lang, pdf=True)
           for lang in ("zh", "en")}  # fmt: skip
    return {"county": county, "buildings": buildings, "results": run.results, **out}


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_zh_pdf_has_no_english_words(reports: dict[str, Any]) -> None:
    text = _pdf_text(reports["zh"]["report.pdf"])
    county, results = reports["county"], reports["results"]
    names = " ".join(
        [county.name, county.province, *results["township"], *results["id"],
         *results["feeder"], *(f.id for f in county.feeders)]
    )  # fmt: skip
    allowed = {w.casefold() for w in ZH_ALLOWED | set(re.findall(r"[A-Za-z]+", names))}
    words = {w for w in re.findall(r"[A-Za-z]{2,}", text) if w.casefold() not in allowed}
    assert not words, sorted(words)
    assert "国家能源局" in text and "排名" in text  # the method section is there, in Chinese


def test_en_pdf_has_no_chinese_outside_the_cited_title(reports: dict[str, Any]) -> None:
    text = re.sub(r"\s+", "", _pdf_text(reports["en"]["report.pdf"]))  # the title wraps
    cjk = {run for run in re.findall(r"[\u4e00-\u9fff]+", text) if run not in NEA_SOURCE}
    assert not cjk, sorted(cjk)
