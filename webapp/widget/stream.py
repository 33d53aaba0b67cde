"""The widget's live stream: one conversation's events, reduced to what its customer may see.

Like :func:`webapp.live.event_stream` (same broker, same audience rule: agent-only messages such as
internal notes never reach a customer), but each event is *projected* to a small customer-safe
shape first, so owner ids, tags and priority in the agents' payload never leave for a customer's
browser. Events: ``message_posted``/``conversation_created`` with
``{"conversation": {"id", "stage"}, "message": {"id", "body", "author_kind", "created_at"}}``,
``stage_changed``/``conversation_updated`` with ``{"conversation": {"id", "stage"}}``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from flask import Response, stream_with_context

from core.live import LiveMessage, conversation_channel
from core.runtime import get_runtime
from core.stages import HIDDEN_FROM_WIDGET

KEEPALIVE_SECONDS = 15.0
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
    subscription = get_runtime().live.subscribe([conversation_channel(workspace_id, conversation_id)])

    def generate() -> Iterator[str]:
        started = time.monotonic()
        try:
            yield "retry: 3000\n: connected\n\n"
            for message in subscription.messages(timeout=keepalive):
                if max_seconds is not None and time.monotonic() - started > max_seconds:
                    return
                if message is None:
                    yield ": keep-alive\n\n"
                    continue
                data = project(message)
                if data is None:
                    continue
                yield f"event: {message.event}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"
                if data["conversation"].get("stage") in _HIDDEN:
                    return  # archived or suspended: the widget drops the conversation; nothing more to say
        finally:
            subscription.close()

    response = Response(stream_with_context(generate()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response
