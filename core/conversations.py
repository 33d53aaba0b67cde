"""Conversations: starting them (spam verdict, routing, priority), messages, stages, tags, owners.

The rules of a conversation live here once; the web app, the API, the CLI and the snap-in context
all call these functions. Each takes the :class:`Workspace` first, flushes and emits domain events
(released after the caller's :func:`core.db.commit`), and never commits.

:func:`change_stage` (through :func:`_transition`) is the only code that writes
``Conversation.stage``; it enforces :mod:`core.stages`' transition table and records every change,
so response and resolution times are computed from the stage history.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from core import events, stages
# Reads live in their own module; re-exported so callers have one import for conversations.
from core.conversation_queries import (  # noqa: F401
    SORTS,
    first_response_seconds,
    list_conversations,
    resolution_seconds,
    stage_counts,
)
from core.db import db, get_scoped, utcnow
from core.errors import NotFound, ValidationError
from core.models import Account, Contact, Conversation, ConversationTag, Message, StageChange, Ticket, User, Workspace
from core.runtime import get_runtime
from core.snapshots import contact_info, conversation_info, message_info, stage_change_info
from core.stages import Stage
from hooks.types import to_payload

log = logging.getLogger("snapdesk.conversations")

#: Conversation priorities, most urgent first.
PRIORITIES = ("p0", "p1", "p2", "p3")
#: An account younger than this many days counts as a new customer org (lower priority).
NEW_ACCOUNT_DAYS = 30
CHANNELS = ("widget", "email", "portal")
#: Tag -> whether it needs a value ("resolution" reads "Resolution: fixed"; the others are plain).
TAGS: dict[str, bool] = {
    "stalled": False,
    "priority": False,
    "escalated": False,
    "fast_moving": False,
    "slow_moving": False,
    "blocked": False,
    "resolution": True,
}
TITLE_MAX = 300
BY_KINDS = ("rev", "dev", "system", "snapin")


# -- Pure rules -----------------------------------------------------------------------------------


def default_priority(account: Account | None, now: datetime) -> str:
    """The core's priority: "p2" for an existing account, "p3" for a new (younger than
    :data:`NEW_ACCOUNT_DAYS`) or unidentified one (no account)."""
    if account is None or account.created_at is None:
        return "p3"
    if account.created_at > now - timedelta(days=NEW_ACCOUNT_DAYS):
        return "p3"
    return "p2"


# -- Starting a conversation ----------------------------------------------------------------------


def start_conversation(
    workspace: Workspace,
    *,
    body: str,
    title: str = "",
    channel: str,
    contact: Contact | None = None,
    user: User | None = None,
    email_message_id: str | None = None,
) -> Conversation:
    """Create a conversation with its first message and initial stage (New).

    ``contact`` given: a customer started it (creator "rev"): the spam verdict hook runs first (spam
    -> Suspended, not routed), then the routing hook, falling back to the account's default owner;
    the routing explanation is kept as an internal system message. ``user`` given (no contact): an
    agent started it (creator "dev") and owns it. Neither: a system conversation (imports, demos).
    Priority: a routing decision's, else :func:`default_priority`. Emits ``conversation_created``
    after these decisions. Raises :class:`ValidationError` (fields body, channel, title).
    """
    body = (body or "").strip()
    title = (title or "").strip()
    problems: dict[str, list[str]] = {}
    if not body:
        problems["body"] = ["Write a message."]
    if channel not in CHANNELS:
        problems["channel"] = [f"Unknown channel '{channel}'; use one of: {', '.join(CHANNELS)}."]
    if len(title) > TITLE_MAX:
        problems["title"] = [f"Use at most {TITLE_MAX} characters."]
    if problems:
        raise ValidationError("The conversation could not be started.", problems)
    _check_same_workspace(workspace, contact, user)

    creator_kind = "rev" if contact is not None else "dev" if user is not None else "system"
    account = contact.account if contact is not None else None
    now = utcnow()
    conversation = Conversation(
        workspace_id=workspace.id,
        title=title,
        channel=channel,
        creator_kind=creator_kind,
        contact_id=contact.id if contact is not None else None,
        account_id=account.id if account is not None else None,
        stage=Stage.NEW.value,
        priority=default_priority(account, now),
        email_thread_id=email_message_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(conversation)
    db.session.flush()
    message = _add_message(
        workspace, conversation, body=body, author_kind=creator_kind,
        author_contact=contact, author_user=user if contact is None else None, email_message_id=email_message_id,
        at=now,
    )
    conversation.stage_changes.append(
        StageChange(
            workspace_id=workspace.id, from_stage=None, to_stage=Stage.NEW.value, by_kind=creator_kind,
            by_contact_id=contact.id if contact is not None else None,
            by_user_id=user.id if user is not None and contact is None else None, at=now,
        )
    )
    db.session.flush()

    if creator_kind == "rev":
        if not _suspend_if_spam(workspace, conversation, message, contact):
            _route(workspace, conversation, message, contact, account)
    elif creator_kind == "dev":
        conversation.owner_id = user.id  # type: ignore[union-attr]
        conversation.routed_by = f"core: started by {user.name}"[:200]  # type: ignore[union-attr]
    db.session.flush()
    events.emit(
        db.session, "conversation_created", workspace.id,
        {"conversation": to_payload(conversation_info(conversation)), "message": to_payload(message_info(message))},
    )
    return conversation


def _suspend_if_spam(workspace: Workspace, conversation: Conversation, message: Message, contact: Contact | None) -> bool:
    """Ask the spam verdict hook; suspend on a spam verdict. True when suspended."""
    answer = get_runtime().dispatcher.first(
        "snapdesk_spam_verdict", workspace,
        conversation=conversation_info(conversation), message=message_info(message),
        contact=contact_info(contact) if contact is not None else None,
    )
    if answer is None or not getattr(answer.value, "is_spam", False):
        return False
    reason = str(getattr(answer.value, "reason", "") or "judged spam")
    # Part of the creation: conversation_created carries the Suspended stage, so no separate event.
    _transition(workspace, conversation, Stage.SUSPENDED, by_kind="snapin", by_snapin=answer.snapin_id, reason=reason)
    return True


def _route(
    workspace: Workspace, conversation: Conversation, message: Message, contact: Contact | None, account: Account | None
) -> None:
    """Set the owner: a snap-in's routing decision if valid, else the account's default owner."""
    answer = get_runtime().dispatcher.first(
        "snapdesk_route_conversation", workspace,
        conversation=conversation_info(conversation), message=message_info(message),
        contact=contact_info(contact) if contact is not None else None,
    )
    owner: User | None = None
    routed_by: str | None = None
    if answer is not None:
        decision = answer.value
        owner = _user_in_workspace(workspace, getattr(decision, "owner_id", None))
        if owner is None:
            log.warning(
                "snap-in %s routed conversation %s to owner %r, which is not a user of workspace %s; ignored",
                answer.snapin_id, conversation.id, getattr(decision, "owner_id", None), workspace.slug,
            )
        else:
            routed_by = f"{answer.snapin_id}: {getattr(decision, 'reason', '') or 'routing decision'}"
            _apply_decision_extras(workspace, conversation, answer.snapin_id, decision)
    if owner is None:
        if account is not None and account.default_owner is not None:
            owner = account.default_owner
            routed_by = f"core: default owner of account {account.name}"
        else:
            routed_by = "core: unassigned (no account default owner)"
    conversation.owner_id = owner.id if owner is not None else None
    conversation.routed_by = routed_by[:200]
    target = f"Routed to {owner.name}" if owner is not None else "Left unassigned"
    _add_message(workspace, conversation, body=f"{target} — {routed_by}", author_kind="system", internal=True)


def _apply_decision_extras(workspace: Workspace, conversation: Conversation, snapin_id: str, decision: Any) -> None:
    """Tags and priority of a routing decision; invalid ones are logged and skipped, never fatal."""
    for tag, value in dict(getattr(decision, "tags", None) or {}).items():
        try:
            _apply_tag(workspace, conversation, tag, value)
        except ValidationError as exc:
            log.warning("snap-in %s asked for tag %r on conversation %s: %s", snapin_id, tag, conversation.id, exc)
    priority = getattr(decision, "priority", None)
    if priority is not None:
        if priority in PRIORITIES:
            conversation.priority = priority
        else:
            log.warning("snap-in %s asked for unknown priority %r; ignored", snapin_id, priority)


# -- Messages -------------------------------------------------------------------------------------


def post_message(
    workspace: Workspace,
    conversation: Conversation,
    *,
    body: str,
    author_contact: Contact | None = None,
    author_user: User | None = None,
    internal: bool = False,
    system: bool = False,
    email_message_id: str | None = None,
) -> Message:
    """Add a message and apply the automatic stage transitions; emits ``message_posted``.

    Author kind: "system" when ``system``, else "rev" for ``author_contact``, "dev" for
    ``author_user``. An agent's public reply follows :data:`core.stages.ON_AGENT_REPLY` (and sets
    ``first_response_at`` once); a customer's message follows :data:`core.stages.ON_CUSTOMER_MESSAGE`.
    Internal notes move nothing. A customer cannot write to an archived conversation or post an
    internal note (:class:`ValidationError`); writing to a suspended one just adds the message.
    """
    _check_conversation(workspace, conversation)
    body = (body or "").strip()
    if not body:
        raise ValidationError.field("body", "Write a message.")
    _check_same_workspace(workspace, author_contact, author_user)
    if system:
        author_kind = "system"
    elif author_contact is not None:
        author_kind = "rev"
    elif author_user is not None:
        author_kind = "dev"
    else:
        raise ValidationError.field("author", "A message needs an author (a contact or an agent).")
    if author_kind == "rev":
        if internal:
            raise ValidationError.field("internal", "Customers cannot post internal notes.")
        if conversation.stage == Stage.ARCHIVED:
            raise ValidationError.field("conversation", "This conversation is closed; start a new one.")

    message = _add_message(
        workspace, conversation, body=body, author_kind=author_kind, author_contact=author_contact,
        author_user=author_user, internal=internal, email_message_id=email_message_id,
    )
    stage = Stage(conversation.stage)
    if author_kind == "dev" and not internal:
        if conversation.first_response_at is None:
            conversation.first_response_at = message.created_at
        target = stages.ON_AGENT_REPLY.get(stage)
        if target is not None:
            change_stage(workspace, conversation, target, by_kind="dev", by_user=author_user, reason="support replied")
    elif author_kind == "rev":
        target = stages.ON_CUSTOMER_MESSAGE.get(stage)
        if target is not None:
            change_stage(
                workspace, conversation, target, by_kind="rev", by_contact=author_contact, reason="customer replied"
            )
    conversation.updated_at = utcnow()
    db.session.flush()
    events.emit(
        db.session, "message_posted", workspace.id,
        {"conversation": to_payload(conversation_info(conversation)), "message": to_payload(message_info(message))},
    )
    return message


def _add_message(
    workspace: Workspace,
    conversation: Conversation,
    *,
    body: str,
    author_kind: str,
    author_contact: Contact | None = None,
    author_user: User | None = None,
    internal: bool = False,
    email_message_id: str | None = None,
    at: datetime | None = None,
) -> Message:
    """Store a message without rules or events (callers own both)."""
    message = Message(
        workspace_id=workspace.id,
        author_kind=author_kind,
        author_contact_id=author_contact.id if author_contact is not None else None,
        author_user_id=author_user.id if author_user is not None else None,
        body=body,
        internal=internal,
        channel=conversation.channel,
        email_message_id=email_message_id,
        created_at=at or utcnow(),
    )
    conversation.messages.append(message)
    db.session.flush()
    return message


# -- Stages ---------------------------------------------------------------------------------------


def change_stage(
    workspace: Workspace,
    conversation: Conversation,
    to_stage: Stage | str,
    *,
    by_kind: str,
    by_user: User | None = None,
    by_contact: Contact | None = None,
    by_snapin: str | None = None,
    reason: str | None = None,
) -> StageChange:
    """Move a conversation along the transition table and record it; emits ``stage_changed``.

    Raises :class:`core.errors.IllegalTransition` (naming the legal targets) for an edge the table
    lacks, :class:`ValidationError` for an unknown stage or ``by_kind``.
    """
    change = _transition(
        workspace, conversation, to_stage, by_kind=by_kind, by_user=by_user, by_contact=by_contact,
        by_snapin=by_snapin, reason=reason,
    )
    if (change.from_stage, change.to_stage) == (Stage.SUSPENDED.value, Stage.NEW.value) and conversation.owner_id is None:
        # Judged valid: it was never routed while suspended, so route it now like a new one.
        first = next((m for m in conversation.messages if m.author_kind == "rev"), None)
        if first is not None:
            _route(workspace, conversation, first, conversation.contact, conversation.account)
    events.emit(
        db.session, "stage_changed", workspace.id,
        {"conversation": to_payload(conversation_info(conversation)), "change": to_payload(stage_change_info(change))},
    )
    return change


def _transition(
    workspace: Workspace,
    conversation: Conversation,
    to_stage: Stage | str,
    *,
    by_kind: str,
    by_user: User | None = None,
    by_contact: Contact | None = None,
    by_snapin: str | None = None,
    reason: str | None = None,
) -> StageChange:
    """The one writer of ``Conversation.stage``: check, record, stamp times (no event)."""
    _check_conversation(workspace, conversation)
    target = to_stage if isinstance(to_stage, Stage) else stages.parse(str(to_stage))
    if by_kind not in BY_KINDS:
        raise ValidationError.field("by_kind", f"Use one of: {', '.join(BY_KINDS)}.")
    _check_same_workspace(workspace, by_contact, by_user)
    current = Stage(conversation.stage)
    stages.check(current, target)
    now = utcnow()
    change = StageChange(
        workspace_id=workspace.id,
        from_stage=current.value,
        to_stage=target.value,
        by_kind=by_kind,
        by_user_id=by_user.id if by_user is not None else None,
        by_contact_id=by_contact.id if by_contact is not None else None,
        by_snapin=by_snapin,
        reason=reason[:500] if reason else None,
        at=now,
    )
    conversation.stage_changes.append(change)
    conversation.stage = target.value
    if target == Stage.RESOLVED:
        conversation.resolved_at = now
    if current == Stage.NEW and target == Stage.WAITING_ON_USER and conversation.first_response_at is None:
        conversation.first_response_at = now
    conversation.updated_at = now
    db.session.flush()
    return change


def escalate(workspace: Workspace, conversation: Conversation, *, ticket_id: int, by_user: User | None) -> StageChange:
    """Needs response -> Hold, waiting on a ticket of this workspace; tags it "escalated"."""
    ticket = get_scoped(Ticket, workspace.id, ticket_id)
    change = change_stage(
        workspace, conversation, Stage.HOLD, by_kind="dev" if by_user is not None else "system", by_user=by_user,
        reason=f"escalated to ticket #{ticket.id}",
    )
    conversation.ticket_id = ticket.id
    _apply_tag(workspace, conversation, "escalated", None)
    _updated(workspace, conversation)
    return change


# -- Tags, owner, priority ------------------------------------------------------------------------


def set_tag(workspace: Workspace, conversation: Conversation, tag: str, value: str | None = None) -> ConversationTag:
    """Add (or re-value) a tag of :data:`TAGS`; emits ``conversation_updated``."""
    _check_conversation(workspace, conversation)
    row = _apply_tag(workspace, conversation, tag, value)
    _updated(workspace, conversation)
    return row


def remove_tag(workspace: Workspace, conversation: Conversation, tag: str) -> None:
    """Remove a tag (no-op if absent); emits ``conversation_updated`` when something was removed."""
    _check_conversation(workspace, conversation)
    name = tag_name(tag)
    row = next((t for t in conversation.tags if t.tag == name), None)
    if row is not None:
        conversation.tags.remove(row)
        db.session.flush()
        _updated(workspace, conversation)


def tag_name(tag: str) -> str:
    name = (tag or "").strip().lower().replace(" ", "_").replace("-", "_")
    if name not in TAGS:
        raise ValidationError.field("tag", f"Unknown tag '{tag}'; use one of: {', '.join(TAGS)}.")
    return name


def _apply_tag(workspace: Workspace, conversation: Conversation, tag: str, value: str | None) -> ConversationTag:
    name = tag_name(tag)
    value = (value or "").strip() or None
    if TAGS[name] and value is None:
        raise ValidationError.field("value", f"The tag '{name}' needs a value (e.g. 'Resolution: fixed').")
    if not TAGS[name] and value is not None:
        raise ValidationError.field("value", f"The tag '{name}' takes no value.")
    if value is not None and len(value) > 200:
        raise ValidationError.field("value", "Use at most 200 characters.")
    row = next((t for t in conversation.tags if t.tag == name), None)
    if row is None:
        row = ConversationTag(workspace_id=workspace.id, tag=name, value=value)
        conversation.tags.append(row)
    else:
        row.value = value
    db.session.flush()
    return row


def assign(
    workspace: Workspace,
    conversation: Conversation,
    owner_id: int | None,
    *,
    reason: str = "",
    by_user: User | None = None,
    by_snapin: str | None = None,
) -> Conversation:
    """Give the conversation to ``owner_id`` (a user of this workspace; None unassigns).

    Records an internal system message "Reassigned to X — reason"; emits ``conversation_updated``.
    Assigning to the current owner changes nothing. :class:`NotFound` for a user of another workspace.
    """
    _check_conversation(workspace, conversation)
    owner = get_scoped(User, workspace.id, owner_id) if owner_id is not None else None
    if conversation.owner_id == (owner.id if owner is not None else None):
        return conversation
    who = by_snapin or (by_user.name if by_user is not None else "core")
    reason = (reason or "").strip()
    conversation.owner_id = owner.id if owner is not None else None
    conversation.routed_by = f"{who}: {reason or 'reassigned'}"[:200]
    text = f"Reassigned to {owner.name}" if owner is not None else "Unassigned"
    _add_message(
        workspace, conversation, body=f"{text} — {reason}" if reason else f"{text} (by {who})",
        author_kind="system", author_user=by_user, internal=True,
    )
    _updated(workspace, conversation)
    return conversation


def set_priority(workspace: Workspace, conversation: Conversation, priority: str) -> Conversation:
    """Set one of :data:`PRIORITIES`; emits ``conversation_updated`` when it changes."""
    _check_conversation(workspace, conversation)
    if priority not in PRIORITIES:
        raise ValidationError.field("priority", f"Unknown priority '{priority}'; use one of: {', '.join(PRIORITIES)}.")
    if conversation.priority != priority:
        conversation.priority = priority
        _updated(workspace, conversation)
    return conversation


def _updated(workspace: Workspace, conversation: Conversation) -> None:
    conversation.updated_at = utcnow()
    db.session.flush()
    events.emit(
        db.session, "conversation_updated", workspace.id, {"conversation": to_payload(conversation_info(conversation))}
    )


# -- Guards ---------------------------------------------------------------------------------------

def _check_conversation(workspace: Workspace, conversation: Conversation) -> None:
    if conversation.workspace_id != workspace.id:
        raise NotFound(f"Conversation {conversation.id} not found.")


def _check_same_workspace(workspace: Workspace, contact: Contact | None, user: User | None) -> None:
    # Callers fetch people with get_scoped; this guards against a row from another tenant slipping in.
    if contact is not None and contact.workspace_id != workspace.id:
        raise NotFound(f"Contact {contact.id} not found.")
    if user is not None and user.workspace_id != workspace.id:
        raise NotFound(f"User {user.id} not found.")


def _user_in_workspace(workspace: Workspace, user_id: Any) -> User | None:
    try:
        return get_scoped(User, workspace.id, user_id)
    except NotFound:
        return None
