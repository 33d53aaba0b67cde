"""The conversation stage machine: one transition table, enforced in one place (:func:`check`).

Each edge says who normally takes it; the services in :mod:`core.conversations` are the only
callers that change ``Conversation.stage``.
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import IllegalTransition, ValidationError


class Stage(StrEnum):
    NEW = "new"
    SUSPENDED = "suspended"
    WAITING_ON_USER = "waiting_on_user"
    NEEDS_RESPONSE = "needs_response"
    HOLD = "hold"
    RESOLVED = "resolved"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.NEW: "New",
    Stage.SUSPENDED: "Suspended",
    Stage.WAITING_ON_USER: "Waiting on user",
    Stage.NEEDS_RESPONSE: "Needs response",
    Stage.HOLD: "Hold",
    Stage.RESOLVED: "Resolved",
    Stage.ARCHIVED: "Archived",
}

#: The whole machine: from-stage -> {to-stage: why this edge exists}. Nothing else may move a stage.
TRANSITIONS: dict[Stage, dict[Stage, str]] = {
    Stage.NEW: {
        Stage.WAITING_ON_USER: "support replies",
        Stage.SUSPENDED: "judged spam",
    },
    Stage.SUSPENDED: {
        Stage.NEW: "judged valid (not spam)",
        Stage.ARCHIVED: "confirmed spam",
    },
    Stage.WAITING_ON_USER: {
        Stage.NEEDS_RESPONSE: "customer replies",
    },
    Stage.NEEDS_RESPONSE: {
        Stage.WAITING_ON_USER: "support replies",
        Stage.HOLD: "escalated",
        Stage.RESOLVED: "verified resolved",
    },
    Stage.HOLD: {
        Stage.NEEDS_RESPONSE: "dependencies done",
        Stage.WAITING_ON_USER: "support replies",
    },
    Stage.RESOLVED: {
        Stage.NEEDS_RESPONSE: "customer writes again",
        Stage.ARCHIVED: "archived (hidden from the widget)",
    },
    Stage.ARCHIVED: {},
}

#: Where an agent's public reply moves a conversation (absent: the reply does not move it).
ON_AGENT_REPLY: dict[Stage, Stage] = {
    Stage.NEW: Stage.WAITING_ON_USER,
    Stage.NEEDS_RESPONSE: Stage.WAITING_ON_USER,
    Stage.HOLD: Stage.WAITING_ON_USER,
}

#: Where a customer's message moves a conversation.
ON_CUSTOMER_MESSAGE: dict[Stage, Stage] = {
    Stage.WAITING_ON_USER: Stage.NEEDS_RESPONSE,
    Stage.RESOLVED: Stage.NEEDS_RESPONSE,
}

#: Stages that the inbox's default views leave out.
HIDDEN_BY_DEFAULT = frozenset({Stage.SUSPENDED, Stage.ARCHIVED})

#: Stages the widget no longer shows to the customer.
HIDDEN_FROM_WIDGET = frozenset({Stage.ARCHIVED, Stage.SUSPENDED})


def parse(value: str) -> Stage:
    """Turn user input into a :class:`Stage` or raise a field error naming the valid stages."""
    try:
        return Stage(value)
    except ValueError:
        valid = ", ".join(s.value for s in Stage)
        raise ValidationError.field("stage", f"Unknown stage '{value}'; use one of: {valid}.") from None


def allowed_from(stage: Stage) -> list[Stage]:
    return list(TRANSITIONS[stage])


def check(from_stage: Stage, to_stage: Stage) -> None:
    """Raise :class:`IllegalTransition` unless the table has the edge ``from_stage -> to_stage``."""
    if to_stage not in TRANSITIONS[from_stage]:
        raise IllegalTransition(from_stage.value, to_stage.value, [s.value for s in TRANSITIONS[from_stage]])
