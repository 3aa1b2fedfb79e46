"""JSON API under ``/api/v1`` (per-organisation API keys in the ``X-API-Key`` header).

Thin routes: parse (pydantic), call one function (estimate, enqueue, read), answer. Errors are
``{"error": {"field", "value", "message"}}``: 401 without a valid key, 404 for rows that do not
exist for this organisation, 422 naming the field, the value and the allowed range.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from peakzero.estimate import (
    MAX_ESTIMATE_UPLOAD_BYTES,
    Estimate,
    EstimateFiles,
    EstimateInput,
    Upload,
    estimate,
    explain_validation,
)
from peakzero.web import engine as planner
from peakzero.web.deps import ApiError, ErrorBody, db, get_owned, settings
from peakzero.web.jobs import enqueue_plan, job_view
from peakzero.web.leads import LeadIn, create_lead
from peakzero.web.models import Job, Lead, PlanRequest, PlanResult

_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="organisation API key")

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or invalid API key"},
    404: {"model": ErrorBody, "description": "no such object in this organisation"},
    413: {"model": ErrorBody, "description": "request body too large"},
    422: {"model": ErrorBody, "description": "invalid input: field, value and allowed range"},
}

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


def api_org(
    request: Request,
    key: Annotated[str | None, Depends(_key_header)],
    session: Annotated[Session, Depends(db, scope="function")],
) -> int:
    """The organisation of the request's API key (401 without a valid one)."""
    from peakzero.web.security import org_for_api_key

    org_id = org_for_api_key(session, key) if key else None
    if org_id is None:
        raise ApiError(401, "give a valid API key in the X-API-Key header", field="X-API-Key")
    return org_id


Org = Annotated[int, Depends(api_org)]
Db = Annotated[Session, Depends(db, scope="function")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LeadOut(BaseModel):
    id: int
    status: str
    name: str
    company: str
    created_at: float
    estimate: dict[str, Any] | None = None


class PlanIn(_Strict):
    """A full plan to run: the PLAN.toml structure as JSON."""

    plan: dict[str, Any] = Field(description="PLAN.toml as a JSON object ([plan], [site], ...)")
    report: bool = Field(default=True, description="render the HTML and PDF report")
    lang: Literal["zh", "en"] = "zh"


class JobOut(BaseModel):
    id: int
    plan_id: int
    status: Literal["queued", "running", "succeeded", "failed", "timed_out", "infeasible"]
    progress: str
    progress_fraction: float
    attempts: int
    error: str | None
    error_field: str | None
    created_at: float
    finished_at: float | None


class PlanOut(BaseModel):
    plan_id: int
    job: JobOut
    summary: dict[str, Any] | None = None


@router.post("/estimates", response_model=Estimate, summary="Instant estimate (synchronous)")
def post_estimate(body: EstimateInput, org: Org) -> Estimate:
    return estimate(body)


async def _upload(kind: str, item: UploadFile | None) -> Upload | None:
    if item is None:
        return None
    content = await item.read(MAX_ESTIMATE_UPLOAD_BYTES + 1)
    return Upload(str(item.filename or f"{kind}.csv")[:200], content)


@router.post(
    "/estimates/upload",
    response_model=Estimate,
    summary="Instant estimate with a meter file, bills or a roof outline (multipart)",
)
async def post_estimate_upload(
    org: Org,
    input: Annotated[
        str,
        Form(
            max_length=8192,
            description="the estimate's fields as JSON (EstimateInput); the electricity use "
            "may be left out when a meter file or bills are uploaded",
        ),
    ] = "{}",
    meter_file: Annotated[
        UploadFile | None, File(description="a year of meter readings, CSV or xlsx")
    ] = None,
    bills_file: Annotated[
        UploadFile | None, File(description="a year of monthly bills, CSV or xlsx")
    ] = None,
    roof_file: Annotated[
        UploadFile | None, File(description="roof outline in metres, JSON or CSV (x, y)")
    ] = None,
) -> Estimate:
    try:
        raw = json.loads(input)
    except json.JSONDecodeError as exc:
        raise ApiError(422, f"input is not valid JSON ({exc.msg})", field="input") from None
    if not isinstance(raw, dict):
        raise ApiError(422, "input must be a JSON object of the estimate's fields", field="input")
    try:
        inp = EstimateInput.model_validate(raw)
    except ValidationError as exc:
        failure = explain_validation(exc, origin="estimate")
        raise ApiError(422, str(failure), field=failure.field) from None
    files = EstimateFiles(
        meter=await _upload("meter", meter_file),
        bills=await _upload("bills", bills_file),
        roof=await _upload("roof", roof_file),
    )
    return estimate(inp, files)


@router.post("/leads", response_model=LeadOut, status_code=201, summary="Leave a message")
def post_lead(body: LeadIn, org: Org, session: Db, request: Request) -> LeadOut:
    lead = create_lead(session, org, body, source="api")
    return _lead_out(lead)


@router.get("/leads/{lead_id}", response_model=LeadOut, summary="One lead")
def get_lead(lead_id: int, org: Org, session: Db) -> LeadOut:
    return _lead_out(get_owned(session, Lead, org, lead_id))


def _lead_out(lead: Lead) -> LeadOut:
    return LeadOut(
        id=lead.id,
        status=lead.status,
        name=lead.name,
        company=lead.company,
        created_at=lead.created_at,
        estimate=json.loads(lead.estimate_json) if lead.estimate_json else None,
    )


@router.post("/plans", response_model=PlanOut, status_code=202, summary="Run a full plan (a job)")
def post_plan(body: PlanIn, org: Org, session: Db, request: Request) -> PlanOut:
    planner.check_plan_dict(body.plan)
    s = settings(request)
    plan, job = enqueue_plan(
        session,
        org_id=org,
        plan=body.plan,
        report=body.report,
        lang=body.lang,
        time_limit_s=s.job_time_limit_seconds,
        max_attempts=s.max_attempts,
    )
    return PlanOut(plan_id=plan.id, job=JobOut(**job_view(job)))


@router.get("/plans/{plan_id}", response_model=PlanOut, summary="A plan, its job and summary")
def get_plan(plan_id: int, org: Org, session: Db) -> PlanOut:
    plan = get_owned(session, PlanRequest, org, plan_id)
    job = session.scalars(select(Job).where(Job.plan_id == plan.id)).one()
    result = session.scalars(select(PlanResult).where(PlanResult.plan_id == plan.id)).first()
    summary = json.loads(result.summary_json) if result else None
    return PlanOut(plan_id=plan.id, job=JobOut(**job_view(job)), summary=summary)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="Status, progress and error")
def get_job(job_id: int, org: Org, session: Db) -> JobOut:
    return JobOut(**job_view(get_owned(session, Job, org, job_id)))


def _result(session: Session, org: int, plan_id: int) -> PlanResult:
    plan = get_owned(session, PlanRequest, org, plan_id)
    result = session.scalars(select(PlanResult).where(PlanResult.plan_id == plan.id)).first()
    if result is None:
        raise ApiError(
            404, f"plan {plan_id} has no result yet: see its job", field="plan_id", value=plan_id
        )
    return result


@router.get(
    "/plans/{plan_id}/report.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the proposal (PDF)"}},
    summary="The proposal as PDF",
)
def get_report_pdf(plan_id: int, org: Org, session: Db) -> Response:
    result = _result(session, org, plan_id)
    if result.report_pdf is None:
        raise ApiError(
            404,
            f"plan {plan_id} was run without a report (report = false)",
            field="plan_id",
            value=plan_id,
        )
    return Response(result.report_pdf, media_type="application/pdf")


@router.get(
    "/plans/{plan_id}/results.json",
    response_model=dict[str, Any],
    summary="The full results",
)
def get_results(plan_id: int, org: Org, session: Db) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_result(session, org, plan_id).results_json)
    return data
