"""The JSON API on SQLite and PostgreSQL: estimates, leads, plans as jobs, errors, isolation."""

from __future__ import annotations

from web_world import World, small_plan

from peakzero.web.config import Settings
from peakzero.web.worker import worker_loop

ESTIMATE = {
    "province": "Jiangsu",
    "city": "苏州",
    "building_type": "factory_two_shift",
    "roof_area_m2": 6000,
    "annual_kwh": 3_000_000,
}


def test_healthz_and_openapi(world: World) -> None:
    r = world.client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    paths = world.client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/estimates",
        "/api/v1/leads",
        "/api/v1/plans",
        "/api/v1/jobs/{job_id}",
        "/api/v1/plans/{plan_id}/report.pdf",
        "/healthz",
    ):
        assert path in paths


def test_estimate_needs_a_key(world: World) -> None:
    r = world.client.post("/api/v1/estimates", json=ESTIMATE)
    assert r.status_code == 401
    assert r.json()["error"]["field"] == "X-API-Key"
    r = world.client.post("/api/v1/estimates", json=ESTIMATE, headers={"X-API-Key": "pz_nope"})
    assert r.status_code == 401


def test_estimate(world: World) -> None:
    r = world.client.post("/api/v1/estimates", json=ESTIMATE, headers=world.api())
    assert r.status_code == 200, r.text
    body = r.json()
    assert 0 < body["pv_kwp"] <= body["roof_max_kwp"]
    # each figure is rounded to 1 kWh, so their sum may differ from the total by 1 kWh
    assert abs(body["annual_pv_kwh"] - body["self_consumed_kwh"] - body["exported_kwh"]) <= 1
    assert body["place"] == "苏州"
    assert len(body["monthly_pv_kwh"]) == 12


def test_bad_input_is_422_naming_field_value_and_range(world: World) -> None:
    r = world.client.post(
        "/api/v1/estimates", json={**ESTIMATE, "roof_area_m2": 5}, headers=world.api()
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == "roof_area_m2"
    assert err["value"] == 5
    assert "Allowed: 20 to 1e+06 m2" in err["message"]
    r = world.client.post(
        "/api/v1/estimates", json={**ESTIMATE, "city": "Atlantis"}, headers=world.api()
    )
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "city"
    assert "Atlantis" in r.json()["error"]["message"]
    both = {**ESTIMATE, "monthly_bill_yuan": 20000}
    r = world.client.post("/api/v1/estimates", json=both, headers=world.api())
    assert r.status_code == 422
    assert "one of monthly_bill_yuan (yuan per month) or annual_kwh" in r.json()["error"]["message"]
    assert "not both" in r.json()["error"]["message"]


def test_leads_and_tenant_isolation(world: World) -> None:
    lead = {
        "name": "王工",
        "company": "苏州某电子厂",
        "phone": "+86 138 0000 0000",
        "email": "Wang@Example.com",
        "message": "想了解屋顶光伏",
        "consent": True,
        "estimate": ESTIMATE,
    }
    r = world.client.post("/api/v1/leads", json=lead, headers=world.api("a"))
    assert r.status_code == 201, r.text
    lead_id = r.json()["id"]
    assert r.json()["estimate"]["pv_kwp"] > 0
    assert world.client.get(f"/api/v1/leads/{lead_id}", headers=world.api("a")).status_code == 200
    r = world.client.get(f"/api/v1/leads/{lead_id}", headers=world.api("b"))
    assert r.status_code == 404
    r = world.client.post("/api/v1/leads", json={**lead, "consent": False}, headers=world.api())
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "consent"
    r = world.client.post(
        "/api/v1/leads", json={**lead, "message": "x" * 5001}, headers=world.api()
    )
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "message"


def test_plan_validation_is_422_before_any_job(world: World) -> None:
    plan = small_plan()
    plan["site"]["pv"]["capex_yuan_per_kwp"] = 3.0  # yuan/W by mistake
    r = world.client.post("/api/v1/plans", json={"plan": plan}, headers=world.api())
    assert r.status_code == 422
    assert "yuan/W" in r.json()["error"]["message"]
    r = world.client.post("/api/v1/plans", json={"plan": {"site": {}}}, headers=world.api())
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "plan"


def test_plan_job_result_and_isolation(world: World) -> None:
    r = world.client.post(
        "/api/v1/plans", json={"plan": small_plan(), "report": False}, headers=world.api("a")
    )
    assert r.status_code == 202, r.text
    plan_id, job_id = r.json()["plan_id"], r.json()["job"]["id"]
    assert r.json()["job"]["status"] == "queued"
    r = world.client.get(f"/api/v1/plans/{plan_id}/report.pdf", headers=world.api("a"))
    assert r.status_code == 404  # no result yet
    assert world.client.get(f"/api/v1/jobs/{job_id}", headers=world.api("b")).status_code == 404
    assert world.client.get(f"/api/v1/plans/{plan_id}", headers=world.api("b")).status_code == 404
    assert worker_loop(world.settings, once=True) == 1
    job = world.client.get(f"/api/v1/jobs/{job_id}", headers=world.api("a")).json()
    assert job["status"] == "succeeded", job
    assert job["attempts"] == 1
    assert job["progress_fraction"] == 1.0
    plan = world.client.get(f"/api/v1/plans/{plan_id}", headers=world.api("a")).json()
    assert plan["summary"]["pv_kwp"] > 0
    results = world.client.get(f"/api/v1/plans/{plan_id}/results.json", headers=world.api("a"))
    assert results.json()["design"]["pv_kwp"] == plan["summary"]["pv_kwp"]
    # run without a report: the PDF is a clear 404, not an error
    r = world.client.get(f"/api/v1/plans/{plan_id}/report.pdf", headers=world.api("a"))
    assert r.status_code == 404
    assert "without a report" in r.json()["error"]["message"]
    r = world.client.get(f"/api/v1/plans/{plan_id}/results.json", headers=world.api("b"))
    assert r.status_code == 404


def test_report_pdf(sqlite_world: World) -> None:
    """One run with the report (SQLite only: the PDF takes several seconds to render)."""
    w = sqlite_world
    r = w.client.post("/api/v1/plans", json={"plan": small_plan(), "lang": "en"}, headers=w.api())
    plan_id = r.json()["plan_id"]
    assert worker_loop(w.settings, once=True) == 1
    r = w.client.get(f"/api/v1/plans/{plan_id}/report.pdf", headers=w.api())
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_body_size_limit(world: World) -> None:
    big = {"plan": {"x": "y" * (3 * 1024 * 1024)}}
    r = world.client.post("/api/v1/plans", json=big, headers=world.api())
    assert r.status_code == 413


def test_settings_from_env() -> None:
    from peakzero.web.config import settings_from_env

    s = settings_from_env(
        {"PEAKZERO_DATABASE_URL": "postgresql+psycopg://u@h/db", "PEAKZERO_LEASE_SECONDS": "5"}
    )
    assert s == Settings(database_url="postgresql+psycopg://u@h/db", lease_seconds=5.0)
