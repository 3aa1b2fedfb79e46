"""The web service under load: instant estimates over HTTP at 20 concurrent clients, and full plan
jobs per minute per worker.

A Uvicorn server (one process) runs on a temporary SQLite file on loopback; a load generator of
20 threads, each with its own keep-alive HTTP connection, posts ``POST /api/v1/estimates`` with
inputs cycled over 16 places in 9 provinces (typed in Chinese or pinyin) and building types
(after one warm-up pass, so every station's per-kWp profile is cached, as in a running
service). Reported: requests per second and the
p50 / p95 / p99 latency seen by the clients. Peer in the same run: the full site LP
(:func:`peakzero.site.optimize_site`, PV + battery, what the expert's plan and REopt-like tools
run per request) on one of the same cases, so the table shows what the instant answer saves.

Jobs: ``N_JOBS`` small plans (an office in Nanjing from the estimate, PV + battery, no report)
and ``N_REPORT_JOBS`` with the PDF/HTML report are queued, one ``peakzero worker`` process runs
them; plan jobs per minute = jobs / wall time from the worker's start to the last result.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

CLIENTS = 20
REQUESTS_PER_CLIENT = 50
N_JOBS = 8
N_REPORT_JOBS = 2
PLACES = [
    ("Jiangsu", "苏州", "factory_two_shift"),
    ("Jiangsu", "Nanjing", "office"),
    ("Jiangsu", "Xuzhou", "factory_one_shift"),
    ("Zhejiang", "杭州", "mall"),
    ("Zhejiang", "Ningbo", "factory_continuous"),
    ("Zhejiang", "温州", "hospital"),
    ("Shanghai", "上海", "office"),
    ("Guangdong", "深圳", "factory_two_shift"),
    ("Guangdong", "Guangzhou", "cold_storage"),
    ("Guangdong", "汕头", "mall"),
    ("Shandong", "青岛", "factory_one_shift"),
    ("Shandong", "Jinan", "hospital"),
    ("四川", "成都", "factory_two_shift"),  # provinces beyond the first five, Chinese or pinyin
    ("sichuan", "Mianyang", "office"),
    ("新疆", "乌鲁木齐", "factory_continuous"),
    ("内蒙古", "呼和浩特", "mall"),
]


def _body(k: int) -> bytes:
    province, city, kind = PLACES[k % len(PLACES)]
    raw: dict[str, Any] = {
        "province": province,
        "city": city,
        "building_type": kind,
        "roof_area_m2": 2000 + 500 * (k % 17),
    }
    if k % 2:
        raw["annual_kwh"] = 500_000 + 100_000 * (k % 23)
    else:
        raw["monthly_bill_yuan"] = 40_000 + 5_000 * (k % 19)
    return json.dumps(raw).encode()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(url: str) -> str:
    from peakzero.web.bootstrap import ensure_org
    from peakzero.web.db import make_engine, session_factory, transaction
    from peakzero.web.migrate import upgrade
    from peakzero.web.security import new_api_key

    engine = make_engine(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        org = ensure_org(session, "bench", "Bench", admin_email="bench@example.com").org
        _, key = new_api_key(session, org.id, "bench")
    engine.dispose()
    return key


def _wait(base: str) -> None:
    for _ in range(600):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _client(port: int, key: str, offset: int, n: int, out: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "X-API-Key": key}
    for k in range(n):
        body = _body(offset + k)
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/estimates", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        out.append(time.perf_counter() - t0)
        if response.status != 200:
            errors.append(response.status)
    conn.close()


def _load_test(port: int, key: str) -> dict[str, Any]:
    warm: list[float] = []
    _client(port, key, 0, 2 * len(PLACES), warm, [])  # every place and both inputs once
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    errors: list[int] = []
    threads = [
        threading.Thread(
            target=_client,
            args=(port, key, c * REQUESTS_PER_CLIENT, REQUESTS_PER_CLIENT, latencies[c], errors),
        )
        for c in range(CLIENTS)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    flat = sorted(x for lat in latencies for x in lat)
    q = statistics.quantiles(flat, n=100, method="inclusive")
    return {
        "clients": CLIENTS,
        "requests": len(flat),
        "errors": len(errors),
        "estimates_per_s": round(len(flat) / wall, 1),
        "latency_p50_ms": round(1000 * q[49], 1),
        "latency_p95_ms": round(1000 * q[94], 1),
        "latency_p99_ms": round(1000 * q[98], 1),
        "latency_max_ms": round(1000 * flat[-1], 1),
        "cold_first_request_ms": round(1000 * warm[0], 1),
    }


def _peer_lp() -> dict[str, Any]:
    """The full site LP on the first case (PV + battery), timed in this process."""
    from peakzero.estimate import estimate, estimate_input
    from peakzero.site import optimize_site, site_from_dict

    inp = estimate_input(json.loads(_body(1)))
    est = estimate(inp)
    site = site_from_dict(
        {
            "name": "bench",
            "year": 2025,
            "location": {"station": est.station, "province": inp.province},
            "load": {"archetype": inp.building_type, "annual_kwh": est.annual_load_kwh},
            "tariff": {"name": est.tariff},
            "pv": {"max_kwp": est.roof_max_kwp, "tilt_deg": est.tilt_deg},
        }
    )
    optimize_site(site)  # warm
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        optimize_site(site)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(20):
        estimate(inp)
    in_process = (time.perf_counter() - t0) / 20
    return {
        "peer": "site LP (optimize_site: PV + battery sizing and dispatch, HiGHS)",
        "peer_lp_seconds_median": round(statistics.median(times), 3),
        "estimate_in_process_ms": round(1000 * in_process, 2),
    }


def _jobs(url: str, folder: Path) -> dict[str, Any]:
    from sqlalchemy import func, select

    from peakzero.estimate import estimate, estimate_input
    from peakzero.web.db import make_engine, session_factory, transaction
    from peakzero.web.engine import plan_from_estimate
    from peakzero.web.jobs import enqueue_plan
    from peakzero.web.models import Job, Organisation

    inp = estimate_input(
        {
            "province": "Jiangsu",
            "city": "南京",
            "annual_kwh": 400_000,
            "roof_area_m2": 800,
            "building_type": "office",
        }
    )
    plan = plan_from_estimate(inp, estimate(inp), title="bench")
    engine = make_engine(url)
    figures: dict[str, Any] = {}
    for label, n, report in (("no_report", N_JOBS, False), ("with_report", N_REPORT_JOBS, True)):
        with transaction(session_factory(engine)) as session:
            org_id = session.scalars(select(Organisation.id)).first()
            assert org_id is not None
            for _ in range(n):
                enqueue_plan(session, org_id=org_id, plan=plan, report=report)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "peakzero", "worker", "--once"],
            env={**os.environ, "PEAKZERO_DATABASE_URL": url},
            capture_output=True,
            check=True,
        )
        wall = time.perf_counter() - t0
        with session_factory(engine)() as session:
            ok = session.scalar(
                select(func.count()).select_from(Job).where(Job.status == "succeeded")
            )
        figures[f"plan_jobs_per_min_per_worker_{label}"] = round(60 * n / wall, 1)
        figures[f"plan_job_seconds_{label}"] = round(wall / n, 2)
        figures[f"jobs_{label}"] = n
        del proc
        figures["jobs_succeeded_total"] = ok
    engine.dispose()
    figures["jobs_note"] = (
        "wall time of one `peakzero worker --once` process from start (includes its import and "
        "warm-up, about 3 s) to the last result; small office plan (PV + battery, pathway LP)"
    )
    return figures


def run() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="peakzero-bench-web-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    key = _seed(url)
    port = _free_port()
    env = {**os.environ, "PEAKZERO_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "peakzero", "serve", "--port", str(port)],  # what users run
        env=env,
    )
    try:
        _wait(f"http://127.0.0.1:{port}")
        figures: dict[str, Any] = {
            "case": "POST /api/v1/estimates, 16 places (9 provinces) x building types"
        }
        figures.update(_load_test(port, key))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    figures.update(_peer_lp())
    figures["estimate_speedup_vs_lp_p50"] = round(
        1000 * figures["peer_lp_seconds_median"] / figures["latency_p50_ms"], 1
    )
    figures.update(_jobs(url, folder))
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
