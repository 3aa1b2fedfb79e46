"""Alembic environment: runs on the connection :func:`peakzero.web.migrate.upgrade` passes in."""

from __future__ import annotations

from alembic import context

from peakzero.web.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
