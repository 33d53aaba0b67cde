"""Server-sent events over the core's live broker (core.live). Used by the inbox, portal and widget.

The caller authorizes *which channels* a viewer may open; :func:`event_stream` then drops
agent-only messages for customers. Streams send a keep-alive comment every ``keepalive`` seconds,
so proxies keep them open and dead clients are noticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, stream_with_context

from core.live import LiveMessage
from core.runtime import get_runtime

KEEPALIVE_SECONDS = 15.0


def format_sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def event_stream(
    channels: list[str],
    *,
    agent: bool,
    project: Callable[[LiveMessage], dict[str, Any] | None] | None = None,
    last: Callable[[dict[str, Any]], bool] | None = None,
    keepalive: float = KEEPALIVE_SECONDS,
    max_seconds: float | None = None,
) -> Response:
    """An SSE response for ``channels``; customers (``agent=False``) never get agent-only messages.

    ``project`` turns a message into the data sent (None: skip it), e.g. a customer-safe subset;
    ``last`` says, from the sent data, that the stream is over (e.g. the conversation was archived).
    """
    import time

    broker = get_runtime().live
    subscription = broker.subscribe(channels)

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
                if message.audience == "agents" and not agent:
                    continue
                data = project(message) if project is not None else message.data
                if data is None:
                    continue
                yield format_sse(message.event, data)
                if last is not None and last(data):
                    return
        finally:
            subscription.close()

    response = Response(stream_with_context(generate()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
