"""Event payloads (JSON) <-> hook keyword arguments (hooks.types snapshots)."""

from __future__ import annotations

from typing import Any

from hooks.types import (
    ArticleInfo,
    CommentInfo,
    ContactInfo,
    ConversationInfo,
    MessageInfo,
    StageChangeInfo,
    TicketInfo,
    from_payload,
)

#: payload key -> snapshot class; keys not listed pass through as they are (notify, comment).
SNAPSHOT_KEYS: dict[str, type] = {
    "conversation": ConversationInfo,
    "message": MessageInfo,
    "change": StageChangeInfo,
    "ticket": TicketInfo,
    "comment": CommentInfo,
    "article": ArticleInfo,
    "contact": ContactInfo,
}


def hook_arguments(event_name: str, payload: dict[str, Any]) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    for key, value in payload.items():
        cls = SNAPSHOT_KEYS.get(key)
        # "comment" is a CommentInfo for comment_added and the author's note for article_published.
        if cls is not None and isinstance(value, dict):
            arguments[key] = from_payload(cls, value)
        else:
            arguments[key] = value
    return arguments
