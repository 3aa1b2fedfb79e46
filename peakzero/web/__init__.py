"""The web service: instant estimates and messages for visitors, a back office for experts, a JSON
API and a durable job queue for full plans (``pip install peakzero[web]``).

Modules: ``config`` (settings from the environment), ``db`` (engine, SQLite pragmas, sessions),
``models`` (SQLAlchemy tables), ``migrate`` (Alembic), ``jobs`` (claim / heartbeat / finish),
``worker`` (the job loop), ``engine`` (the one adapter to :mod:`peakzero.plan`), ``security``
(passwords, API keys, sessions, CSRF, rate limits), ``api`` / ``public`` / ``office`` (routes),
``app`` (the FastAPI application).
"""
