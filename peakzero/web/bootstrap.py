"""First-run data: a demo organisation and its admin account (the password printed once)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peakzero.web.models import Organisation, User
from peakzero.web.security import hash_password

DEMO_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" '
    'rx="10" fill="#1b7f5b"/><path d="M10 34h28M14 28l10-14 10 14" stroke="#f2b632" '
    'stroke-width="4" fill="none" stroke-linecap="round"/></svg>'
)


@dataclass(frozen=True)
class Created:
    org: Organisation
    admin_email: str
    admin_password: str | None  # None when the account already existed


def ensure_org(
    session: Session,
    slug: str,
    name: str,
    *,
    contact_line: str = "",
    admin_email: str,
    admin_password: str | None = None,
) -> Created:
    """The organisation ``slug`` with an admin account, created when missing (idempotent)."""
    org = session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if org is None:
        org = Organisation(slug=slug, name=name, contact_line=contact_line, logo_svg=DEMO_LOGO)
        session.add(org)
        session.flush()
    email = admin_email.strip().lower()
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is not None:
        return Created(org, email, None)
    password = admin_password or secrets.token_urlsafe(12)
    session.add(
        User(
            org_id=org.id,
            email=email,
            name="Admin",
            role="admin",
            password_hash=hash_password(password),
        )
    )
    session.flush()
    return Created(org, email, password)


def ensure_demo(session: Session) -> Created:
    return ensure_org(
        session,
        "demo",
        "绿源能源 GreenSource Energy (demo)",
        contact_line="400-000-0000 · hello@example.com",
        admin_email="admin@example.com",
    )
