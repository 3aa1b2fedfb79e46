"""The outbox: a new lead is written to the ``outbox`` table in the same transaction as the lead;
the worker delivers pending messages to the optional webhook (``PEAKZERO_OUTBOX_WEBHOOK``).
Without a webhook the message stays in the outbox (the back office lists it)."""

from __future__ import annotations

import json
import urllib.request

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from peakzero.web.config import Settings
from peakzero.web.models import Lead, OutboxMessage, now

#: Delivery attempts before a message is left for a person to look at.
MAX_DELIVERY_ATTEMPTS = 5


def add_lead_message(session: Session, lead: Lead) -> None:
    """Queue the "new lead" notification (no message text: just who and how to reach them)."""
    payload = {
        "event": "lead.created",
        "lead_id": lead.id,
        "org_id": lead.org_id,
        "name": lead.name,
        "company": lead.company,
        "source": lead.source,
    }
    session.add(
        OutboxMessage(
            org_id=lead.org_id,
            lead_id=lead.id,
            kind="lead.created",
            payload_json=json.dumps(payload, ensure_ascii=False),
        )
    )


def deliver_outbox(engine: Engine, settings: Settings, limit: int = 20) -> int:
    """POST pending messages to the webhook; returns how many were delivered."""
    if not settings.outbox_webhook:
        return 0
    sent = 0
    with Session(engine) as session, session.begin():
        pending = session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.attempts < MAX_DELIVERY_ATTEMPTS,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
        for msg in pending:
            msg.attempts += 1
            request = urllib.request.Request(
                settings.outbox_webhook,
                data=msg.payload_json.encode("utf-8"),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()
                msg.sent_at = now()
                sent += 1
            except OSError as exc:
                msg.last_error = str(exc)[:500]
    return sent
