"""``peakzero serve``, ``peakzero worker`` and ``peakzero db upgrade``: the web service.

Needs the ``web`` extra (``pip install 'peakzero[web]'``). The database is
``PEAKZERO_DATABASE_URL`` (default: the SQLite file ``var/peakzero.db``).
"""

from __future__ import annotations

from typing import Annotated

import typer

db_app = typer.Typer(help="The web service's database.", no_args_is_help=True)


def _need_web() -> None:
    try:
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError:
        typer.echo(
            "error: the web service needs the web extra: pip install 'peakzero[web]'", err=True
        )
        raise typer.Exit(2) from None


def serve(
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Create the demo organisation and admin account if missing.")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Uvicorn worker processes.")] = 1,
) -> None:
    """Run the web service (applies the database migrations first)."""
    _need_web()
    import uvicorn

    from peakzero.web.config import settings_from_env
    from peakzero.web.db import make_engine, session_factory, transaction
    from peakzero.web.migrate import upgrade

    settings = settings_from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    if demo:
        from peakzero.web.bootstrap import ensure_demo

        with transaction(session_factory(engine)) as session:
            created = ensure_demo(session)
            slug = created.org.slug
        if created.admin_password:
            typer.echo(
                f"demo admin account: {created.admin_email} / {created.admin_password} "
                "(shown once; change it in the back office)"
            )
        typer.echo(f"public page: http://{host}:{port}/o/{slug}")
    engine.dispose()
    typer.echo(f"back office: http://{host}:{port}/office  API docs: http://{host}:{port}/docs")
    uvicorn.run(
        "peakzero.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def worker(
    once: Annotated[bool, typer.Option(help="Stop when the queue is empty.")] = False,
) -> None:
    """Run background jobs (full plans) from the database queue until stopped."""
    _need_web()
    from peakzero.web.config import settings_from_env
    from peakzero.web.db import make_engine
    from peakzero.web.migrate import upgrade
    from peakzero.web.worker import worker_loop

    settings = settings_from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    done = worker_loop(settings, once=once)
    typer.echo(f"worker: {done} job(s) run")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (idempotent)."""
    _need_web()
    from peakzero.web.config import settings_from_env
    from peakzero.web.db import make_engine
    from peakzero.web.migrate import current, upgrade

    engine = make_engine(settings_from_env().database_url)
    upgrade(engine)
    typer.echo(f"database at revision {current(engine)} ({engine.url.render_as_string()})")
