"""The expert's back office (login required): leads, projects, plan runs, admin.

Sessions are server-side (table ``sessions``), the cookie ``pz_session`` is HttpOnly and
SameSite=Lax; every POST carries the session's CSRF token; every query is scoped to the user's
organisation (:func:`peakzero.web.deps.owned`).
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from peakzero.errors import PeakzeroError
from peakzero.estimate import EstimateInput, estimate
from peakzero.web import engine as planner
from peakzero.web.deps import ApiError, db, get_owned, owned, settings
from peakzero.web.i18n import pick_lang, t
from peakzero.web.jobs import enqueue_plan
from peakzero.web.models import (
    LEAD_STATUSES,
    ROLES,
    ApiKey,
    Job,
    Lead,
    LeadEvent,
    OutboxMessage,
    PlanRequest,
    PlanResult,
    Project,
    Upload,
    User,
    WebSession,
    now,
)
from peakzero.web.planform import SECTION_TITLES, apply_form, error_field, get_path, plan_fields
from peakzero.web.security import (
    authenticate,
    csrf_ok,
    hash_password,
    new_api_key,
    session_user,
    start_session,
)
from peakzero.web.templating import TEMPLATES

router = APIRouter(prefix="/office", include_in_schema=False)
Db = Annotated[Session, Depends(db, scope="function")]
SESSION_COOKIE = "pz_session"
LOGIN_COOKIE = "pz_login"
#: Largest upload [bytes] (meter file, bills, roof outline).
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
UPLOAD_KINDS: tuple[str, ...] = ("meter", "bills", "roof")


class NeedLogin(Exception):
    pass


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"), request.cookies.get("pz_lang"))


class Ctx:
    """The logged-in user, their session and organisation."""

    def __init__(self, user: User, ws: WebSession) -> None:
        self.user, self.ws, self.org_id = user, ws, user.org_id

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"


def current(request: Request, session: Db) -> Ctx:
    found = session_user(session, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise NeedLogin
    return Ctx(*found)


Me = Annotated[Ctx, Depends(current)]


async def posted(request: Request, me: Ctx) -> dict[str, str]:
    """The form of a POST after checking its CSRF token (403 otherwise)."""
    form = await request.form(max_files=0, max_fields=200, max_part_size=256 * 1024)
    values = {k: str(v) for k, v in form.items()}
    if not csrf_ok(me.ws.csrf_token, values.get("csrf")):
        raise ApiError(403, "CSRF token missing or wrong: reload the page", field="csrf")
    return values


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    lang = _lang(request)
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {"lang": lang, "other_lang": "en" if lang == "zh" else "zh", **context},
        status_code=status,
    )
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("pz_lang", lang, samesite="lax", max_age=365 * 86400)
    return response


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _office(request: Request, me: Ctx, name: str, context: dict[str, Any]) -> Response:
    return page(request, name, {"me": me.user, "csrf": me.ws.csrf_token, **context})


# ------------------------------------------------------------------------------------ login


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = page(request, "login.html", {"login_csrf": token, "error": None})
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, session: Db) -> Response:
    form = {k: str(v) for k, v in (await request.form(max_files=0, max_fields=10)).items()}
    lang = _lang(request)
    token = request.cookies.get(LOGIN_COOKIE)
    if not csrf_ok(token, form.get("csrf")):
        return page(request, "login.html", {"login_csrf": token or "", "error": "CSRF"}, 403)
    result = authenticate(session, form.get("email", "")[:254], form.get("password", "")[:200])
    if result.user is None:
        error = t("locked", lang) if result.locked else t("login_failed", lang)
        return page(request, "login.html", {"login_csrf": token, "error": error}, 401)
    cookie = start_session(session, result.user)
    response = _back("/office/leads")
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=settings(request).secure_cookies,
        max_age=12 * 3600,
    )
    return response


@router.post("/logout")
async def logout(request: Request, me: Me, session: Db) -> Response:
    await posted(request, me)
    session.execute(delete(WebSession).where(WebSession.token_hash == me.ws.token_hash))
    response = _back("/office/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("", response_class=HTMLResponse)
def home(me: Me) -> Response:
    return _back("/office/leads")


# ------------------------------------------------------------------------------------ leads

_SORTS: dict[str, Any] = {
    "new": Lead.created_at.desc(),
    "old": Lead.created_at.asc(),
    "name": Lead.name.asc(),
    "status": Lead.status.asc(),
}


@router.get("/leads", response_class=HTMLResponse)
def leads(request: Request, me: Me, session: Db) -> Response:
    q = request.query_params
    query = owned(Lead, me.org_id)
    status = q.get("status", "")
    if status in LEAD_STATUSES:
        query = query.where(Lead.status == status)
    assigned = q.get("assigned", "")
    if assigned == "me":
        query = query.where(Lead.assigned_to == me.user.id)
    elif assigned == "none":
        query = query.where(Lead.assigned_to.is_(None))
    text = q.get("q", "").strip()[:100]
    if text:
        like = f"%{text}%"
        query = query.where(
            or_(
                Lead.name.ilike(like),
                Lead.company.ilike(like),
                Lead.email.ilike(like),
                Lead.phone.ilike(like),
                Lead.message.ilike(like),
            )
        )
    sort = q.get("sort", "new")
    query = query.order_by(_SORTS.get(sort, _SORTS["new"])).limit(500)
    rows = session.scalars(query).all()
    users = {u.id: u for u in session.scalars(owned(User, me.org_id)).all()}
    return _office(
        request,
        me,
        "leads.html",
        {
            "leads": rows,
            "users": users,
            "statuses": LEAD_STATUSES,
            "f": {"status": status, "assigned": assigned, "q": text, "sort": sort},
        },
    )


@router.get("/leads/{lead_id}", response_class=HTMLResponse)
def lead_detail(lead_id: int, request: Request, me: Me, session: Db) -> Response:
    lead = get_owned(session, Lead, me.org_id, lead_id)
    events = session.scalars(
        owned(LeadEvent, me.org_id).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)
    ).all()
    users = {u.id: u for u in session.scalars(owned(User, me.org_id)).all()}
    projects = session.scalars(owned(Project, me.org_id).where(Project.lead_id == lead.id)).all()
    est = json.loads(lead.estimate_json) if lead.estimate_json else None
    return _office(
        request,
        me,
        "lead.html",
        {
            "lead": lead,
            "events": events,
            "users": users,
            "statuses": LEAD_STATUSES,
            "projects": projects,
            "est": est,
        },
    )


@router.post("/leads/{lead_id}/status")
async def lead_status(lead_id: int, request: Request, me: Me, session: Db) -> Response:
    form = await posted(request, me)
    lead = get_owned(session, Lead, me.org_id, lead_id)
    new = form.get("status", "")
    if new not in LEAD_STATUSES:
        raise ApiError(
            422, f"status = {new!r}: allowed {', '.join(LEAD_STATUSES)}", field="status", value=new
        )
    if new != lead.status:
        session.add(
            LeadEvent(
                org_id=me.org_id,
                lead_id=lead.id,
                user_id=me.user.id,
                kind="status",
                old=lead.status,
                new=new,
            )
        )
        lead.status, lead.updated_at = new, now()
    return _back(f"/office/leads/{lead.id}")


@router.post("/leads/{lead_id}/assign")
async def lead_assign(lead_id: int, request: Request, me: Me, session: Db) -> Response:
    form = await posted(request, me)
    lead = get_owned(session, Lead, me.org_id, lead_id)
    raw = form.get("user_id", "")
    user = get_owned(session, User, me.org_id, int(raw)) if raw.isdigit() else None
    old = str(lead.assigned_to or "")
    lead.assigned_to = user.id if user else None
    session.add(
        LeadEvent(
            org_id=me.org_id,
            lead_id=lead.id,
            user_id=me.user.id,
            kind="assign",
            old=old,
            new=user.email if user else "",
        )
    )
    lead.updated_at = now()
    return _back(f"/office/leads/{lead.id}")


@router.post("/leads/{lead_id}/note")
async def lead_note(lead_id: int, request: Request, me: Me, session: Db) -> Response:
    form = await posted(request, me)
    lead = get_owned(session, Lead, me.org_id, lead_id)
    note = form.get("note", "").strip()[:5000]
    if note:
        session.add(
            LeadEvent(org_id=me.org_id, lead_id=lead.id, user_id=me.user.id, kind="note", note=note)
        )
    return _back(f"/office/leads/{lead.id}")


@router.post("/leads/{lead_id}/project")
async def lead_project(lead_id: int, request: Request, me: Me, session: Db) -> Response:
    await posted(request, me)
    lead = get_owned(session, Lead, me.org_id, lead_id)
    title = lead.company or lead.name
    if lead.estimate_input_json:
        inp = EstimateInput.model_validate_json(lead.estimate_input_json)
    else:
        inp = EstimateInput(annual_kwh=1_000_000.0)
    plan = planner.plan_from_estimate(inp, estimate(inp), title=title)
    project = Project(
        org_id=me.org_id,
        lead_id=lead.id,
        name=title,
        plan_json=json.dumps(plan, ensure_ascii=False),
    )
    session.add(project)
    session.flush()
    session.add(
        LeadEvent(
            org_id=me.org_id,
            lead_id=lead.id,
            user_id=me.user.id,
            kind="project",
            new=str(project.id),
        )
    )
    return _back(f"/office/projects/{project.id}")


# ------------------------------------------------------------------------------------ projects


@router.get("/projects", response_class=HTMLResponse)
def projects(request: Request, me: Me, session: Db) -> Response:
    rows = session.scalars(owned(Project, me.org_id).order_by(Project.id.desc())).all()
    return _office(request, me, "projects.html", {"projects": rows})


def _plan_sections(
    plan: dict[str, Any], lang: str, posted: dict[str, str] | None, errors: dict[str, str]
) -> list[dict[str, Any]]:
    """The plan form's sections: heading and fields, each with its shown value and error."""
    sections: dict[str, dict[str, Any]] = {}
    for f in plan_fields(lang):
        value = get_path(plan, f.name)
        shown: Any = posted[f.name] if posted is not None and f.name in posted else value
        if shown is None:
            shown = ""
        zh, en = SECTION_TITLES.get(f.section, (f.section, f.section))
        part = sections.setdefault(f.section, {"title": zh if lang == "zh" else en, "fields": []})
        part["fields"].append(
            {"f": f, "value": shown, "set": value is not None, "error": errors.get(f.name)}
        )
    return list(sections.values())


def _project_page(
    request: Request,
    me: Ctx,
    session: Session,
    project: Project,
    *,
    plan: dict[str, Any] | None = None,
    posted: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    plan = json.loads(project.plan_json) if plan is None else plan
    lang = _lang(request)
    uploads = session.scalars(
        owned(Upload, me.org_id).where(Upload.project_id == project.id).order_by(Upload.id)
    ).all()
    runs = session.execute(
        select(PlanRequest, Job)
        .join(Job, Job.plan_id == PlanRequest.id)
        .where(PlanRequest.org_id == me.org_id, PlanRequest.project_id == project.id)
        .order_by(PlanRequest.id.desc())
    ).all()
    results = {
        r.plan_id: json.loads(r.summary_json)
        for r in session.scalars(
            owned(PlanResult, me.org_id).where(PlanResult.plan_id.in_([p.id for p, _ in runs]))
        ).all()
    }
    return page(
        request,
        "project.html",
        {
            "me": me.user,
            "csrf": me.ws.csrf_token,
            "project": project,
            "sections": _plan_sections(plan, lang, posted, errors or {}),
            "plan_text": json.dumps(plan, ensure_ascii=False, indent=2),
            "uploads": uploads,
            "runs": runs,
            "results": results,
            "kinds": UPLOAD_KINDS,
            "error": error or request.query_params.get("error"),
        },
        status,
    )


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_detail(project_id: int, request: Request, me: Me, session: Db) -> Response:
    project = get_owned(session, Project, me.org_id, project_id)
    return _project_page(request, me, session, project)


@router.post("/projects/{project_id}/plan")
async def project_plan(project_id: int, request: Request, me: Me, session: Db) -> Response:
    """Save the plan: the JSON (if edited), then the schema form's fields converted to their
    types; a value that cannot be converted or that the plan refuses is shown at its field."""
    form = await posted(request, me)
    project = get_owned(session, Project, me.org_id, project_id)
    lang = _lang(request)
    original = json.loads(project.plan_json)
    if form.get("plan_text", "").strip():
        try:
            plan = json.loads(form["plan_text"])
        except json.JSONDecodeError as exc:
            return _project_page(
                request, me, session, project, posted=form, error=f"plan JSON: {exc}", status=422
            )
        if not isinstance(plan, dict):
            return _project_page(
                request,
                me,
                session,
                project,
                posted=form,
                error="plan JSON must be an object (the PLAN.toml structure)",
                status=422,
            )
    else:
        plan = json.loads(project.plan_json)
    errors = apply_form(plan, original, form, lang)
    if errors:
        return _project_page(
            request,
            me,
            session,
            project,
            plan=plan,
            posted=form,
            errors=errors,
            error=t("fix_fields", lang),
            status=422,
        )
    try:
        planner.check_plan_dict(plan, _files(session, me.org_id, project.id))
    except PeakzeroError as exc:
        at = error_field(exc, lang)
        return _project_page(
            request,
            me,
            session,
            project,
            plan=plan,
            posted=form,
            errors={at: str(exc)} if at else {},
            error=str(exc),
            status=422,
        )
    project.plan_json = json.dumps(plan, ensure_ascii=False)
    return _back(f"/office/projects/{project.id}")


def _latest_uploads(session: Session, org_id: int, project_id: int) -> dict[str, Upload]:
    latest: dict[str, Upload] = {}
    for u in session.scalars(
        owned(Upload, org_id).where(Upload.project_id == project_id).order_by(Upload.id)
    ).all():
        latest[u.kind] = u
    return latest


def _files(session: Session, org_id: int, project_id: int) -> dict[str, bytes]:
    return {k: u.content for k, u in _latest_uploads(session, org_id, project_id).items()}


@router.post("/projects/{project_id}/upload")
async def project_upload(project_id: int, request: Request, me: Me, session: Db) -> Response:
    form = await request.form(max_files=1, max_fields=10, max_part_size=MAX_UPLOAD_BYTES)
    if not csrf_ok(me.ws.csrf_token, str(form.get("csrf", ""))):
        raise ApiError(403, "CSRF token missing or wrong: reload the page", field="csrf")
    project = get_owned(session, Project, me.org_id, project_id)
    kind = str(form.get("kind", ""))
    file = form.get("file")
    if kind not in UPLOAD_KINDS or file is None or isinstance(file, str):
        raise ApiError(
            422,
            f"kind = {kind!r}: allowed {', '.join(UPLOAD_KINDS)}, with a file",
            field="kind",
            value=kind,
        )
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ApiError(413, f"file larger than {MAX_UPLOAD_BYTES} bytes", field="file")
    name = (file.filename or kind)[-200:]
    if kind in planner.UPLOAD_FIELDS:
        plan = json.loads(project.plan_json)
        try:
            planner.check_plan_dict(plan, {**_files(session, me.org_id, project.id), kind: content})
        except PeakzeroError as exc:
            return _back(f"/office/projects/{project.id}?error={name}: {exc}")
    session.add(
        Upload(org_id=me.org_id, project_id=project.id, kind=kind, filename=name, content=content)
    )
    return _back(f"/office/projects/{project.id}")


@router.post("/projects/{project_id}/run")
async def project_run(project_id: int, request: Request, me: Me, session: Db) -> Response:
    form = await posted(request, me)
    project = get_owned(session, Project, me.org_id, project_id)
    plan = json.loads(project.plan_json)
    ups = _latest_uploads(session, me.org_id, project.id)
    try:
        planner.check_plan_dict(plan, {k: u.content for k, u in ups.items()})
    except PeakzeroError as exc:
        return _back(f"/office/projects/{project.id}?error={exc}")
    s = settings(request)
    enqueue_plan(
        session,
        org_id=me.org_id,
        plan=plan,
        project_id=project.id,
        files={k: str(u.id) for k, u in ups.items() if k in planner.UPLOAD_FIELDS},
        report=form.get("report") == "yes",
        lang="en" if _lang(request) == "en" else "zh",
        time_limit_s=s.job_time_limit_seconds,
        max_attempts=s.max_attempts,
    )
    return _back(f"/office/projects/{project.id}")


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_fragment(job_id: int, request: Request, me: Me, session: Db) -> Response:
    job = get_owned(session, Job, me.org_id, job_id)
    result = session.scalars(select(PlanResult).where(PlanResult.plan_id == job.plan_id)).first()
    summary = json.loads(result.summary_json) if result else None
    return _office(
        request,
        me,
        "_job.html",
        {"job": job, "summary": summary, "has_report": bool(result and result.report_pdf)},
    )


def _result(session: Session, me: Ctx, plan_id: int) -> PlanResult:
    plan = get_owned(session, PlanRequest, me.org_id, plan_id)
    result = session.scalars(select(PlanResult).where(PlanResult.plan_id == plan.id)).first()
    if result is None:
        raise ApiError(404, f"plan {plan_id} has no result yet", field="plan_id", value=plan_id)
    return result


@router.get("/plans/{plan_id}/report.pdf")
def download_pdf(plan_id: int, me: Me, session: Db) -> Response:
    result = _result(session, me, plan_id)
    if result.report_pdf is None:
        raise ApiError(404, "this run has no report", field="plan_id", value=plan_id)
    return Response(
        result.report_pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="proposal-{plan_id}.pdf"'},
    )


@router.get("/plans/{plan_id}/report.html")
def download_html(plan_id: int, me: Me, session: Db) -> Response:
    result = _result(session, me, plan_id)
    if result.report_html is None:
        raise ApiError(404, "this run has no report", field="plan_id", value=plan_id)
    return HTMLResponse(
        result.report_html,
        headers={"Content-Disposition": f'attachment; filename="proposal-{plan_id}.html"'},
    )


@router.get("/plans/{plan_id}/results.json")
def download_json(plan_id: int, me: Me, session: Db) -> Response:
    result = _result(session, me, plan_id)
    return Response(
        result.results_json,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="results-{plan_id}.json"'},
    )


@router.get("/plans/{plan_id}/tables/{name}")
def download_csv(plan_id: int, name: str, me: Me, session: Db) -> Response:
    tables = json.loads(_result(session, me, plan_id).tables_json)
    if name not in tables:
        raise ApiError(
            404,
            f"no table {name!r}: tables are {', '.join(sorted(tables))}",
            field="name",
            value=name,
        )
    return Response(
        tables[name],
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{plan_id}-{name}"'},
    )


@router.get("/projects/{project_id}/compare", response_class=HTMLResponse)
def compare(project_id: int, request: Request, me: Me, session: Db) -> Response:
    project = get_owned(session, Project, me.org_id, project_id)
    ids = [int(x) for x in request.query_params.getlist("run") if x.isdigit()][:4]
    columns = []
    for plan_id in ids:
        plan = get_owned(session, PlanRequest, me.org_id, plan_id)
        result = session.scalars(select(PlanResult).where(PlanResult.plan_id == plan.id)).first()
        columns.append(
            {
                "plan_id": plan_id,
                "plan": json.loads(plan.plan_json),
                "summary": json.loads(result.summary_json) if result else {},
            }
        )
    keys = sorted({k for c in columns for k in c["summary"]})
    inputs = []
    for f in plan_fields(_lang(request)):
        values = [get_path(c["plan"], f.name) for c in columns]
        if any(v is not None for v in values):
            inputs.append((f.name, values))
    return _office(
        request,
        me,
        "compare.html",
        {"project": project, "columns": columns, "keys": keys, "inputs": inputs},
    )


# ------------------------------------------------------------------------------------ outbox


@router.get("/outbox", response_class=HTMLResponse)
def outbox(request: Request, me: Me, session: Db) -> Response:
    rows = session.scalars(
        owned(OutboxMessage, me.org_id).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return _office(request, me, "outbox.html", {"messages": rows})


# ------------------------------------------------------------------------------------ admin


def _admin(me: Ctx) -> None:
    if not me.is_admin:
        raise ApiError(403, "this page is for administrators", field="role", value=me.user.role)


def _admin_page(request: Request, me: Ctx, session: Session, new_key: str | None) -> Response:
    """The admin page: the organisation's users and API keys (a new key's text shown once)."""
    users = session.scalars(owned(User, me.org_id).order_by(User.id)).all()
    keys = session.scalars(owned(ApiKey, me.org_id).order_by(ApiKey.id)).all()
    return _office(
        request,
        me,
        "admin.html",
        {"users": users, "keys": keys, "roles": ROLES, "new_key": new_key, "error": None},
    )


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, me: Me, session: Db) -> Response:
    _admin(me)
    return _admin_page(request, me, session, None)


@router.post("/admin/users")
async def admin_user(request: Request, me: Me, session: Db) -> Response:
    form = await posted(request, me)
    _admin(me)
    email = form.get("email", "").strip().lower()[:254]
    role = form.get("role", "expert")
    password = form.get("password", "")
    if "@" not in email or role not in ROLES or len(password) < 10:
        raise ApiError(
            422,
            "give an e-mail, a role (admin or expert) and a password of at least 10 characters",
            field="email",
            value=email,
        )
    if session.scalars(select(User).where(User.email == email)).first() is not None:
        raise ApiError(422, f"email = {email!r} already has an account", field="email", value=email)
    session.add(
        User(
            org_id=me.org_id,
            email=email,
            name=form.get("name", email)[:100],
            role=role,
            password_hash=hash_password(password),
        )
    )
    return _back("/office/admin")


@router.post("/admin/keys", response_class=HTMLResponse)
async def admin_key(request: Request, me: Me, session: Db) -> Response:
    form = await posted(request, me)
    _admin(me)
    _, plain = new_api_key(session, me.org_id, form.get("name", "key")[:100] or "key")
    return _admin_page(request, me, session, plain)


@router.post("/admin/keys/{key_id}/revoke")
async def admin_revoke(key_id: int, request: Request, me: Me, session: Db) -> Response:
    await posted(request, me)
    _admin(me)
    key = get_owned(session, ApiKey, me.org_id, key_id)
    key.revoked_at = key.revoked_at or now()
    return _back("/office/admin")


def _person_leads(session: Session, org_id: int, email: str, phone: str) -> list[Lead]:
    conditions = []
    if email:
        conditions.append(Lead.email == email.strip().lower())
    if phone:
        conditions.append(Lead.phone == phone.strip())
    if not conditions:
        raise ApiError(422, "give the person's e-mail or phone", field="email")
    return list(session.scalars(owned(Lead, org_id).where(or_(*conditions))).all())


@router.get("/admin/person")
def person_export(request: Request, me: Me, session: Db) -> Response:
    """Everything stored about a person (PIPL right of access), as JSON."""
    _admin(me)
    q = request.query_params
    leads_ = _person_leads(session, me.org_id, q.get("email", ""), q.get("phone", ""))
    out = []
    for lead in leads_:
        events = session.scalars(owned(LeadEvent, me.org_id).where(LeadEvent.lead_id == lead.id))
        out.append(
            {
                "lead_id": lead.id,
                "name": lead.name,
                "company": lead.company,
                "phone": lead.phone,
                "email": lead.email,
                "message": lead.message,
                "consent_text": lead.consent_text,
                "consent_at": lead.consent_at,
                "status": lead.status,
                "created_at": lead.created_at,
                "estimate_input": json.loads(lead.estimate_input_json or "null"),
                "estimate": json.loads(lead.estimate_json or "null"),
                "history": [
                    {"kind": e.kind, "old": e.old, "new": e.new, "note": e.note, "at": e.created_at}
                    for e in events
                ],
            }
        )
    return JSONResponse(
        {"leads": out}, headers={"Content-Disposition": 'attachment; filename="person-data.json"'}
    )


@router.post("/admin/person/delete")
async def person_delete(request: Request, me: Me, session: Db) -> Response:
    """Delete a person's leads, their history and outbox messages (PIPL right of deletion)."""
    form = await posted(request, me)
    _admin(me)
    leads_ = _person_leads(session, me.org_id, form.get("email", ""), form.get("phone", ""))
    ids = [lead.id for lead in leads_]
    if ids:
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.org_id == me.org_id, OutboxMessage.lead_id.in_(ids)
            )
        )
        session.execute(
            delete(LeadEvent).where(LeadEvent.org_id == me.org_id, LeadEvent.lead_id.in_(ids))
        )
        for lead in leads_:
            session.delete(lead)
    return _back(f"/office/admin?deleted={len(ids)}")
