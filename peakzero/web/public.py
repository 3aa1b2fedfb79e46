"""The visitor's pages: an organisation's page with the instant estimate and "talk to our expert".

No login. Forms carry a CSRF token (double-submit cookie), the message form a honeypot field
(``website``: hidden from people, filled by bots; such posts are answered as if stored, and
dropped), and both are rate-limited per address.
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from peakzero.errors import PeakzeroError
from peakzero.estimate import (
    MAX_ESTIMATE_UPLOAD_BYTES,
    UPLOAD_KINDS,
    UPLOAD_SUFFIXES,
    Estimate,
    EstimateFiles,
    EstimateInput,
    Upload,
    estimate,
    explain_validation,
    typed_input,
)
from peakzero.web.charts import monthly_bars_svg
from peakzero.web.deps import ApiError, client_address, db
from peakzero.web.forms import form_fields, form_values
from peakzero.web.i18n import CONSENT, Lang, pick_lang, t
from peakzero.web.leads import LeadIn, create_lead
from peakzero.web.models import Organisation
from peakzero.web.security import csrf_ok, rate_limited
from peakzero.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
Db = Annotated[Session, Depends(db, scope="function")]

#: Messages per address per window, and the window [s].
MESSAGE_LIMIT, MESSAGE_WINDOW_S = 5, 600
#: Estimates from the public form per address per window, and the window [s].
ESTIMATE_LIMIT, ESTIMATE_WINDOW_S = 60, 60
FORM_COOKIE = "pz_form"
#: Largest estimate request [bytes]: three files at their limit and the typed fields.
MAX_ESTIMATE_REQUEST_BYTES = len(UPLOAD_KINDS) * MAX_ESTIMATE_UPLOAD_BYTES + 256 * 1024


def upload_context() -> dict[str, Any]:
    """What the estimate form's file inputs need."""
    return {
        "upload_kinds": [(k, ",".join(UPLOAD_SUFFIXES[k])) for k in UPLOAD_KINDS],
        "max_upload_mb": MAX_ESTIMATE_UPLOAD_BYTES // (1024 * 1024),
    }


def field_label(name: str | None, lang: str) -> str:
    """The page's label of an estimate field or file input named by an error ("" if none)."""
    if not name:
        return ""
    if name.endswith("_file"):
        return t(name, lang)
    if name == "location":  # the engine's name for the coordinates
        name = "latitude_deg"
    labels = {f.name: f.label for f in form_fields(EstimateInput, lang)}
    return labels.get(name, "")


async def read_uploads(form: Any) -> EstimateFiles:
    """The files of an estimate form (``meter_file``, ``bills_file``, ``roof_file``); an empty
    file input (no file chosen) is no upload. Reads at most one byte beyond the limit."""
    found: dict[str, Upload] = {}
    for kind in UPLOAD_KINDS:
        item = form.get(f"{kind}_file")
        if item is None or isinstance(item, str) or not getattr(item, "filename", ""):
            continue
        content = await item.read(MAX_ESTIMATE_UPLOAD_BYTES + 1)
        if not content and not item.filename:
            continue
        found[kind] = Upload(str(item.filename)[:200], content)
    return EstimateFiles(**found)


def lang_of(request: Request) -> Lang:
    return pick_lang(request.query_params.get("lang"), request.cookies.get("pz_lang"))


def _org(session: Session, slug: str) -> Organisation:
    org = session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if org is None:
        raise ApiError(404, f"no organisation {slug!r}", field="slug", value=slug)
    return org


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    lang = lang_of(request)
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "other_lang": "en" if lang == "zh" else "zh",
            "form_token": token,
            **context,
        },
        status_code=status,
    )
    response.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict")
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("pz_lang", lang, samesite="lax", max_age=365 * 86400)
    return response


def estimate_view(est: Estimate, lang: str) -> dict[str, Any]:
    """What the result fragment shows, with its chart."""
    return {
        "est": est,
        "chart": monthly_bars_svg(
            est.monthly_pv_kwh,
            est.monthly_load_kwh,
            pv_label=t("pv", lang),
            load_label=t("load", lang),
            title=t("chart_title", lang),
        ),
        "cut_percent": f"{100 * est.emissions_cut_fraction:.1f}",
    }


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: Db) -> Response:
    orgs = session.scalars(select(Organisation).order_by(Organisation.id)).all()
    if len(orgs) == 1:
        return RedirectResponse(f"/o/{orgs[0].slug}", status_code=303)
    return _page(request, "index.html", {"orgs": orgs})


@router.get("/o/{slug}", response_class=HTMLResponse)
def org_page(slug: str, request: Request, session: Db) -> Response:
    org = _org(session, slug)
    lang = lang_of(request)
    return _page(
        request,
        "org.html",
        {
            "org": org,
            "fields": form_fields(EstimateInput, lang),
            "values": {},
            "consent": CONSENT[lang].format(org=org.name),
            **upload_context(),
        },
    )


@router.get("/o/{slug}/logo.svg")
def org_logo(slug: str, session: Db) -> Response:
    org = _org(session, slug)
    svg = org.logo_svg or (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" cy="24" '
        'r="22" fill="#1b7f5b"/></svg>'
    )
    return Response(svg, media_type="image/svg+xml")


def _form(request: Request) -> Any:
    return request.form(max_files=0, max_fields=40, max_part_size=64 * 1024)


def _too_large(request: Request) -> bool:
    try:
        return int(request.headers.get("content-length", "0")) > MAX_ESTIMATE_REQUEST_BYTES
    except ValueError:
        return True


@router.post("/o/{slug}/estimate", response_class=HTMLResponse)
async def org_estimate(slug: str, request: Request, session: Db) -> Response:
    org = _org(session, slug)
    lang = lang_of(request)
    htmx = request.headers.get("HX-Request") == "true"
    context: dict[str, Any] = {"org": org, "consent": CONSENT[lang].format(org=org.name)}
    error: str | None = None
    error_field: str | None = None
    form: dict[str, str] = {}
    files = EstimateFiles()
    if _too_large(request):
        error = t("request_too_large", lang).format(mb=MAX_ESTIMATE_REQUEST_BYTES // (1024 * 1024))
    else:
        parsed = await request.form(
            max_files=len(UPLOAD_KINDS), max_fields=40, max_part_size=64 * 1024
        )
        try:
            form = {k: v for k, v in parsed.items() if isinstance(v, str)}
            files = await read_uploads(parsed)
        finally:
            await parsed.close()
    if error is not None:
        pass  # too large: answered without reading the body
    elif not csrf_ok(request.cookies.get(FORM_COOKIE), form.get("csrf")):
        error = "form expired: reload the page" if lang == "en" else "表单已过期，请刷新页面"
    elif rate_limited(
        session, "estimate", client_address(request), ESTIMATE_LIMIT, ESTIMATE_WINDOW_S
    ):
        error = t("too_many", lang)
    else:
        values = form_values(EstimateInput, form)
        try:
            inp = EstimateInput.model_validate(values)
            est = estimate(inp, files)
            context.update(estimate_view(est, lang))
            context["estimate_input"] = typed_input(inp, est, files).model_dump_json()
        except ValidationError as exc:
            failure = explain_validation(exc, origin=t("estimate", lang))
            error, error_field = str(failure), failure.field
        except PeakzeroError as exc:
            error, error_field = str(exc), exc.field
    context["error"] = error
    context["error_field"] = error_field
    context["error_label"] = field_label(error_field, lang)
    status = 200 if htmx or error is None else 422
    if htmx:
        return _page(request, "_estimate_result.html", context, status)
    context.update({"fields": form_fields(EstimateInput, lang), "values": form, **upload_context()})
    return _page(request, "org.html", context, status)


@router.post("/o/{slug}/message", response_class=HTMLResponse)
async def org_message(slug: str, request: Request, session: Db) -> Response:
    org = _org(session, slug)
    lang = lang_of(request)
    form = {k: str(v) for k, v in (await _form(request)).items()}
    htmx = request.headers.get("HX-Request") == "true"
    context: dict[str, Any] = {
        "org": org,
        "consent": CONSENT[lang].format(org=org.name),
        "sent": False,
        "error": None,
        "values": form,
    }
    if not csrf_ok(request.cookies.get(FORM_COOKIE), form.get("csrf")):
        context["error"] = (
            "form expired: reload the page" if lang == "en" else "表单已过期，请刷新页面"
        )
    elif rate_limited(session, "message", client_address(request), MESSAGE_LIMIT, MESSAGE_WINDOW_S):
        context["error"] = t("too_many", lang)
    elif form.get("website"):
        context["sent"] = True  # honeypot: a bot; answer as if stored, store nothing
    elif form.get("consent") != "yes":
        context["error"] = t("consent_required", lang)
    else:
        raw: dict[str, Any] = {
            k: form.get(k, "") for k in ("name", "company", "phone", "email", "message")
        }
        raw.update(consent=True, lang=lang)
        if form.get("estimate_input"):
            try:
                raw["estimate"] = json.loads(form["estimate_input"])
            except json.JSONDecodeError:
                raw["estimate"] = None
        try:
            create_lead(session, org.id, LeadIn.model_validate(raw), source="web")
            context["sent"] = True
        except ValidationError as exc:
            context["error"] = str(explain_validation(exc, origin=t("leave_message", lang)))
    status = 200 if htmx or context["error"] is None else 422
    template = "_message.html" if htmx else "message_page.html"
    return _page(request, template, context, status)
