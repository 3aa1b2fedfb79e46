"""Distributed, resumable, exact: serial equals Dask, a resumed killed run equals an
uninterrupted one, outputs are complete."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_county_cases import FIVE, write_county

from peakzero.county import load_county, read_buildings, run_county, write_outputs

#: Eight buildings: the five plus a second home, a factory and an office whose battery may pay
#: (the full-year LP route), so both sizing routes cross the partition boundaries.
ROWS = [
    *FIVE,
    {**FIVE[0], "id": "R2", "annual_kwh": 4200, "area_m2": 140},
    {**FIVE[3], "id": "C2", "annual_kwh": 900000, "area_m2": 2500, "feeder": "F1"},
    {**FIVE[1], "id": "G2", "annual_kwh": 60000, "area_m2": 400, "township": "West"},
]


def _county(folder: Path) -> Path:
    path = write_county(folder, ROWS)
    text = path.read_text("utf-8").replace("battery = false", "battery = true", 1)
    path.write_text(text, "utf-8")  # the government category may have a battery
    return path


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("serial")
    county = load_county(_county(folder))
    buildings, _ = read_buildings(county)
    run = run_county(county, buildings, folder / "out", workers=0, partition_size=3)
    return folder, run.results


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """One local Dask cluster of two worker processes for this module."""
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
        host="127.0.0.1",
    ) as c:  # fmt: skip
        yield c


def test_routes_cover_both(serial: tuple[Path, pd.DataFrame]) -> None:
    _, results = serial
    assert set(results["sizing"]) == {"pv_search", "lp_full_year"}
    assert results["id"].tolist() == [r["id"] for r in ROWS]


def test_distributed_equals_serial(
    serial: tuple[Path, pd.DataFrame], cluster: Any, tmp_path: Path
) -> None:
    folder, results = serial
    county = load_county(folder / "COUNTY.toml")
    buildings, _ = read_buildings(county)
    run = run_county(
        county, buildings, tmp_path / "out", scheduler=cluster.scheduler_address, partition_size=2
    )
    assert run.workers == 2
    pd.testing.assert_frame_equal(run.results, results, check_exact=True)


def test_outputs_complete(serial: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    folder, _ = serial
    county = load_county(folder / "COUNTY.toml")
    buildings, _ = read_buildings(county)
    run = run_county(county, buildings, tmp_path, workers=0, partition_size=4, resume=False)
    paths = write_outputs(run, buildings, tmp_path, lang="en")
    for name in ("buildings.parquet", "buildings.csv", "buildings.geojson", "townships.csv",
                 "feeders.csv", "summary.json", "report.html"):  # fmt: skip
        assert paths[name].is_file(), name
    info = json.loads(paths["summary.json"].read_text("utf-8"))
    assert info["pv_kwp"] == pytest.approx(float(run.results["pv_kwp"].sum()), abs=1e-3)
    table = pd.read_parquet(paths["buildings.parquet"])
    assert table["rank"].tolist() == list(range(1, len(ROWS) + 1))
    paid = table[table["pv_kwp"] > 0]["payback_years"].to_numpy()
    assert (paid[1:] >= paid[:-1]).all()  # ranked by payback
    html = paths["report.html"].read_text("utf-8")
    assert "<svg" in html and "NEA minimum shares" in html
    assert sorted(info["feeder_flags"]) and info["cheapest_programme"]["status"] in (
        "optimal", "infeasible",
    )  # fmt: skip


def test_resume_after_kill_equals_uninterrupted(
    serial: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    """Kill -9 a serial CLI run after its first partitions are written, resume it, compare."""
    folder, results = serial
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "peakzero", "county", "run", str(folder / "COUNTY.toml"),
           "--out", str(out), "--workers", "0", "--partition-size", "1", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while len(list((out / "parts").glob("part-*.parquet"))) < 2:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no partition written in 240 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    done = len(list((out / "parts").glob("part-*.parquet")))
    assert 2 <= done < len(ROWS)
    assert not list((out / "parts").glob("*.tmp"))  # nothing half-written survives as a part
    county = load_county(folder / "COUNTY.toml")
    buildings, _ = read_buildings(county)
    run = run_county(county, buildings, out, workers=0, partition_size=1, resume=True)
    assert run.computed_partitions == run.partitions - done  # a chain of two is one partition
    pd.testing.assert_frame_equal(run.results, results, check_exact=True)


def test_resume_with_other_inputs_is_refused(
    serial: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    from peakzero.errors import PeakzeroError

    folder, _ = serial
    county = load_county(folder / "COUNTY.toml")
    buildings, _ = read_buildings(county)
    run_county(county, buildings[:3], tmp_path, workers=0, partition_size=1)
    with pytest.raises(PeakzeroError, match="cannot resume"):
        run_county(county, buildings, tmp_path, workers=0, partition_size=1, resume=True)
