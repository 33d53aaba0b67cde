"""Domain events: collected during a transaction, published once on blinker after commit.

Services call :func:`emit` while they change rows; nothing is published until
:func:`core.db.commit` succeeds, and a rollback drops what was collected. Subscribers
(the snap-in dispatcher, the live-update publisher, metrics) connect to :data:`domain_event`
or to a named signal of :data:`signals`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blinker import Namespace
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.db import utcnow

log = logging.getLogger("snapdesk.events")

signals = Namespace()

#: Every event, whatever its name; receivers get ``sender=event name`` and ``event=DomainEvent``.
domain_event = signals.signal("domain-event", doc="Any domain event, after commit.")

#: The events the core publishes. Payload keys are in each docstring.
EVENT_NAMES: dict[str, str] = {
    "conversation_created": "payload: conversation, message (hooks.types snapshots as JSON)",
    "message_posted": "payload: conversation, message",
    "stage_changed": "payload: conversation, change",
    "conversation_updated": "payload: conversation (owner, tags or priority changed)",
    "ticket_created": "payload: ticket",
    "ticket_updated": "payload: ticket (stage or fields changed)",
    "comment_added": "payload: ticket, comment",
    "article_published": "payload: article, notify, comment",
    "contact_created": "payload: contact",
}

_PENDING = "snapdesk_pending_events"
_READY = "snapdesk_ready_events"
#: Depth guard: subscribers may commit (and so release) again; stop runaway chains.
_MAX_DEPTH = 8
_depth = 0


@dataclass(frozen=True)
class DomainEvent:
    name: str
    workspace_id: int
    payload: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: datetime = field(default_factory=utcnow)


def emit(session: Session, name: str, workspace_id: int, payload: dict[str, Any]) -> DomainEvent:
    """Collect an event in ``session``'s transaction; published by :func:`release_ready` after commit."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event {name!r}; known: {', '.join(EVENT_NAMES)}")
    domain = DomainEvent(name=name, workspace_id=workspace_id, payload=payload)
    session.info.setdefault(_PENDING, []).append(domain)
    return domain


def release_ready(session: Session) -> list[DomainEvent]:
    """Publish the events of transactions that have committed. Called by :func:`core.db.commit`."""
    global _depth
    ready: list[DomainEvent] = session.info.pop(_READY, [])
    if not ready:
        return []
    if _depth >= _MAX_DEPTH:
        log.error("event chain deeper than %s; dropping %s events", _MAX_DEPTH, len(ready))
        return []
    _depth += 1
    try:
        for domain in ready:
            for receiver, exc in _send_robust(domain):
                log.error("event receiver %r failed on %s: %s", receiver, domain.name, exc)
    finally:
        _depth -= 1
    return ready


def _send_robust(domain: DomainEvent) -> list[tuple[Any, Exception]]:
    """Send to every receiver; a receiver's exception never stops the others."""
    failures: list[tuple[Any, Exception]] = []
    for signal in (signals.signal(domain.name), domain_event):
        for receiver in list(signal.receivers_for(domain.name)):
            try:
                receiver(domain.name, event=domain)
            except Exception as exc:  # noqa: BLE001 - isolation is the point
                log.exception("receiver failed")
                failures.append((receiver, exc))
    return failures


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if pending:
        session.info.setdefault(_READY, []).extend(pending)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    # Only an outermost rollback drops events; a savepoint rollback (one snap-in call failing)
    # keeps what the surrounding transaction collected before it.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
