"""One conversation for agents: ``/inbox/<slug>/conversations/<id>`` and its form actions.

The page offers exactly the stage transitions :func:`core.stages.allowed_from` lists for the
current stage (each offered control carries ``data-transition="<stage>"``); the actions still go
through :mod:`core.conversations`, which enforces the table, so an illegal POST comes back as an
error message on the page. A conversation of another workspace is 404 on every route.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, render_template, request, url_for
from werkzeug.wrappers import Response

from core import conversations as service
from core.conversations import PRIORITIES
from core.db import get_scoped
from core.errors import ValidationError
from core.models import Conversation, Message, StageChange, Ticket, Workspace
from core.stages import TRANSITIONS, Stage, allowed_from, parse
from core.tickets import SEVERITIES, TRACKERS, create_ticket, list_tickets
from webapp.auth import login_required
from webapp.inbox.blueprint import blueprint
from webapp.inbox.common import (
    agents,
    conversation_heading,
    current_user,
    form_int,
    person_name,
    run_action,
    tag_choices,
)

#: (from, to) -> the button's words. Edges not named read "Move to <stage>".
TRANSITION_LABELS: dict[tuple[Stage, Stage], str] = {
    (Stage.NEW, Stage.WAITING_ON_USER): "Mark waiting on user",
    (Stage.NEW, Stage.SUSPENDED): "Mark as spam",
    (Stage.SUSPENDED, Stage.NEW): "Not spam",
    (Stage.SUSPENDED, Stage.ARCHIVED): "Confirm spam",
    (Stage.WAITING_ON_USER, Stage.NEEDS_RESPONSE): "Mark needs response",
    (Stage.NEEDS_RESPONSE, Stage.WAITING_ON_USER): "Mark waiting on user",
    (Stage.NEEDS_RESPONSE, Stage.HOLD): "Escalate to Hold",
    (Stage.NEEDS_RESPONSE, Stage.RESOLVED): "Resolve",
    (Stage.HOLD, Stage.NEEDS_RESPONSE): "Dependencies done: needs response",
    (Stage.HOLD, Stage.WAITING_ON_USER): "Mark waiting on user",
    (Stage.RESOLVED, Stage.NEEDS_RESPONSE): "Reopen",
    (Stage.RESOLVED, Stage.ARCHIVED): "Archive",
}
#: Targets that have their own form (with more fields) instead of a plain button.
OWN_FORMS = frozenset({Stage.HOLD, Stage.RESOLVED})


@dataclass(frozen=True)
class Transition:
    to: str
    label: str
    why: str
    danger: bool


def transitions_from(stage: Stage) -> list[Transition]:
    """The transitions the page offers from ``stage``: all of :func:`allowed_from`, nothing else."""
    offered = []
    for target in allowed_from(stage):
        label = TRANSITION_LABELS.get((stage, target), f"Move to {target.label}")
        danger = target in (Stage.SUSPENDED, Stage.ARCHIVED)
        offered.append(Transition(target.value, label, TRANSITIONS[stage][target], danger))
    return offered


def _conversation(workspace: Workspace, conversation_id: int) -> Conversation:
    return get_scoped(Conversation, workspace.id, conversation_id)


def _page_url(conversation: Conversation) -> str:
    return url_for("inbox.conversation", slug=g.workspace.slug, conversation_id=conversation.id)


def author_name(message: Message) -> str:
    if message.author_kind == "system":
        return "System"
    if message.author_contact is not None:
        return message.author_contact.display_name
    if message.author_user is not None:
        return person_name(message.author_user)
    return "Customer" if message.author_kind == "rev" else "Agent"


def change_by(change: StageChange, agent_names: dict[int, str]) -> str:
    """Who made a stage change, in words (``agent_names``: user id -> name)."""
    if change.by_snapin:
        return f"snap-in {change.by_snapin}"
    if change.by_user_id is not None:
        return agent_names.get(change.by_user_id) or "an agent"
    if change.by_contact_id is not None:
        contact = change.conversation.contact
        return contact.display_name if contact is not None and contact.id == change.by_contact_id else "the customer"
    return {"rev": "the customer", "dev": "an agent", "system": "the system"}.get(change.by_kind, change.by_kind)


def spam_reason(conversation: Conversation) -> str | None:
    """Why the conversation is suspended (the last change into Suspended), when it is."""
    if conversation.stage != Stage.SUSPENDED:
        return None
    for change in reversed(conversation.stage_changes):
        if change.to_stage == Stage.SUSPENDED:
            who = f"{change.by_snapin}: " if change.by_snapin else ""
            return f"{who}{change.reason or 'judged spam'}"
    return "judged spam"


@blueprint.route("/conversations/<int:conversation_id>")
@login_required(role="agent")
def conversation(slug: str, conversation_id: int) -> str:
    workspace: Workspace = g.workspace
    row = _conversation(workspace, conversation_id)
    stage = Stage(row.stage)
    offered = transitions_from(stage)
    tickets: list[Any] = []
    if any(t.to == Stage.HOLD for t in offered):
        tickets, _total = list_tickets(workspace.id, sort="-updated_at", limit=100)
    team = agents(workspace)
    agent_names = {u.id: person_name(u) for u in team}
    return render_template(
        "inbox/conversation.html",
        workspace=workspace,
        conversation=row,
        heading=conversation_heading(row),
        stage=stage,
        transitions=[t for t in offered if Stage(t.to) not in (Stage.HOLD, Stage.RESOLVED)],
        can_escalate=any(t.to == Stage.HOLD for t in offered),
        can_resolve=any(t.to == Stage.RESOLVED for t in offered),
        author_name=author_name,
        change_by=lambda change: change_by(change, agent_names),
        spam_reason=spam_reason(row),
        agents=team,
        agent_names=agent_names,
        priorities=PRIORITIES,
        tag_choices=tag_choices(),
        tickets=tickets,
        trackers=TRACKERS,
        severities=SEVERITIES,
        linked_ticket=get_scoped(Ticket, workspace.id, row.ticket_id) if row.ticket_id else None,
    )


@blueprint.route("/conversations/<int:conversation_id>/messages", methods=["POST"])
@login_required(role="agent")
def post_message(slug: str, conversation_id: int) -> Response:
    """Form: ``body``, ``kind`` "reply" (public; moves the stage per the rules) or "note" (internal)."""
    row = _conversation(g.workspace, conversation_id)
    kind = request.form.get("kind", "reply")

    def act() -> str:
        if kind not in ("reply", "note"):
            raise ValidationError.field("kind", "Choose a reply or an internal note.")
        service.post_message(
            g.workspace, row, body=request.form.get("body", ""), author_user=current_user(), internal=kind == "note"
        )
        return "Internal note added." if kind == "note" else "Reply sent."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/stage", methods=["POST"])
@login_required(role="agent")
def change_stage(slug: str, conversation_id: int) -> Response:
    """Form: ``to`` (a stage value). Illegal edges come back as the core's sentence."""
    row = _conversation(g.workspace, conversation_id)

    def act() -> str:
        target = parse(request.form.get("to", ""))
        service.change_stage(g.workspace, row, target, by_kind="dev", by_user=current_user(), reason="changed by an agent")
        return f"Moved to {target.label}."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/resolve", methods=["POST"])
@login_required(role="agent")
def resolve(slug: str, conversation_id: int) -> Response:
    """Form: optional ``resolution`` (tagged "Resolution: <value>"), then Needs response -> Resolved."""
    row = _conversation(g.workspace, conversation_id)

    def act() -> str:
        resolution = (request.form.get("resolution") or "").strip()
        if resolution:
            service.set_tag(g.workspace, row, "resolution", resolution)
        service.change_stage(g.workspace, row, Stage.RESOLVED, by_kind="dev", by_user=current_user(), reason="verified resolved")
        return "Resolved."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/escalate", methods=["POST"])
@login_required(role="agent")
def escalate(slug: str, conversation_id: int) -> Response:
    """Form: ``ticket_id`` (an existing ticket) or ``new_title`` (+ ``tracker``, ``severity``) to create one."""
    workspace: Workspace = g.workspace
    row = _conversation(workspace, conversation_id)

    def act() -> str:
        ticket_id = form_int("ticket_id", required=False)
        title = (request.form.get("new_title") or "").strip()
        if ticket_id is None and not title:
            raise ValidationError.field("ticket_id", "Pick a ticket or give the new ticket a title.")
        if ticket_id is None:
            first = next((m for m in row.messages if not m.internal), None)
            ticket = create_ticket(
                workspace,
                title=title,
                body=f"Escalated from conversation #{row.id}." + (f"\n\n{first.body}" if first is not None else ""),
                reported_by=[row.contact] if row.contact is not None else [],
                account_id=row.account_id,
                tracker=request.form.get("tracker", "no_code_change"),
                severity=request.form.get("severity", "medium"),
                created_by_user=current_user(),
            )
            ticket_id = ticket.id
        service.escalate(workspace, row, ticket_id=ticket_id, by_user=current_user())
        return f"Escalated: on Hold until ticket #{ticket_id} is done."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/assign", methods=["POST"])
@login_required(role="agent")
def assign(slug: str, conversation_id: int) -> Response:
    """Form: ``owner_id`` (a user of this workspace; empty unassigns)."""
    row = _conversation(g.workspace, conversation_id)

    def act() -> str:
        owner_id = form_int("owner_id", required=False)
        service.assign(g.workspace, row, owner_id, by_user=current_user(), reason=request.form.get("reason", ""))
        return "Owner changed."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/priority", methods=["POST"])
@login_required(role="agent")
def priority(slug: str, conversation_id: int) -> Response:
    row = _conversation(g.workspace, conversation_id)

    def act() -> str:
        service.set_priority(g.workspace, row, request.form.get("priority", ""))
        return "Priority changed."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/tags", methods=["POST"])
@login_required(role="agent")
def add_tag(slug: str, conversation_id: int) -> Response:
    """Form: ``tag`` and, for valued tags such as resolution, ``value``."""
    row = _conversation(g.workspace, conversation_id)

    def act() -> str:
        service.set_tag(g.workspace, row, request.form.get("tag", ""), request.form.get("value") or None)
        return "Tag added."

    return run_action(act, _page_url(row))


@blueprint.route("/conversations/<int:conversation_id>/tags/remove", methods=["POST"])
@login_required(role="agent")
def remove_tag(slug: str, conversation_id: int) -> Response:
    row = _conversation(g.workspace, conversation_id)

    def act() -> str:
        service.remove_tag(g.workspace, row, request.form.get("tag", ""))
        return "Tag removed."

    return run_action(act, _page_url(row))
