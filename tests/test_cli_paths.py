"""Paths the user gives: folders for files, files for folders, unreadable inputs -> exit 2,
a message, nothing written; outputs are ordinary (0644) files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from peakzero.cli import main

ROOT = Path(__file__).resolve().parents[1]


SITE = str(ROOT / "examples" / "sites" / "suzhou_electronics" / "SITE.toml")
PLAN = str(ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml")
ROOF = ["roof", "layout", "--station", "Nanjing", "--roof", "flat"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["pv", "yield", "--station", "Nanjing", "--kwp", "1", "--hourly", "{tmp}"], "--hourly"),
        (["load", "archetype", "office", "--annual-kwh", "1e6", "--out", "{tmp}"], "--out"),
        ([*ROOF, "--area-m2", "900", "--svg", "{tmp}"], "--svg"),
        (["site", "optimize", SITE, "--out", "{file}"], "is a file"),
        (["plan", PLAN, "--out", "{file}"], "is a file"),
        (["carbon", "trajectory", "{tmp}"], "Is a directory"),
        ([*ROOF, "--area-m2", "5"], "no module fits"),
    ],
)
def test_bad_paths_exit_2_with_a_message(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x")
    args = [a.replace("{tmp}", str(tmp_path)).replace("{file}", str(a_file)) for a in argv]
    assert main(args) == 2
    assert needle in " ".join(capsys.readouterr().err.split())  # Rich wraps long lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file.txt"]  # nothing written


def test_output_files_are_world_readable(tmp_path: Path) -> None:
    svg = tmp_path / "roof.svg"
    assert main([*ROOF, "--area-m2", "900", "--svg", str(svg), "--json"]) == 0
    assert stat.S_IMODE(svg.stat().st_mode) == 0o644
