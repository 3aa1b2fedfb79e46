"""Settings of the web service, read from the environment once (``PEAKZERO_*``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The SQLite file used when ``PEAKZERO_DATABASE_URL`` is not set.
DEFAULT_SQLITE = "var/peakzero.db"


@dataclass(frozen=True)
class Settings:
    """Service settings.

    Attributes
    ----------
    database_url
        SQLAlchemy URL: ``sqlite:///path.db`` (default ``var/peakzero.db``) or
        ``postgresql+psycopg://user@host:port/db``.
    lease_seconds
        How long a claimed job stays with its worker without a heartbeat [s].
    job_time_limit_seconds
        Wall-clock limit of one job attempt [s]; beyond it the job is ``timed_out``.
    max_attempts
        Attempts before a job whose worker keeps dying is marked ``failed``.
    outbox_webhook
        Optional URL a new lead is POSTed to (the outbox keeps every message either way).
    secure_cookies
        Mark cookies ``Secure`` (behind HTTPS).
    """

    database_url: str
    lease_seconds: float = 30.0
    job_time_limit_seconds: float = 600.0
    max_attempts: int = 3
    outbox_webhook: str | None = None
    secure_cookies: bool = False


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``PEAKZERO_DATABASE_URL``, ``PEAKZERO_LEASE_SECONDS``,
    ``PEAKZERO_JOB_TIME_LIMIT_SECONDS``, ``PEAKZERO_MAX_ATTEMPTS``, ``PEAKZERO_OUTBOX_WEBHOOK``,
    ``PEAKZERO_SECURE_COOKIES``."""
    e = os.environ if env is None else env
    url = e.get("PEAKZERO_DATABASE_URL") or f"sqlite:///{Path(DEFAULT_SQLITE)}"
    return Settings(
        database_url=url,
        lease_seconds=float(e.get("PEAKZERO_LEASE_SECONDS", "30")),
        job_time_limit_seconds=float(e.get("PEAKZERO_JOB_TIME_LIMIT_SECONDS", "600")),
        max_attempts=int(e.get("PEAKZERO_MAX_ATTEMPTS", "3")),
        outbox_webhook=e.get("PEAKZERO_OUTBOX_WEBHOOK") or None,
        secure_cookies=e.get("PEAKZERO_SECURE_COOKIES", "0") == "1",
    )
