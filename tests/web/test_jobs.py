"""The durable job queue on SQLite and PostgreSQL: claims, leases, retries, final statuses."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_world import World, small_plan

from peakzero.web import jobs
from peakzero.web.config import Settings
from peakzero.web.db import make_engine, session_factory, transaction
from peakzero.web.models import Job, PlanResult
from peakzero.web.worker import run_claimed, worker_loop


def _enqueue(w: World, n: int, **kw: object) -> list[int]:
    factory = session_factory(w.client.app.state.engine)  # type: ignore[attr-defined]
    ids = []
    with transaction(factory) as session:
        for k in range(n):
            _, job = jobs.enqueue_plan(
                session, org_id=w.org_a, plan=small_plan(f"job {k}"), report=False, **kw
            )
            ids.append(job.id)
    return ids


def test_concurrent_claims_never_share_a_job(world: World) -> None:
    """Four threads claim 12 jobs at once: each job is claimed exactly once."""
    _enqueue(world, 12)
    engine = make_engine(world.settings.database_url)
    claimed: list[int] = []
    lock = threading.Lock()

    def grab(name: str) -> None:
        while (c := jobs.claim(engine, name, 60.0)) is not None:
            with lock:
                claimed.append(c.job_id)

    threads = [threading.Thread(target=grab, args=(f"w{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == 12


def test_expired_lease_is_retried_then_given_up(world: World) -> None:
    (job_id,) = _enqueue(world, 1, max_attempts=2)
    engine = world.client.app.state.engine  # type: ignore[attr-defined]
    first = jobs.claim(engine, "dead", lease_seconds=0.05)
    assert first is not None and first.attempt == 1
    assert jobs.claim(engine, "other", 60.0) is None  # leased: nobody else gets it
    time.sleep(0.1)
    second = jobs.claim(engine, "next", lease_seconds=0.05)
    assert second is not None and second.job_id == job_id and second.attempt == 2
    # the first worker lost its lease: its heartbeat and its finish are refused
    assert not jobs.heartbeat(engine, first, 60.0)
    assert not jobs.finish(engine, first, "succeeded", result=None)
    time.sleep(0.1)
    assert jobs.claim(engine, "third", 60.0) is None  # 2 attempts used: given up
    with Session(engine) as s:
        job = s.get(Job, job_id)
        assert job is not None
        assert job.status == "failed"
        assert "2 attempts" in job.error


def test_result_stored_once_when_a_job_runs_twice(world: World) -> None:
    _enqueue(world, 1)
    engine = world.client.app.state.engine  # type: ignore[attr-defined]
    result = {"results_json": "{}", "summary_json": "{}"}
    a = jobs.claim(engine, "a", lease_seconds=0.05)
    assert a is not None
    time.sleep(0.1)
    b = jobs.claim(engine, "b", lease_seconds=60.0)
    assert b is not None
    assert jobs.finish(engine, b, "succeeded", result=result)
    assert not jobs.finish(engine, a, "succeeded", result=result)  # late: refused
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(PlanResult)) == 1
        assert s.scalars(select(PlanResult.attempt)).one() == 2


def test_time_limit_and_infeasible_and_success(world: World) -> None:
    engine = world.client.app.state.engine  # type: ignore[attr-defined]
    factory = session_factory(engine)
    infeasible = small_plan("no measures")
    infeasible.pop("pathway")  # net zero by 2060 cannot be met without measures
    with transaction(factory) as session:
        _, slow = jobs.enqueue_plan(
            session, org_id=world.org_a, plan=small_plan(), report=False, time_limit_s=0.2
        )
        _, bad = jobs.enqueue_plan(session, org_id=world.org_a, plan=infeasible, report=False)
        _, good = jobs.enqueue_plan(session, org_id=world.org_a, plan=small_plan(), report=False)
        ids = (slow.id, bad.id, good.id)
    settings = Settings(database_url=world.settings.database_url, lease_seconds=3.0)
    statuses = []
    for _ in ids:
        c = jobs.claim(engine, "t", settings.lease_seconds)
        assert c is not None
        statuses.append(run_claimed(engine, settings, c))
    assert statuses == ["timed_out", "infeasible", "succeeded"]
    with Session(engine) as s:
        slow_job, bad_job = s.get(Job, ids[0]), s.get(Job, ids[1])
        assert slow_job is not None and bad_job is not None
        assert "time limit of 0.2 s" in slow_job.error
        assert "net zero by 2060 cannot be met" in bad_job.error
        assert s.scalar(select(func.count()).select_from(PlanResult)) == 1


def test_worker_once_empties_the_queue(world: World) -> None:
    _enqueue(world, 2)
    assert worker_loop(world.settings, once=True) == 2
    assert worker_loop(world.settings, once=True) == 0
