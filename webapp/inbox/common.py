"""Helpers shared by the inbox views: form actions (post/redirect/get), labels, ages, people.

Every inbox form posts to an action URL, which runs one core service, commits, and redirects back
to the page with a flash message. A :class:`core.errors.SnapdeskError` raised by the service (an
illegal transition, a bad value, a user of another workspace) is rolled back and shown as an error
message on the page: bad input never yields a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import flash, g, redirect, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from core.conversations import TAGS
from core.db import commit, db, utcnow
from core.errors import SnapdeskError, ValidationError
from core.models import Account, Conversation, Message, User, Workspace
from core.people import list_users
from core.stages import Stage
from core.tickets import TICKET_STAGE_LABELS, TRACKER_LABELS
from webapp.inbox.blueprint import blueprint

#: Stage value -> label, in the order the inbox shows its stage tabs.
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.NEW, Stage.NEEDS_RESPONSE, Stage.WAITING_ON_USER, Stage.HOLD, Stage.RESOLVED, Stage.SUSPENDED, Stage.ARCHIVED,
)
#: Stages whose conversations wait for the support team (the Reply button shows on them).
NEEDS_REPLY = frozenset({Stage.NEW.value, Stage.NEEDS_RESPONSE.value})
SNIPPET_WORDS = 14


@blueprint.context_processor
def inbox_labels() -> dict[str, Any]:
    """Labels every inbox template uses."""
    return {
        "stage_labels": {s.value: s.label for s in Stage},
        "ticket_stage_labels": {s.value: label for s, label in TICKET_STAGE_LABELS.items()},
        "tracker_labels": TRACKER_LABELS,
        "active_area": "inbox",
        "age": age,
        "ago": ago,
        "tag_text": tag_text,
    }


def run_action(action: Callable[[], str | None], back_to: str) -> Response:
    """Run ``action`` (which calls services and returns a success sentence or None), commit, redirect.

    Core errors roll back and come back as an error flash naming the fields at fault.
    """
    try:
        done = action()
        commit()
    except SnapdeskError as exc:
        db.session.rollback()
        flash(error_sentence(exc), "error")
    else:
        if done:
            flash(done, "success")
    return redirect(back_to, code=303)


def error_sentence(exc: SnapdeskError) -> str:
    """The error's message, followed by its field messages when they add something."""
    text = str(exc)
    if isinstance(exc, ValidationError):
        extra = [m for messages in exc.fields.values() for m in messages if m != text]
        if extra:
            text = f"{text} {' '.join(extra)}"
    return text


def form_int(name: str, *, required: bool = True) -> int | None:
    """An integer form field; "" is None when not required. :class:`ValidationError` otherwise."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        if required:
            raise ValidationError.field(name, "Choose a value.")
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError.field(name, "Choose a value from the list.") from None


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """Short age of ``moment``: "just now", "5m", "3h", "2d", "6w"."""
    if moment is None:
        return ""
    seconds = ((now or utcnow()) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    return f"{days}d" if days < 28 else f"{days // 7}w"


def ago(moment: datetime | None) -> str:
    """:func:`age` as a phrase: "just now", "5m ago"."""
    text = age(moment)
    return text if text in ("", "just now") else f"{text} ago"


def tag_text(tag: str, value: str | None) -> str:
    """How a tag reads: "Resolution: fixed", "Fast moving"."""
    label = tag.replace("_", " ").capitalize()
    return f"{label}: {value}" if value else label


def first_words(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def first_customer_message(conversation: Conversation) -> Message | None:
    return next((m for m in conversation.messages if not m.internal), None)


def conversation_heading(conversation: Conversation) -> str:
    """The title, else the first words of the first public message."""
    if conversation.title:
        return conversation.title
    first = first_customer_message(conversation)
    return first_words(first.body) if first is not None else f"Conversation #{conversation.id}"


def agents(workspace: Workspace) -> list[User]:
    return list_users(workspace.id)


def accounts(workspace: Workspace) -> list[Account]:
    return list(db.session.scalars(select(Account).where(Account.workspace_id == workspace.id).order_by(Account.name)))


def person_name(user: User | None) -> str:
    return (user.name or user.email) if user is not None else ""


def tag_choices() -> list[tuple[str, bool]]:
    """(tag, needs a value) for the tag form."""
    return list(TAGS.items())


def current_user() -> User:
    return g.user
