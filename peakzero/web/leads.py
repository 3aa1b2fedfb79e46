"""Leads: a visitor's message with the consent given and the estimate attached."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from peakzero.estimate import EstimateInput, estimate
from peakzero.web.i18n import CONSENT
from peakzero.web.models import Lead, LeadEvent, Organisation, now
from peakzero.web.outbox import add_lead_message


class LeadIn(BaseModel):
    """A message to the organisation's experts (every field has a size limit)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    company: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40, pattern=r"^[0-9+()\- ]*$")
    email: str = Field(default="", max_length=254)
    message: str = Field(default="", max_length=5000)
    consent: bool = Field(description="the visitor agreed to the consent text (must be true)")
    lang: Literal["zh", "en"] = "zh"
    estimate: EstimateInput | None = None

    @field_validator("consent")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if not value:
            raise ValueError("consent must be true: a lead is stored only with the consent given")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError("email must look like name@example.com, or be empty")
        return value.lower()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value.strip()


def create_lead(session: Session, org_id: int, body: LeadIn, *, source: str) -> Lead:
    """Store a lead, its "created" event and its outbox message in the caller's transaction."""
    org = session.get(Organisation, org_id)
    org_name = org.name if org else ""
    est_json = None
    if body.estimate is not None:
        est_json = json.dumps(estimate(body.estimate).to_dict(), ensure_ascii=False)
    t = now()
    lead = Lead(
        org_id=org_id,
        name=body.name,
        company=body.company.strip(),
        phone=body.phone.strip(),
        email=body.email,
        message=body.message.strip(),
        consent_text=CONSENT[body.lang].format(org=org_name),
        consent_at=t,
        estimate_input_json=body.estimate.model_dump_json() if body.estimate else None,
        estimate_json=est_json,
        status="new",
        source=source,
        lang=body.lang,
        created_at=t,
        updated_at=t,
    )
    session.add(lead)
    session.flush()
    session.add(LeadEvent(org_id=org_id, lead_id=lead.id, kind="created", new="new"))
    add_lead_message(session, lead)
    session.flush()
    return lead
