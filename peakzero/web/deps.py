"""Shared request plumbing: the database session, the API key's organisation, errors as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from peakzero.web.config import Settings
from peakzero.web.models import Base

M = TypeVar("M", bound=Base)


class ErrorDetail(BaseModel):
    """What went wrong: the field at fault, the value given and the rule (message)."""

    field: str | None = None
    value: Any = None
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An error answered as ``{"error": {...}}`` with an HTTP status."""

    def __init__(
        self, status: int, message: str, *, field: str | None = None, value: Any = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.field, self.value = status, message, field, value

    def body(self) -> dict[str, Any]:
        return {"error": {"field": self.field, "value": self.value, "message": self.message}}


def factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions  # type: ignore[no-any-return]


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


#: Methods that read only: their SQLite transactions start with a plain (deferred) BEGIN.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: POST routes that write nothing (the API's estimates): deferred too, so that concurrent
#: estimates do not queue for the write lock.
READ_ONLY_POSTS = frozenset({"/api/v1/estimates", "/api/v1/estimates/upload"})


def db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error.

    On SQLite a writing request (POST, ...) starts with ``BEGIN IMMEDIATE``: a deferred
    transaction that reads first (the API key, the session) and writes later fails at once with
    "database is locked" when another connection (the worker's heartbeat) committed in between,
    whatever the busy timeout; taking the write lock first makes it wait instead.
    """
    with factory(request)() as session, session.begin():
        bind = session.get_bind()
        writes = request.method not in READ_METHODS and request.url.path not in READ_ONLY_POSTS
        if writes and bind.dialect.name == "sqlite":
            session.connection(execution_options={"immediate": True})
        yield session


def owned(model: type[M], org_id: int) -> Select[M]:
    """``SELECT model WHERE org_id = :org_id``: every query of a customer's rows starts here."""
    return select(model).where(model.org_id == org_id)  # type: ignore[attr-defined]


def get_owned(session: Session, model: type[M], org_id: int, row_id: int) -> M:
    """The row ``row_id`` of ``model`` if it belongs to ``org_id``; else 404 (not 403: another
    organisation's rows do not exist for this caller)."""
    row = session.scalars(owned(model, org_id).where(model.id == row_id)).first()  # type: ignore[attr-defined]
    if row is None:
        raise ApiError(
            404, f"{model.__tablename__[:-1]} {row_id} not found", field="id", value=row_id
        )
    return row


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
