"""Fixtures of the web tests: a throwaway PostgreSQL cluster, a database per test on SQLite and
on PostgreSQL, and an application with two organisations (A and B) and their API keys."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
sys.path.insert(0, str(Path(__file__).parent))

from web_world import World, free_port, make_world


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary folder on 127.0.0.1 (initdb; stopped at the end).

    Skips only when the server binaries are absent (``scripts/setup_web_deps.sh`` installs them;
    the make targets run it). As root, the cluster runs as the ``postgres`` system user
    (PostgreSQL refuses to run as root).
    """
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb) not installed: run scripts/setup_web_deps.sh"
        )
    root = Path(tempfile.mkdtemp(prefix="peakzero-pg-"))
    run_as: dict[str, Any] = {}
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        run_as = {"user": "postgres", "group": "postgres"}
    data, port = root / "data", free_port()
    subprocess.run(
        [
            bindir / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **run_as,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [bindir / "pg_ctl", "-D", data, "-o", options, "-l", root / "log", "-w", "start"],
        check=True,
        capture_output=True,
        **run_as,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
            capture_output=True,
            **run_as,
        )
        shutil.rmtree(root, ignore_errors=True)


def _new_pg_database(server: str) -> str:
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(
        server.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database in the PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'peakzero.db'}"
    server = request.getfixturevalue("pg_server")
    return _new_pg_database(server)


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    w = make_world(db_url)
    with w.client:
        yield w
    w.client.app.state.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    w = make_world(f"sqlite:///{tmp_path / 'peakzero.db'}")
    with w.client:
        yield w
    w.client.app.state.engine.dispose()  # type: ignore[attr-defined]
