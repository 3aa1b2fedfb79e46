"""The FastAPI application: API, visitor pages, back office, static files, health check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peakzero.errors import PeakzeroError
from peakzero.web.config import Settings
from peakzero.web.db import make_engine, session_factory
from peakzero.web.deps import ApiError

HERE = Path(__file__).parent
#: Largest request body accepted [bytes]: JSON calls and form posts; uploads have their own.
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Largest upload accepted (meter file, bills, roof outline) [bytes].
MAX_UPLOAD_BYTES = 8 * 1024 * 1024


#: Hard cap of the visitor's estimate form [bytes]; the page itself answers a form error above
#: its own limit (:data:`peakzero.web.public.MAX_ESTIMATE_REQUEST_BYTES`) without reading it.
MAX_ESTIMATE_FORM_BYTES = 64 * 1024 * 1024


def body_limit(path: str) -> int:
    """Largest body accepted on ``path`` [bytes]."""
    from peakzero.web.public import MAX_ESTIMATE_REQUEST_BYTES

    if path == "/api/v1/estimates/upload":
        return MAX_ESTIMATE_REQUEST_BYTES
    if path.startswith("/o/") and path.endswith("/estimate"):
        return MAX_ESTIMATE_FORM_BYTES
    if path.endswith("/upload"):
        return MAX_UPLOAD_BYTES + 64 * 1024
    return MAX_BODY_BYTES


class BodyLimit:
    """Refuse request bodies over a limit (413) without reading them whole."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = body_limit(path)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = (
        b'{"error":{"field":"body","value":null,"message":"request body larger than '
        + str(limit).encode()
        + b' bytes"}}'
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _validation_detail(exc: RequestValidationError) -> dict[str, Any]:
    from peakzero.estimate import range_hint

    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = ".".join(loc) or "body"
    value = first.get("input")
    if isinstance(value, dict | list):
        value = None
    msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    hint = range_hint(loc)
    shown = f" (got {value!r})" if value is not None else ""
    return {"field": field, "value": value, "message": f"{field}: {msg}{shown}.{hint}"}


class Health(BaseModel):
    status: str
    database: str


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    """The application on ``settings.database_url`` (migrated to the latest revision first)."""
    from peakzero.web import api, office, public
    from peakzero.web.migrate import upgrade

    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    app = FastAPI(
        title="peakzero",
        version="1",
        description="Instant PV estimates, leads and full carbon-peak plans as jobs.",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(office.NeedLogin)
    async def _need_login(request: Request, exc: office.NeedLogin) -> RedirectResponse:
        return RedirectResponse("/office/login", status_code=303)

    @app.exception_handler(PeakzeroError)
    async def _peakzero_error(request: Request, exc: PeakzeroError) -> JSONResponse:
        return JSONResponse(
            {"error": {"field": exc.field, "value": None, "message": str(exc)}}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = 422 if exc.status_code == 400 else exc.status_code  # unparsable body
        message = (
            "the request body is not valid JSON (UTF-8)" if exc.status_code == 400 else exc.detail
        )
        return JSONResponse(
            {
                "error": {
                    "field": "body" if status == 422 else None,
                    "value": None,
                    "message": str(message),
                }
            },
            status_code=status,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": _validation_detail(exc)}, status_code=422)

    @app.get("/healthz", response_model=Health, tags=["ops"])
    def healthz() -> Health:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return Health(status="ok", database=engine.dialect.name)

    @app.get("/robots.txt", include_in_schema=False)
    def robots() -> PlainTextResponse:
        return PlainTextResponse("User-agent: *\nDisallow: /office/\n")

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(public.router)
    app.include_router(office.router)
    app.add_middleware(BodyLimit)
    return app


def app_from_env() -> FastAPI:
    """The application with settings from the environment (``uvicorn --factory``)."""
    from peakzero.web.config import settings_from_env

    return create_app(settings_from_env())
