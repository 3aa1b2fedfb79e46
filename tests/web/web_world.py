"""Helpers of the web tests (imported by the tests and by conftest.py)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from peakzero.web.app import create_app
from peakzero.web.bootstrap import ensure_org
from peakzero.web.config import Settings
from peakzero.web.db import session_factory, transaction
from peakzero.web.security import new_api_key

ADMIN_PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class World:
    """An application with two organisations, their admin accounts and API keys."""

    client: TestClient
    settings: Settings
    key_a: str
    key_b: str
    org_a: int
    org_b: int
    email_a: str = "admin@a.example.com"
    email_b: str = "admin@b.example.com"

    def api(self, org: str = "a") -> dict[str, str]:
        return {"X-API-Key": self.key_a if org == "a" else self.key_b}


def make_world(url: str, **settings: Any) -> World:
    s = Settings(database_url=url, **settings)
    app = create_app(s)
    factory = session_factory(app.state.engine)
    with transaction(factory) as session:
        a = ensure_org(
            session,
            "alpha",
            "Alpha Solar 阿尔法",
            admin_email="admin@a.example.com",
            admin_password=ADMIN_PASSWORD,
            contact_line="400-111-1111",
        )
        b = ensure_org(
            session,
            "beta",
            "Beta Energy",
            admin_email="admin@b.example.com",
            admin_password=ADMIN_PASSWORD,
        )
        _, key_a = new_api_key(session, a.org.id, "test")
        _, key_b = new_api_key(session, b.org.id, "test")
        org_a, org_b = a.org.id, b.org.id
    client = TestClient(app, base_url="http://127.0.0.1")
    return World(client, s, key_a, key_b, org_a, org_b)


def small_plan(title: str = "Test office", *, annual_kwh: float = 400_000.0) -> dict[str, Any]:
    """A small, quick plan (office in Nanjing, PV only, tilt given): about 1 s to run."""
    from peakzero.estimate import estimate, estimate_input
    from peakzero.web.engine import plan_from_estimate

    inp = estimate_input(
        {
            "province": "Jiangsu",
            "city": "南京",
            "annual_kwh": annual_kwh,
            "roof_area_m2": 800,
            "building_type": "office",
        }
    )
    plan = plan_from_estimate(inp, estimate(inp), title=title)
    plan["roof"]["tilt_deg"] = 20
    plan["site"]["battery"] = {"enabled": False}
    return plan
