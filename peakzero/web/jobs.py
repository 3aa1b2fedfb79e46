"""The durable job queue: enqueue, claim with a lease, heartbeat, finish exactly once.

A job is ``queued`` until a worker claims it; the claim sets ``running``, counts the attempt and
gives the job a lease (a random token and an expiry). The worker renews the lease with each
heartbeat. A worker that dies stops renewing: once the lease has expired any worker may claim the
job again (the next attempt), up to ``max_attempts``, after which it is ``failed``. Finishing
checks the token, so a worker that lost its lease cannot overwrite the next attempt, and the
result row is unique per plan, so a job that runs twice stores one result.

Claiming is one transaction: SQLite takes the write lock first (``BEGIN IMMEDIATE``) so two
workers never read the same candidate; PostgreSQL locks the candidate row with
``FOR UPDATE SKIP LOCKED`` so concurrent workers skip to the next one.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from peakzero.web.db import is_sqlite
from peakzero.web.models import Job, PlanRequest, PlanResult, now


@dataclass(frozen=True)
class Claim:
    """A job a worker holds: which, which attempt, the lease token and the time limit [s]."""

    job_id: int
    plan_id: int
    attempt: int
    lease_token: str
    time_limit_s: float


def enqueue_plan(
    session: Session,
    *,
    org_id: int,
    plan: dict[str, Any],
    files: dict[str, str] | None = None,
    project_id: int | None = None,
    report: bool = True,
    lang: str = "zh",
    time_limit_s: float = 600.0,
    max_attempts: int = 3,
) -> tuple[PlanRequest, Job]:
    """Add a plan request and its queued job in the caller's transaction.

    ``files`` maps an upload kind to an upload id (as text) of the same organisation.
    """
    request = PlanRequest(
        org_id=org_id,
        project_id=project_id,
        plan_json=json.dumps(plan, ensure_ascii=False),
        files_json=json.dumps(files or {}),
        report=report,
        lang=lang,
    )
    session.add(request)
    session.flush()
    job = Job(
        org_id=org_id,
        plan_id=request.id,
        status="queued",
        time_limit_s=time_limit_s,
        max_attempts=max_attempts,
    )
    session.add(job)
    session.flush()
    return request, job


def claim(engine: Engine, worker_id: str, lease_seconds: float) -> Claim | None:
    """Claim the oldest queued job, or a running one whose lease expired; None if there is none.

    A job whose lease expired after its last allowed attempt is marked ``failed`` on the way.
    """
    conn_opts: dict[str, Any] = {"immediate": True} if is_sqlite(engine) else {}
    with engine.connect().execution_options(**conn_opts) as conn, conn.begin():
        session = Session(bind=conn)
        t = now()
        while True:
            query = (
                select(Job)
                .where(
                    or_(
                        Job.status == "queued",
                        (Job.status == "running") & (Job.lease_expires_at < t),
                    )
                )
                .order_by(Job.id)
                .limit(1)
            )
            if not is_sqlite(engine):
                query = query.with_for_update(skip_locked=True)
            job = session.scalars(query).first()
            if job is None:
                return None
            if job.status == "running" and job.attempts >= job.max_attempts:
                job.status = "failed"
                job.error = (
                    f"the worker stopped during each of {job.attempts} attempts (lease expired); "
                    "the job was given up"
                )
                job.finished_at = t
                job.lease_token = None
                session.flush()
                continue
            token = secrets.token_hex(16)
            job.status = "running"
            job.attempts += 1
            job.lease_token = token
            job.lease_expires_at = t + lease_seconds
            job.worker_id = worker_id
            job.started_at = t
            job.progress = "claimed"
            session.flush()
            claim_ = Claim(job.id, job.plan_id, job.attempts, token, job.time_limit_s)
            session.close()
            return claim_


def heartbeat(
    engine: Engine,
    c: Claim,
    lease_seconds: float,
    progress: str | None = None,
    fraction: float | None = None,
) -> bool:
    """Renew the lease (and record progress); False when the job is no longer this worker's."""
    values: dict[str, Any] = {"lease_expires_at": now() + lease_seconds}
    if progress is not None:
        values["progress"] = progress
    if fraction is not None:
        values["progress_fraction"] = fraction
    with engine.begin() as conn:
        result = conn.execute(
            update(Job)
            .where(Job.id == c.job_id, Job.lease_token == c.lease_token, Job.status == "running")
            .values(**values)
        )
        return bool(result.rowcount == 1)


def finish(
    engine: Engine,
    c: Claim,
    status: str,
    *,
    error: str = "",
    error_field: str | None = None,
    result: dict[str, Any] | None = None,
) -> bool:
    """End an attempt with a final status (and its result) in one transaction.

    Returns False, and changes nothing, when the lease was lost (another attempt owns the job).
    The result is stored only if the plan has none yet, so a job that ran twice keeps one.
    """
    conn_opts: dict[str, Any] = {"immediate": True} if is_sqlite(engine) else {}
    with engine.connect().execution_options(**conn_opts) as conn, conn.begin():
        session = Session(bind=conn)
        query = select(Job).where(Job.id == c.job_id, Job.lease_token == c.lease_token)
        if not is_sqlite(engine):
            query = query.with_for_update()
        job = session.scalars(query).first()
        if job is None or job.status != "running":
            session.close()
            return False
        if result is not None:
            exists = session.scalars(
                select(PlanResult.id).where(PlanResult.plan_id == job.plan_id)
            ).first()
            if exists is None:
                session.add(
                    PlanResult(
                        org_id=job.org_id,
                        plan_id=job.plan_id,
                        job_id=job.id,
                        attempt=c.attempt,
                        **result,
                    )
                )
        job.status = status
        job.error = error
        job.error_field = error_field
        job.finished_at = now()
        job.lease_token = None
        job.lease_expires_at = None
        if status == "succeeded":
            job.progress, job.progress_fraction = "done", 1.0
        session.flush()
        session.close()
        return True


def job_view(job: Job) -> dict[str, Any]:
    """The public JSON of a job."""
    return {
        "id": job.id,
        "plan_id": job.plan_id,
        "status": job.status,
        "progress": job.progress,
        "progress_fraction": round(job.progress_fraction, 3),
        "attempts": job.attempts,
        "error": job.error or None,
        "error_field": job.error_field,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
