"""The worker: claims plan jobs, runs each in a child process, heartbeats, stores the result.

The plan runs in a forked child so that a time limit can stop it; the parent renews the lease
every ``lease / 3`` seconds and relays the child's progress. The child dies with its parent
(``PR_SET_PDEATHSIG``), so ``kill -9`` of the worker leaves no orphan that could finish late;
the lease then expires and another worker (or this one, restarted) runs the job again.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing as mp
import os
import signal
import socket
import time
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy import Engine, select

from peakzero.errors import PeakzeroError
from peakzero.web import engine as planner
from peakzero.web.config import Settings
from peakzero.web.db import make_engine
from peakzero.web.jobs import Claim, claim, finish, heartbeat
from peakzero.web.models import PlanRequest, Upload
from peakzero.web.outbox import deliver_outbox

#: Seconds between polls of an empty queue.
POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux: the lease still protects the result
        pass


def _child(url: str, plan_id: int, pipe: Connection) -> None:
    """Run one plan in the child; send ("progress", step) messages and one final message."""
    _die_with_parent()
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            request = conn.execute(select(PlanRequest).where(PlanRequest.id == plan_id)).one()
            file_ids = json.loads(request.files_json)
            files: dict[str, bytes] = {}
            for kind, upload_id in file_ids.items():
                row = conn.execute(
                    select(Upload.content).where(
                        Upload.id == int(upload_id), Upload.org_id == request.org_id
                    )
                ).first()
                if row is not None:
                    files[kind] = bytes(row[0])
        engine.dispose()
        out = planner.run_plan_files(
            json.loads(request.plan_json),
            files,
            report=bool(request.report),
            lang="en" if request.lang == "en" else "zh",
            progress=lambda step: pipe.send(("progress", step)),
        )
        pipe.send(
            (
                "succeeded",
                {
                    "results_json": out.results_json,
                    "summary_json": json.dumps(out.summary),
                    "tables_json": json.dumps(out.tables, ensure_ascii=False),
                    "report_html": out.report_html,
                    "report_pdf": out.report_pdf,
                },
            )
        )
    except PeakzeroError as exc:
        status = "infeasible" if planner.is_infeasible(exc) else "failed"
        pipe.send((status, {"error": str(exc), "error_field": exc.field}))
    except Exception as exc:  # any engine bug becomes a failed job, not a hang
        pipe.send(("failed", {"error": f"internal error: {type(exc).__name__}: {exc}"}))
    finally:
        pipe.close()


def run_claimed(engine: Engine, settings: Settings, c: Claim) -> str:
    """Run one claimed job to its final status (or until the lease is lost); return the status."""
    ctx = mp.get_context("fork")
    parent_end, child_end = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(settings.database_url, c.plan_id, child_end), daemon=True
    )
    proc.start()
    child_end.close()
    started = time.monotonic()
    beat = settings.lease_seconds / 3.0
    steps = planner.PLAN_STEPS
    final: tuple[str, dict[str, Any]] | None = None
    last_beat = started
    try:
        while final is None:
            elapsed = time.monotonic() - started
            if elapsed > c.time_limit_s:
                final = (
                    "timed_out",
                    {"error": f"the plan ran longer than the time limit of {c.time_limit_s:g} s"},
                )
                break
            progress: str | None = None
            if parent_end.poll(min(beat, max(c.time_limit_s - elapsed, 0.0) + 0.01)):
                try:
                    kind, payload = parent_end.recv()
                except EOFError:
                    final = ("failed", {"error": "the plan process ended without a result"})
                    break
                if kind != "progress":
                    final = (kind, payload)
                    break
                progress = str(payload)
            if progress is not None or time.monotonic() - last_beat >= beat:
                fraction = steps.index(progress) / len(steps) if progress in steps else None
                if not heartbeat(engine, c, settings.lease_seconds, progress, fraction):
                    return "lost"
                last_beat = time.monotonic()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent_end.close()
    status, payload = final
    if status == "succeeded":
        ok = finish(engine, c, "succeeded", result=payload)
    else:
        ok = finish(
            engine,
            c,
            status,
            error=payload.get("error", ""),
            error_field=payload.get("error_field"),
        )
    return status if ok else "lost"


def worker_loop(
    settings: Settings, *, once: bool = False, max_jobs: int | None = None, name: str | None = None
) -> int:
    """Claim and run jobs until stopped (or, with ``once``, until the queue is empty)."""
    planner.warm()
    engine = make_engine(settings.database_url)
    worker_id = name or f"{socket.gethostname()}:{os.getpid()}"
    done = 0
    stop = False

    def _stop(_sig: int, _frame: Any) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    while not stop:
        deliver_outbox(engine, settings)
        c = claim(engine, worker_id, settings.lease_seconds)
        if c is None:
            if once:
                break
            time.sleep(POLL_SECONDS)
            continue
        run_claimed(engine, settings, c)
        done += 1
        if max_jobs is not None and done >= max_jobs:
            break
    engine.dispose()
    return done
