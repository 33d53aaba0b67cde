"""The ticket stage machine: one transition table (:data:`TICKET_TRANSITIONS`), enforced in
:func:`core.tickets.change_ticket_stage` through :func:`check`.

Re-exported by :mod:`core.tickets`, which is where callers import it from.
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import IllegalTransition, ValidationError


class TicketStage(StrEnum):
    QUEUED = "queued"
    WORK_IN_PROGRESS = "work_in_progress"
    AWAITING_CUSTOMER_RESPONSE = "awaiting_customer_response"
    AWAITING_PRODUCT_ASSIST = "awaiting_product_assist"
    AWAITING_DEVELOPMENT = "awaiting_development"
    IN_DEVELOPMENT = "in_development"
    RESOLVED = "resolved"
    CANCELED = "canceled"

    @property
    def label(self) -> str:
        return TICKET_STAGE_LABELS[self]


TICKET_STAGE_LABELS: dict[TicketStage, str] = {
    TicketStage.QUEUED: "Queued",
    TicketStage.WORK_IN_PROGRESS: "Work in progress",
    TicketStage.AWAITING_CUSTOMER_RESPONSE: "Awaiting customer response",
    TicketStage.AWAITING_PRODUCT_ASSIST: "Awaiting product assist",
    TicketStage.AWAITING_DEVELOPMENT: "Awaiting development",
    TicketStage.IN_DEVELOPMENT: "In development",
    TicketStage.RESOLVED: "Resolved",
    TicketStage.CANCELED: "Canceled",
}

S = TicketStage
#: The whole ticket machine: from-stage -> {to-stage: why this edge exists}. Nothing else moves a ticket.
TICKET_TRANSITIONS: dict[TicketStage, dict[TicketStage, str]] = {
    S.QUEUED: {
        S.WORK_IN_PROGRESS: "an agent starts on it",
        S.AWAITING_CUSTOMER_RESPONSE: "more information needed before work starts",
        S.RESOLVED: "answered straight away",
        S.CANCELED: "duplicate or not a real issue",
    },
    S.WORK_IN_PROGRESS: {
        S.AWAITING_CUSTOMER_RESPONSE: "asked the customer",
        S.AWAITING_PRODUCT_ASSIST: "needs the product team's help",
        S.AWAITING_DEVELOPMENT: "needs a code change",
        S.RESOLVED: "fixed or answered",
        S.CANCELED: "no longer needed",
    },
    S.AWAITING_CUSTOMER_RESPONSE: {
        S.WORK_IN_PROGRESS: "the customer answered",
        S.RESOLVED: "resolved without more input",
        S.CANCELED: "the customer went away",
    },
    S.AWAITING_PRODUCT_ASSIST: {
        S.WORK_IN_PROGRESS: "the product team answered",
        S.AWAITING_DEVELOPMENT: "the product team asks for a code change",
        S.RESOLVED: "resolved by the product team",
        S.CANCELED: "no longer needed",
    },
    S.AWAITING_DEVELOPMENT: {
        S.IN_DEVELOPMENT: "development started",
        S.WORK_IN_PROGRESS: "a workaround was found",
        S.CANCELED: "won't fix",
    },
    S.IN_DEVELOPMENT: {
        S.RESOLVED: "the fix shipped",
        S.WORK_IN_PROGRESS: "back to support",
    },
    S.RESOLVED: {
        S.WORK_IN_PROGRESS: "reopened",
    },
    S.CANCELED: {},
}
del S


class IllegalTicketTransition(IllegalTransition):
    """A ticket stage change that :data:`TICKET_TRANSITIONS` does not allow."""

    def __init__(self, from_stage: str, to_stage: str, allowed: list[str]) -> None:
        super().__init__(from_stage, to_stage, allowed)
        allowed_text = ", ".join(allowed) if allowed else "none"
        self.args = (
            f"A ticket cannot move from '{from_stage}' to '{to_stage}'; "
            f"from '{from_stage}' it can move to: {allowed_text}.",
        )


def parse_stage(value: str) -> TicketStage:
    """User input -> :class:`TicketStage`, or a field error naming the valid stages."""
    try:
        return TicketStage(value)
    except ValueError:
        valid = ", ".join(s.value for s in TicketStage)
        raise ValidationError.field("stage", f"Unknown ticket stage '{value}'; use one of: {valid}.") from None


def allowed_stages_from(stage: str) -> list[str]:
    return [s.value for s in TICKET_TRANSITIONS[parse_stage(stage)]]


def check(from_stage: TicketStage, to_stage: TicketStage) -> None:
    """Raise :class:`IllegalTicketTransition` unless the table has the edge ``from_stage -> to_stage``."""
    if to_stage not in TICKET_TRANSITIONS[from_stage]:
        raise IllegalTicketTransition(
            from_stage.value, to_stage.value, [s.value for s in TICKET_TRANSITIONS[from_stage]]
        )
