"""docs/api.md runs as it reads: its examples are doctests (from the repository root)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_api_page_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the page's paths are relative to the repository root
    result = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 20
    assert result.failed == 0


def test_parameters_page_is_generated_from_the_schema() -> None:
    from peakzero.params import reference_markdown

    page = (ROOT / "docs" / "parameters.md").read_text("utf-8")
    assert page == reference_markdown(), "run: python -m peakzero.params > docs/parameters.md"
