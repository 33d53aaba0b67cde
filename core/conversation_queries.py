"""Reads over conversations: the inbox's filtered, paged lists, stage counts and response times.

Re-exported by :mod:`core.conversations` (callers import them from there). Every query is scoped
by workspace id.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from core import stages as stage_rules  # aliased: list_conversations has a ``stages`` parameter
from core.db import db
from core.errors import ValidationError
from core.models import Conversation, ConversationTag
from core.stages import Stage

SORTS = ("updated_at", "created_at", "priority", "id")


def first_response_seconds(conversation: Conversation) -> float | None:
    """Seconds from creation to the first New -> Waiting on user change; None if it has not happened."""
    for change in conversation.stage_changes:
        if change.from_stage == Stage.NEW and change.to_stage == Stage.WAITING_ON_USER:
            return (change.at - conversation.created_at).total_seconds()
    return None


def resolution_seconds(conversation: Conversation) -> float | None:
    """Seconds from creation to the first entry into Resolved; None if never resolved."""
    for change in conversation.stage_changes:
        if change.to_stage == Stage.RESOLVED:
            return (change.at - conversation.created_at).total_seconds()
    return None


# -- Lists --------------------------------------------------------------------------------------


def list_conversations(
    workspace_id: int,
    *,
    stages: Iterable[str] | None = None,
    owner_id: int | None = None,
    unassigned: bool = False,
    tag: str | None = None,
    priority: str | None = None,
    channel: str | None = None,
    account_id: int | None = None,
    contact_id: int | None = None,
    include_hidden: bool = False,
    sort: str = "-updated_at",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Conversation], int]:
    """One page of a workspace's conversations and the total count matching the filters.

    Without ``stages`` (or ``include_hidden``) Suspended and Archived are left out
    (:data:`core.stages.HIDDEN_BY_DEFAULT`); naming them in ``stages`` lists them. ``sort`` is one
    of :data:`SORTS`, "-" prefixed for descending. ``unassigned`` keeps only conversations without
    an owner. Bad filter values are :class:`ValidationError`.
    """
    # Imported here: core.conversations re-exports this module, and owns the vocabulary.
    from core.conversations import CHANNELS, PRIORITIES, tag_name

    query = select(Conversation).where(Conversation.workspace_id == workspace_id)
    if stages is not None:
        wanted = [stage_rules.parse(s).value for s in stages]
        query = query.where(Conversation.stage.in_(wanted))
    elif not include_hidden:
        query = query.where(Conversation.stage.not_in([s.value for s in stage_rules.HIDDEN_BY_DEFAULT]))
    if owner_id is not None:
        query = query.where(Conversation.owner_id == owner_id)
    if unassigned:
        query = query.where(Conversation.owner_id.is_(None))
    if tag is not None:
        tagged = select(ConversationTag.conversation_id).where(
            ConversationTag.workspace_id == workspace_id, ConversationTag.tag == tag_name(tag)
        )
        query = query.where(Conversation.id.in_(tagged))
    if priority is not None:
        if priority not in PRIORITIES:
            raise ValidationError.field("priority", f"Use one of: {', '.join(PRIORITIES)}.")
        query = query.where(Conversation.priority == priority)
    if channel is not None:
        if channel not in CHANNELS:
            raise ValidationError.field("channel", f"Use one of: {', '.join(CHANNELS)}.")
        query = query.where(Conversation.channel == channel)
    if account_id is not None:
        query = query.where(Conversation.account_id == account_id)
    if contact_id is not None:
        query = query.where(Conversation.contact_id == contact_id)

    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise ValidationError.field("sort", f"Sort by one of: {', '.join(SORTS)} (prefix '-' for descending).")
    column = getattr(Conversation, key)
    order = [column.desc(), Conversation.id.desc()] if descending else [column.asc(), Conversation.id.asc()]
    try:
        limit, offset = max(1, min(int(limit), 200)), max(0, int(offset))
    except (TypeError, ValueError):
        raise ValidationError("Paging must be whole numbers.", {"limit": ["Use a whole number."]}) from None

    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(db.session.scalars(query.order_by(*order).limit(limit).offset(offset)))
    return rows, int(total)


def stage_counts(workspace_id: int) -> dict[str, int]:
    """Number of conversations per stage value; every stage is present (0 when empty)."""
    counts = {s.value: 0 for s in Stage}
    rows = db.session.execute(
        select(Conversation.stage, func.count())
        .where(Conversation.workspace_id == workspace_id)
        .group_by(Conversation.stage)
    )
    for stage, count in rows:
        counts[stage] = int(count)
    return counts
