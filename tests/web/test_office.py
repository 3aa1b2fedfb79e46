"""Back office and visitor pages: login, sessions, CSRF, lockout, leads, isolation, PIPL rights,
honeypot, rate and size limits."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_world import ADMIN_PASSWORD, World

from peakzero.web.models import Lead, LeadEvent, OutboxMessage, User
from peakzero.web.public import MESSAGE_LIMIT
from peakzero.web.security import LOCKOUT_FAILURES

OFFICE_PAGES = [
    "/office",
    "/office/leads",
    "/office/leads/1",
    "/office/projects",
    "/office/projects/1",
    "/office/outbox",
    "/office/admin",
    "/office/jobs/1",
    "/office/plans/1/report.pdf",
    "/office/admin/person?email=a@b.c",
]


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def login(client: TestClient, email: str, password: str = ADMIN_PASSWORD) -> int:
    token = _csrf(client.get("/office/login").text)
    r = client.post(
        "/office/login",
        data={"email": email, "password": password, "csrf": token},
        follow_redirects=False,
    )
    return r.status_code


def office_csrf(client: TestClient) -> str:
    return _csrf(client.get("/office/leads").text)


def message(client: TestClient, slug: str = "alpha", **fields: str) -> tuple[int, str]:
    page = client.get(f"/o/{slug}")
    data = {
        "csrf": _csrf(page.text),
        "name": "李经理",
        "company": "某园区",
        "phone": "13800000000",
        "email": "li@example.com",
        "message": "请联系我",
        "consent": "yes",
        **fields,
    }
    r = client.post(f"/o/{slug}/message", data=data)
    return r.status_code, r.text


@pytest.mark.parametrize("path", OFFICE_PAGES)
def test_no_office_page_without_a_session(sqlite_world: World, path: str) -> None:
    r = sqlite_world.client.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/office/login"


def test_login_sets_a_strict_cookie_and_logout_ends_the_session(sqlite_world: World) -> None:
    c = sqlite_world.client
    token = _csrf(c.get("/office/login").text)
    r = c.post(
        "/office/login",
        data={"email": sqlite_world.email_a, "password": ADMIN_PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "pz_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert c.get("/office/leads").status_code == 200
    r = c.post("/office/logout", data={"csrf": office_csrf(c)}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/office/leads", follow_redirects=False).status_code == 303


def test_csrf_is_enforced(sqlite_world: World) -> None:
    c = sqlite_world.client
    # the login form itself needs its token
    r = c.post("/office/login", data={"email": sqlite_world.email_a, "password": ADMIN_PASSWORD})
    assert r.status_code == 403
    assert login(c, sqlite_world.email_a) == 303
    message(TestClient(c.app, base_url="http://127.0.0.1"))
    for path, data in [
        ("/office/leads/1/status", {"status": "won"}),
        ("/office/leads/1/note", {"note": "x"}),
        ("/office/admin/keys", {"name": "k"}),
        ("/office/logout", {}),
    ]:
        assert c.post(path, data=data).status_code == 403
        assert c.post(path, data={**data, "csrf": "wrong"}).status_code == 403
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        assert s.scalars(select(Lead.status)).one() == "new"
    # the public message form too
    r = c.post("/o/alpha/message", data={"name": "x", "consent": "yes", "csrf": "forged"})
    assert "表单已过期" in r.text


def test_lockout_after_repeated_failures(sqlite_world: World) -> None:
    c = sqlite_world.client
    for _ in range(LOCKOUT_FAILURES - 1):
        assert login(c, sqlite_world.email_a, "wrong password") == 401
    assert login(c, sqlite_world.email_a, "wrong password") == 401
    # locked: even the right password is refused, with the lock explained
    token = _csrf(c.get("/office/login").text)
    r = c.post(
        "/office/login",
        data={"email": sqlite_world.email_a, "password": ADMIN_PASSWORD, "csrf": token},
    )
    assert r.status_code == 401
    assert "锁定" in r.text
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        user = s.scalars(select(User).where(User.email == sqlite_world.email_a)).one()
        assert user.locked_until > 0
    assert login(c, sqlite_world.email_b) == 303  # other accounts unaffected


def test_lead_flow_history_and_outbox(sqlite_world: World) -> None:
    w = sqlite_world
    visitor = TestClient(w.client.app, base_url="http://127.0.0.1")
    status, text = message(visitor, message="屋顶 8000 平方米")
    assert status == 200 and "谢谢" in text
    c = w.client
    assert login(c, w.email_a) == 303
    leads = c.get("/office/leads?q=园区").text
    assert "李经理" in leads
    assert "李经理" not in c.get("/office/leads?status=won").text
    token = office_csrf(c)
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        lead_id = s.scalars(select(Lead.id)).one()
        me = s.scalars(select(User.id).where(User.email == w.email_a)).one()
    assert (
        c.post(
            f"/office/leads/{lead_id}/status",
            data={"status": "contacted", "csrf": token},
            follow_redirects=False,
        ).status_code
        == 303
    )
    c.post(f"/office/leads/{lead_id}/assign", data={"user_id": str(me), "csrf": token})
    c.post(f"/office/leads/{lead_id}/note", data={"note": "called, survey Tuesday", "csrf": token})
    r = c.post(f"/office/leads/{lead_id}/status", data={"status": "bogus", "csrf": token})
    assert r.status_code == 422
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        events = s.scalars(select(LeadEvent).order_by(LeadEvent.id)).all()
        assert [(e.kind, e.old, e.new) for e in events][:2] == [
            ("created", "", "new"),
            ("status", "new", "contacted"),
        ]
        assert events[1].user_id == me
        assert events[-1].note == "called, survey Tuesday"
        outbox = s.scalars(select(OutboxMessage)).one()
        assert '"lead.created"' in outbox.payload_json
        assert "li@example.com" not in outbox.payload_json  # no contact details in the outbox
    page = c.get(f"/office/leads/{lead_id}").text
    assert "called, survey Tuesday" in page and "contacted" not in page.split("<h1>")[0]
    assert "lead.created" in c.get("/office/outbox").text


def test_other_organisation_is_404_in_the_office(sqlite_world: World) -> None:
    w = sqlite_world
    message(TestClient(w.client.app, base_url="http://127.0.0.1"), slug="alpha")
    c = w.client
    assert login(c, w.email_b) == 303
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        lead_id = s.scalars(select(Lead.id)).one()
    assert c.get(f"/office/leads/{lead_id}").status_code == 404
    token = office_csrf(c)
    r = c.post(f"/office/leads/{lead_id}/status", data={"status": "won", "csrf": token})
    assert r.status_code == 404
    assert "李经理" not in c.get("/office/leads").text
    r = c.get("/office/admin/person?email=li@example.com")
    assert r.json() == {"leads": []}


def test_person_export_and_deletion(sqlite_world: World) -> None:
    w = sqlite_world
    message(TestClient(w.client.app, base_url="http://127.0.0.1"))
    c = w.client
    assert login(c, w.email_a) == 303
    data = c.get("/office/admin/person?email=LI@example.com ").json()
    assert len(data["leads"]) == 1
    assert data["leads"][0]["phone"] == "13800000000"
    assert "个人信息保护法" in data["leads"][0]["consent_text"]
    r = c.post(
        "/office/admin/person/delete", data={"email": "li@example.com", "csrf": office_csrf(c)}
    )
    assert r.status_code == 200
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        assert s.scalars(select(Lead)).all() == []
        assert s.scalars(select(LeadEvent)).all() == []
        assert s.scalars(select(OutboxMessage)).all() == []


def test_honeypot_consent_rate_and_size_limits(sqlite_world: World) -> None:
    c = sqlite_world.client
    status, text = message(c, website="http://spam.example")
    assert status == 200 and "谢谢" in text  # the bot is told "thank you"...
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        assert s.scalars(select(Lead)).all() == []  # ...and nothing is stored
    status, text = message(c, consent="")
    assert status == 422 and "同意" in text
    status, text = message(c, name="x" * 101)
    assert status == 422 and "name" in text
    for _ in range(MESSAGE_LIMIT - 3):
        status, text = message(c)
        assert status == 200, text[text.find("alert") :][:300]
    status, text = message(c)
    assert status == 422 and "频繁" in text
    r = c.post(
        "/o/alpha/message",
        content=b"x" * (3 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413


def test_public_page_languages_and_estimate_form(sqlite_world: World) -> None:
    c = sqlite_world.client
    zh = c.get("/o/alpha").text
    assert "即时估算" in zh and "Alpha Solar" in zh and "400-111-1111" in zh
    en = c.get("/o/alpha?lang=en").text
    assert "Instant estimate" in en and "Talk to our expert" in en
    assert "Instant estimate" in c.get("/o/alpha").text  # the choice is remembered
    form = {
        "csrf": _csrf(en),
        "province": "Zhejiang",
        "city": "Hangzhou",
        "building_type": "mall",
        "roof_area_m2": "3000",
        "monthly_bill_yuan": "200000",
        "roof_kind": "flat",
        "capex_yuan_per_kwp": "3000",
    }
    r = c.post("/o/alpha/estimate", data=form, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'id="pv-kwp"' in r.text and "<svg" in r.text
    r = c.post("/o/alpha/estimate", data={**form, "roof_area_m2": "1"})
    assert r.status_code == 422 and "roof_area_m2" in r.text
    assert c.get("/o/nobody").status_code == 404


def test_outbox_delivers_to_a_webhook_sink(sqlite_world: World) -> None:
    """A new lead's notification reaches a local HTTP sink and is marked sent."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from peakzero.web.config import Settings
    from peakzero.web.outbox import deliver_outbox

    received: list[dict[str, object]] = []

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        message(sqlite_world.client)
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        engine = sqlite_world.client.app.state.engine  # type: ignore[attr-defined]
        settings = Settings(database_url=sqlite_world.settings.database_url, outbox_webhook=url)
        assert deliver_outbox(engine, settings) == 1
        assert deliver_outbox(engine, settings) == 0  # sent once
    finally:
        server.shutdown()
        server.server_close()
    assert received == [
        {
            "event": "lead.created",
            "lead_id": 1,
            "org_id": sqlite_world.org_a,
            "name": "李经理",
            "company": "某园区",
            "source": "web",
        }
    ]
    with Session(engine) as s:
        assert s.scalars(select(OutboxMessage.sent_at)).one() is not None


def test_project_runs_and_comparison(sqlite_world: World) -> None:
    """A project from a lead: edit the plan, run it twice with a change, compare the runs."""
    import json

    from peakzero.web.models import PlanResult, Project
    from peakzero.web.worker import worker_loop

    w = sqlite_world
    message(TestClient(w.client.app, base_url="http://127.0.0.1"))
    c = w.client
    assert login(c, w.email_a) == 303
    token = office_csrf(c)
    r = c.post("/office/leads/1/project", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    project_url = r.headers["location"]
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        plan = json.loads(s.scalars(select(Project.plan_json)).one())
    plan["roof"]["tilt_deg"] = 20
    plan["site"]["battery"] = {"enabled": False}
    plan["site"]["load"]["annual_kwh"] = 400_000
    plan["roof"]["area_m2"] = 800
    r = c.post(
        f"{project_url}/plan",
        data={"csrf": token, "plan_text": json.dumps(plan)},
        follow_redirects=False,
    )
    assert "error" not in r.headers["location"]
    c.post(f"{project_url}/run", data={"csrf": token, "report": "no"})
    r = c.post(
        f"{project_url}/plan",
        data={"csrf": token, "site.pv.capex_yuan_per_kwp": "3.2"},
        follow_redirects=False,
    )
    assert r.status_code == 422 and "yuan" in r.text  # refused, shown at the field
    assert 'id="e-site.pv.capex_yuan_per_kwp"' in r.text
    c.post(f"{project_url}/plan", data={"csrf": token, "site.pv.capex_yuan_per_kwp": "2600"})
    c.post(f"{project_url}/run", data={"csrf": token, "report": "no"})
    assert worker_loop(w.settings, once=True) == 2
    page = c.get(project_url).text
    assert page.count("status-succeeded") == 2
    compare = c.get(f"{project_url}/compare?run=1&run=2").text
    assert "site.pv.capex_yuan_per_kwp" in compare and "2600.0" in compare and "3000.0" in compare
    assert c.get("/office/plans/2/results.json").json()["design"]["pv_kwp"] > 0
    assert c.get("/office/plans/2/tables/cash_flows.csv").text.startswith("year,")
    # the run shows its headline figures and links results.json and assumptions.csv (issue 12)
    assert 'class="run-summary"' in page and "首年节省" in page and "屋面荷载校核" in page
    assert 'href="/office/plans/2/tables/assumptions.csv"' in page
    assert c.get("/office/plans/2/tables/assumptions.csv").text.startswith("group,")
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        assert len(s.scalars(select(PlanResult)).all()) == 2


def test_admin_manages_users_and_keys_experts_cannot(sqlite_world: World) -> None:
    w = sqlite_world
    c = w.client
    assert login(c, w.email_a) == 303
    token = office_csrf(c)
    r = c.post(
        "/office/admin/users",
        data={
            "csrf": token,
            "email": "Expert@A.example.com",
            "role": "expert",
            "password": "expert password 1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.post("/office/admin/keys", data={"csrf": token, "name": "website"}).text
    key = re.search(r'id="new-key">([^<]+)<', page)
    assert key is not None
    estimate = {"province": "Shanghai", "roof_area_m2": 500, "annual_kwh": 300000}
    headers = {"X-API-Key": key.group(1)}
    assert c.post("/api/v1/estimates", json=estimate, headers=headers).status_code == 200
    with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
        from peakzero.web.models import ApiKey

        key_id = s.scalars(select(ApiKey.id).where(ApiKey.name == "website")).one()
        stored = s.scalars(select(ApiKey.key_hash).where(ApiKey.id == key_id)).one()
        assert key.group(1) not in stored  # only the hash is stored
    c.post(f"/office/admin/keys/{key_id}/revoke", data={"csrf": token})
    assert c.post("/api/v1/estimates", json=estimate, headers=headers).status_code == 401
    expert = TestClient(c.app, base_url="http://127.0.0.1")
    assert login(expert, "expert@a.example.com", "expert password 1") == 303
    assert expert.get("/office/leads").status_code == 200
    assert expert.get("/office/admin").status_code == 403
    r = expert.post("/office/admin/keys", data={"csrf": office_csrf(expert), "name": "x"})
    assert r.status_code == 403
