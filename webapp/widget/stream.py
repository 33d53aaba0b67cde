"""The widget's live stream: one conversation's events, reduced to what its customer may see.

Built on :func:`webapp.live.event_stream` (same broker, same audience rule: agent-only messages such
as internal notes never reach a customer), with each event *projected* to a small customer-safe
shape first, so owner ids, tags and priority in the agents' payload never leave for a customer's
browser. Events: ``message_posted``/``conversation_created`` with
``{"conversation": {"id", "stage"}, "message": {"id", "body", "author_kind", "created_at"}}``,
``stage_changed``/``conversation_updated`` with ``{"conversation": {"id", "stage"}}``.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from core.live import LiveMessage, conversation_channel
from core.stages import HIDDEN_FROM_WIDGET
from webapp.live import KEEPALIVE_SECONDS, event_stream
_HIDDEN = frozenset(s.value for s in HIDDEN_FROM_WIDGET)


def project(message: LiveMessage) -> dict[str, Any] | None:
    """The customer's view of a live message, or None when the customer must not get it."""
    if message.audience != "all":
        return None
    conversation = message.data.get("conversation") or {}
    data: dict[str, Any] = {"conversation": {"id": conversation.get("id"), "stage": conversation.get("stage")}}
    posted = message.data.get("message")
    if posted is not None:
        if posted.get("internal"):
            return None
        data["message"] = {key: posted.get(key) for key in ("id", "body", "author_kind", "created_at")}
    return data


def widget_stream(
    workspace_id: int, conversation_id: int, *, keepalive: float = KEEPALIVE_SECONDS, max_seconds: float | None = None
) -> Response:
    """An SSE response for one conversation; the caller has checked the visitor may see it."""
    return event_stream(
        [conversation_channel(workspace_id, conversation_id)],
        agent=False,
        project=project,
        # Archived or suspended: the widget drops the conversation; nothing more to say.
        last=lambda data: data["conversation"].get("stage") in _HIDDEN,
        keepalive=keepalive,
        max_seconds=max_seconds,
    )
