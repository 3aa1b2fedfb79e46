"""The CLI loads a command's module only when that command runs; engine errors name fields.

Start-up time is measured in ``benchmarks/bench_cli_startup.py``; these tests check the
property that makes it fast: which libraries a command imports (in a fresh interpreter).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import pytest
import typer
import typer.main

from peakzero.cli import COMMANDS, app, main
from peakzero.cli._lazy import LazyCommand, LazyGroup, load_command
from peakzero.cli._options import with_option
from peakzero.errors import PeakzeroError

ROOT = Path(__file__).resolve().parents[1]
#: Libraries no ``--help`` may import: the engines' heavy dependencies.
HEAVY = ("pandas", "numpy", "pvlib", "scipy", "highspy", "weasyprint", "matplotlib", "jinja2")


def _imported_after(argv: list[str]) -> tuple[int, set[str]]:
    """Exit code and modules imported by ``peakzero ARGV`` in a fresh interpreter.

    The set holds each module's full name and its top-level package name.
    """
    code = (
        "import contextlib, io, json, sys\n"
        "from peakzero.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    exit_code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    return int(exit_code), {*modules, *(m.split(".")[0] for m in modules)}


def test_top_level_help_imports_no_engine_library_nor_pydantic() -> None:
    exit_code, modules = _imported_after(["--help"])
    assert exit_code == 0
    assert not modules & {*HEAVY, "pydantic"}, modules & {*HEAVY, "pydantic"}
    assert "typer" in modules  # the probe sees imports
    ours = {m for m in modules if m.startswith("peakzero.")}
    assert ours == {"peakzero.cli", "peakzero.cli._lazy", "peakzero.errors"}, ours


@pytest.mark.parametrize(
    "argv",
    [
        ["weather", "--help"],
        ["weather", "stations", "--help"],
        ["pv", "--help"],
        ["pv", "yield", "--help"],
        ["roof", "layout", "--help"],
        ["load", "archetype", "--help"],
        ["site", "optimize", "--help"],
        ["carbon", "project", "--help"],
        ["pathway", "plan", "--help"],
        ["plan", "--help"],
    ],
)
def test_command_help_imports_no_engine_library(argv: list[str]) -> None:
    # pydantic is allowed here: Typer (>= 0.2x) converts every command's parameters with it
    exit_code, modules = _imported_after(argv)
    assert exit_code == 0
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_listing_stations_needs_no_pv_model() -> None:
    exit_code, modules = _imported_after(["weather", "stations", "--province", "Jiangsu"])
    assert exit_code == 0
    assert "pandas" in modules  # the station table is read with pandas
    assert not modules & {"pvlib", "scipy", "highspy", "weasyprint", "matplotlib"}


def test_running_a_command_does_import_its_engine() -> None:
    # the check above can fail: a command that computes imports pandas and pvlib
    exit_code, modules = _imported_after(["pv", "yield", "--station", "Nanjing", "--kwp", "1"])
    assert exit_code == 0
    assert {"pandas", "pvlib", "numpy"} <= modules
    assert "highspy" not in modules and "weasyprint" not in modules


def test_registry_help_is_the_command_help() -> None:
    for name, entry in COMMANDS.items():
        command = load_command(name, entry)
        assert command.name == name
        first = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
        assert first == entry.help, name


def _help_text(group: LazyGroup) -> str:
    ctx = group.make_context("peakzero", [], resilient_parsing=True)
    return group.get_help(ctx)


def test_help_lists_every_command_and_reads_the_same_once_they_are_loaded() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    lazy = _help_text(group)
    assert not group.commands  # listing them loaded none
    ctx = group.make_context("peakzero", [], resilient_parsing=True)
    for name in COMMANDS:
        assert group.get_command(ctx, name) is not None
    assert set(group.commands) == set(COMMANDS)
    assert _help_text(group) == lazy
    listed = [line.split()[0] for line in lazy.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == list(COMMANDS)


def test_unknown_command_suggests_the_close_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["weathr"]) == 2
    err = capsys.readouterr().err
    assert "No such command 'weathr'" in err and "Did you mean 'weather'?" in err


def test_a_new_command_is_one_registry_line(capsys: pytest.CaptureFixture[str]) -> None:
    class Group(LazyGroup):
        registry: ClassVar[Mapping[str, LazyCommand]] = {
            "climate": LazyCommand("peakzero.cli.weather:app", "Station climate."),
            "hello": LazyCommand("peakzero.cli.plan:plan_command", "A plain function."),
        }

    other = typer.Typer(cls=Group, rich_markup_mode=None, add_completion=False)

    @other.callback()
    def _root() -> None:
        """Test CLI."""

    other(["--help"], prog_name="x", standalone_mode=False)
    out = capsys.readouterr().out
    assert "climate  Station climate." in out and "hello    A plain function." in out
    other(["climate", "show", "Beijing", "--json"], prog_name="x", standalone_mode=False)
    assert json.loads(capsys.readouterr().out)["wmo_id"] == "545110"
    other(["hello", "--help"], prog_name="x", standalone_mode=False)
    assert "--lang" in capsys.readouterr().out


def test_cli_names_the_option_of_an_engine_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a plain weather CSV has no location: the engine names the field, the CLI the option
    csv = ROOT / "tests" / "data" / "weather" / "csv_15min_day.csv"
    assert main(["pv", "yield", "--weather", str(csv), "--kwp", "1"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "give the site's latitude and longitude" in err
    assert "(on the command line: --lat)" in err


def test_far_station_warning_names_the_weather_option(capsys: pytest.CaptureFixture[str]) -> None:
    # 80 E, 45 N is more than 150 km from every bundled station: refused (issue 11), and on the
    # command line the refusal names the option that gives the site's own weather
    assert main(["pv", "yield", "--lat", "45", "--lon", "80", "--kwp", "1", "--json"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "150 km" in err and "--weather FILE" in err


def test_with_option_leaves_other_errors_alone() -> None:
    table = {"latitude": "--lat"}
    unrelated = PeakzeroError("kwp = -1 is out of range", field="kwp")
    assert with_option(unrelated, table) is unrelated
    no_field = PeakzeroError("something")
    assert with_option(no_field, table) is no_field
    already = PeakzeroError("give --lat", field="latitude")
    assert with_option(already, table) is already
    added = with_option(PeakzeroError("latitude = 95", field="latitude"), table)
    assert str(added) == "latitude = 95 (on the command line: --lat)"
    assert added.field == "latitude"


def test_literals_written_out_for_a_fast_help_match_the_engine() -> None:
    from peakzero.cli.load import ARCHETYPE_NAMES
    from peakzero.cli.pv import DEFAULT_LOSSES_PERCENT
    from peakzero.load import ARCHETYPES
    from peakzero.solar import PVWATTS_DEFAULT_LOSSES_FRACTION

    assert ARCHETYPE_NAMES == ARCHETYPES
    assert round(PVWATTS_DEFAULT_LOSSES_FRACTION * 100, 2) == DEFAULT_LOSSES_PERCENT


_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_engine_message_mentions_a_command_line_option() -> None:
    found = []
    for path in sorted((ROOT / "peakzero").rglob("*.py")):
        rel = path.relative_to(ROOT / "peakzero")
        if rel.parts[0] == "cli" or path.name == "__main__.py":
            continue  # the CLI, and the report's own argparse entry point
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and _FLAG.search(node.value)
            ):
                found.append(f"{rel}:{node.lineno}: {node.value[:60]!r}")
    assert not found, found
