"""Kill test: 20 plan jobs, the worker SIGKILLed in the middle of them and restarted: every job
completes, and each plan has exactly one result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_world import World, small_plan

from peakzero.web import jobs
from peakzero.web.db import session_factory, transaction
from peakzero.web.models import Job, PlanResult

N_JOBS = 20
#: The lease of the test worker [s]: short, so that the restarted worker re-claims soon.
LEASE_S = "2"
#: Generous bound for the whole run on a busy 2-core machine [s] (not a performance check).
DEADLINE_S = 300


def _worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PEAKZERO_DATABASE_URL": url, "PEAKZERO_LEASE_SECONDS": LEASE_S}
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "peakzero", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    return {str(status): int(n) for status, n in rows}


def test_sigkill_worker_loses_no_job(world: World, tmp_path: Path) -> None:
    engine = world.client.app.state.engine  # type: ignore[attr-defined]
    factory = session_factory(engine)
    with transaction(factory) as session:
        for k in range(N_JOBS):
            jobs.enqueue_plan(
                session, org_id=world.org_a, plan=small_plan(f"kill {k}"), report=False
            )
    log = tmp_path / "worker.log"
    start = time.monotonic()
    proc = _worker(world.settings.database_url, log)
    # wait until some jobs are done and one is running, then kill -9 the worker in the middle
    while True:
        with Session(engine) as s:
            counts = _counts(s)
            running = s.scalars(select(Job).where(Job.status == "running")).first()
        if (
            counts.get("succeeded", 0) >= 3
            and running is not None
            and running.progress
            in (
                "site",
                "pathway",
                "roof",
                "inventory",
            )
        ):
            break
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() - start < DEADLINE_S, counts
        time.sleep(0.05)
    killed_job = running.id
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Session(engine) as s:
        assert s.get(Job, killed_job).status == "running"  # type: ignore[union-attr]
        done_before = _counts(s).get("succeeded", 0)
    assert 3 <= done_before < N_JOBS
    proc = _worker(world.settings.database_url, log)
    try:
        while True:
            with Session(engine) as s:
                counts = _counts(s)
            if counts.get("succeeded", 0) + counts.get("failed", 0) >= N_JOBS:
                break
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() - start < DEADLINE_S, counts
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    with Session(engine) as s:
        assert _counts(s) == {"succeeded": N_JOBS}
        per_plan = s.execute(
            select(PlanResult.plan_id, func.count()).group_by(PlanResult.plan_id)
        ).all()
        assert len(per_plan) == N_JOBS
        assert all(n == 1 for _, n in per_plan)
        killed = s.get(Job, killed_job)
        assert killed is not None
        assert killed.attempts == 2  # interrupted once, completed on the retry
        result = s.scalars(select(PlanResult).where(PlanResult.job_id == killed_job)).one()
        assert result.attempt == 2
