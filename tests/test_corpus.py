"""Every file of the corpus (tests/data/corpus/manifest.json) through the CLI.

Each case is read right (the figures the manifest derives from the generating data) or refused
as a :class:`PeakzeroError` (exit code 2 in ``peakzero.cli.main``) naming the field; never
another exception (a traceback), never a file left behind by a refused command.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peakzero.cli import app, main
from peakzero.errors import PeakzeroError

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "tests" / "data" / "corpus" / "manifest.json").read_text("utf-8"))
CASES = MANIFEST["cases"]
# Figures are sums of at most 35,136 values written exactly in the files: float round-off only.
REL_TOL = 1e-9


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_corpus", ROOT / "scripts" / "build_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMMITTED = ROOT / "tests" / "data" / "corpus" / "files"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "files"
    builder = _builder()
    manifest = builder.build(out)
    # the committed manifest is the expected outcome: the generator may not drift from it
    assert json.loads(json.dumps(manifest)) == MANIFEST
    return out


def test_committed_files_are_what_the_generator_writes(corpus: Path) -> None:
    """The small files are in the repository: byte for byte what the generator writes, none
    missing, none extra (a large generated file left in files/ locally is git-ignored)."""
    builder = _builder()
    made, kept = builder.committed(corpus), builder.committed(COMMITTED)
    assert sorted(kept) == sorted(made)
    for name, data in made.items():
        assert kept[name] == data, (
            f"{name} differs from the generator's; run scripts/build_corpus.py"
        )
    assert len(kept) >= 80
    ignored = (ROOT / "tests" / "data" / "corpus" / ".gitignore").read_text("utf-8").split()
    large = {f"files/{n}" for n in MANIFEST["files"] if n not in made}
    assert large <= set(ignored)


def test_corpus_size() -> None:
    assert len(MANIFEST["files"]) >= 80
    commands = {tuple(c["args"][:2]) for c in CASES}
    assert {("load", "check"), ("load", "bills"), ("pv", "yield"), ("roof", "layout")} <= commands
    assert {("site", "optimize"), ("carbon", "inventory"), ("tariff", "show")} <= commands
    assert {("pathway", "plan")} <= commands and any(c["args"][0] == "plan" for c in CASES)
    assert sum(c["expect"] == "refused" for c in CASES) >= 50


def _listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any], corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus)
    before = _listing(corpus)
    result = CliRunner().invoke(app, case["args"])
    if case["expect"] == "ok":
        assert result.exception is None, f"{case['id']}: {result.exception!r} {result.output}"
        assert result.exit_code == 0
        data = json.loads(result.stdout)
        for key, want in case["figures"].items():
            if isinstance(want, float):
                assert data[key] == pytest.approx(want, rel=REL_TOL), key
            else:
                assert data[key] == want, key
        if case["note"]:
            notes = " | ".join(map(str, data.get("notes", data.get("weather_notes", []))))
            assert case["note"] in notes, notes
        return
    error = result.exception
    assert isinstance(error, PeakzeroError), f"{case['id']}: {error!r} is not a PeakzeroError"
    if case["field"]:
        assert error.field == case["field"], str(error)
    assert re.search(case["message"], str(error)), str(error)
    assert "Traceback" not in result.output
    assert _listing(corpus) == before, "a refused command left a file behind"


@pytest.mark.parametrize(
    "case_id", ["15min_no_unit", "roof_mm", "toml_binary", "bills_out_is_folder"]
)
def test_main_exits_2(
    case_id: str, corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = next(c for c in CASES if c["id"] == case_id)
    monkeypatch.chdir(corpus)
    assert main(case["args"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
