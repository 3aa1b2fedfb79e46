"""The package shell: error type, data loader, CLI exit codes."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import peakzero
from peakzero.cli import main
from peakzero.cli._output import to_json
from peakzero.data import data_path, read_table
from peakzero.errors import PeakzeroError, check_range


def test_error_is_a_value_error_and_keeps_the_field() -> None:
    exc = PeakzeroError("latitude = 95 is out of range", field="latitude")
    assert isinstance(exc, ValueError)
    assert exc.field == "latitude"


@pytest.mark.parametrize("value", [-90.0, 0.0, 90.0])
def test_check_range_accepts_bounds(value: float) -> None:
    assert check_range("latitude", value, -90, 90) == value


@pytest.mark.parametrize("value", [95.0, -90.5, math.nan])
def test_check_range_names_field_value_and_range(value: float) -> None:
    with pytest.raises(PeakzeroError) as info:
        check_range("latitude", value, -90, 90, unit="deg", fix="Use decimal degrees north.")
    message = str(info.value)
    assert "latitude" in message
    assert "-90 to 90 deg" in message
    assert "Use decimal degrees north." in message
    assert info.value.field == "latitude"


def test_version_is_exposed() -> None:
    assert peakzero.__version__.count(".") == 2


def test_missing_bundled_file_is_a_clear_error() -> None:
    with pytest.raises(PeakzeroError, match=r"no-such-file\.csv"):
        data_path("no-such-file.csv")


def test_read_table_requires_a_source_on_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peakzero.data as data_module

    good = tmp_path / "good.csv"
    good.write_text("# a note\nname,value,source\na,1,MEE 2024\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value,source\na,1,MEE 2024\nb,2,\n")
    nosource = tmp_path / "nosource.csv"
    nosource.write_text("name,value\na,1\n")
    monkeypatch.setattr(data_module, "data_path", lambda name: tmp_path / name)
    frame = read_table("good.csv")
    assert list(frame.columns) == ["name", "value", "source"]
    with pytest.raises(PeakzeroError, match=r"rows \[3\] have no source"):
        read_table("bad.csv")
    with pytest.raises(PeakzeroError, match="no 'source' column"):
        read_table("nosource.csv")


def test_json_output_is_clean() -> None:
    import numpy as np

    text = to_json({"a": np.float64(1.5), "b": np.arange(3), "c": math.nan, "d": pd.NA is None})
    assert text.replace(" ", "").replace("\n", "") == '{"a":1.5,"b":[0,1,2],"c":null,"d":false}'


def test_cli_help_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "carbon peak" in capsys.readouterr().out
    assert main(["no-such-command"]) == 2
    assert main([]) == 2  # no arguments: help, and a usage exit code
