"""The two trackers for agents: ``/inbox/<slug>/tickets?tracker=...`` and ``/inbox/<slug>/tickets/<id>``.

``no_code_change`` is the Active Ticket Tracker, ``needs_code_change`` the Product Assist Tracker
(:data:`core.tickets.TRACKER_LABELS`). List filters: ``stage``, ``owner`` ("mine" or a user id),
``account``, ``q`` (title or body), ``sort``. The ticket
page shows every comment (internal ones styled apart) and offers only the legal stage changes
(:func:`core.tickets.allowed_stages_from`). External comments reach the customer's portal live
through the core's events (the live publisher sends them on the ticket's channel).
"""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request, url_for
from werkzeug.wrappers import Response

from sqlalchemy import select

from core.db import db, get_scoped
from core.errors import ValidationError
from core.models import Conversation, Ticket, Workspace
from core.tickets import (
    SEVERITIES,
    TICKET_STAGE_LABELS,
    TRACKER_LABELS,
    TRACKERS,
    TicketStage,
    add_comment,
    allowed_stages_from,
    change_ticket_stage,
    list_tickets,
    update_ticket,
)
from webapp.auth import login_required
from webapp.inbox.blueprint import blueprint
from webapp.inbox.common import accounts, agents, current_user, form_int, person_name, run_action

TICKET_SORTS: dict[str, tuple[str, str]] = {
    "newest": ("Newest first", "-created_at"),
    "updated": ("Recently updated", "-updated_at"),
    "severity": ("Most severe first", "severity"),
    "oldest": ("Oldest first", "created_at"),
}
PAGE_SIZE = 50
FILTER_NAMES = ("stage", "owner", "account", "q", "sort")


def _filters(args: Any, problems: dict[str, list[str]]) -> dict[str, Any]:
    """Query parameters -> :func:`core.tickets.list_tickets` arguments; wrong values go to ``problems``."""
    kwargs: dict[str, Any] = {}
    stage = (args.get("stage") or "").strip()
    if stage:
        if stage not in {s.value for s in TicketStage}:
            problems["stage"] = [f"Unknown stage '{stage}'."]
        kwargs["stage"] = stage
    owner = (args.get("owner") or "").strip()
    if owner == "mine":
        kwargs["owner_id"] = g.user.id
    elif owner:
        kwargs["owner_id"] = _int(owner, "owner", problems)
    account = (args.get("account") or "").strip()
    if account:
        kwargs["account_id"] = _int(account, "account", problems)
    q = (args.get("q") or "").strip()
    if q:
        kwargs["q"] = q
    sort = (args.get("sort") or "newest").strip()
    if sort not in TICKET_SORTS:
        problems["sort"] = [f"Unknown sort '{sort}'."]
        sort = "newest"
    kwargs["sort"] = TICKET_SORTS[sort][1]
    return kwargs


def _int(raw: str, name: str, problems: dict[str, list[str]]) -> int | None:
    try:
        return int(raw)
    except ValueError:
        problems[name] = [f"Unknown {name} '{raw}'."]
        return None


@blueprint.route("/tickets")
@login_required(role="agent")
def tickets(slug: str) -> str:
    workspace: Workspace = g.workspace
    problems: dict[str, list[str]] = {}
    tracker = (request.args.get("tracker") or "no_code_change").strip()
    if tracker not in TRACKERS:
        problems["tracker"] = [f"Unknown tracker '{tracker}'."]
        tracker = "no_code_change"
    kwargs = _filters(request.args, problems)
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    rows: list[Ticket] = []
    total = 0
    if not problems:
        try:
            rows, total = list_tickets(workspace.id, tracker=tracker, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **kwargs)
        except ValidationError as exc:
            problems.update(exc.fields or {"filters": [str(exc)]})
    counts = {t: list_tickets(workspace.id, tracker=t, limit=1)[1] for t in TRACKERS}
    kept = {name: request.args.get(name, "") for name in FILTER_NAMES}

    def link(**changes: Any) -> str:
        merged = {k: v for k, v in {**kept, "tracker": tracker, **changes}.items() if v not in (None, "")}
        return url_for("inbox.tickets", slug=workspace.slug, **merged)

    return render_template(
        "inbox/tickets.html",
        workspace=workspace,
        tracker=tracker,
        tracker_tabs=[{"tracker": t, "label": TRACKER_LABELS[t], "count": counts[t], "url": link(tracker=t, stage="", page="")} for t in TRACKERS],
        rows=rows,
        total=total,
        problems=problems,
        args=kept,
        page=page,
        previous_url=link(page=page - 1) if page > 1 else None,
        next_url=link(page=page + 1) if page * PAGE_SIZE < total else None,
        stages=[(s.value, label) for s, label in TICKET_STAGE_LABELS.items()],
        agents=agents(workspace),
        accounts=accounts(workspace),
        sort_choices={key: label for key, (label, _sort) in TICKET_SORTS.items()},
    )


def _ticket(workspace: Workspace, ticket_id: int) -> Ticket:
    return get_scoped(Ticket, workspace.id, ticket_id)


def _page_url(ticket: Ticket) -> str:
    return url_for("inbox.ticket", slug=g.workspace.slug, ticket_id=ticket.id)


def comment_author(comment: Any) -> str:
    if comment.author_contact is not None:
        return comment.author_contact.display_name
    if comment.author_user is not None:
        return person_name(comment.author_user)
    return "System"


@blueprint.route("/tickets/<int:ticket_id>")
@login_required(role="agent")
def ticket(slug: str, ticket_id: int) -> str:
    workspace: Workspace = g.workspace
    row = _ticket(workspace, ticket_id)
    waiting = list(db.session.scalars(
        select(Conversation).where(Conversation.workspace_id == workspace.id, Conversation.ticket_id == row.id)
    ))
    return render_template(
        "inbox/ticket.html",
        workspace=workspace,
        ticket=row,
        next_stages=[(s, TicketStage(s).label) for s in allowed_stages_from(row.stage)],
        agents=agents(workspace),
        trackers=TRACKERS,
        comment_author=comment_author,
        severities=SEVERITIES,
        conversations=waiting,
    )


@blueprint.route("/tickets/<int:ticket_id>/comments", methods=["POST"])
@login_required(role="agent")
def comment(slug: str, ticket_id: int) -> Response:
    """Form: ``body``, ``visibility`` "external" (the customer sees it) or "internal"."""
    row = _ticket(g.workspace, ticket_id)

    def act() -> str:
        visibility = request.form.get("visibility", "internal")
        add_comment(g.workspace, row, body=request.form.get("body", ""), visibility=visibility, author_user=current_user())
        return "Comment added (visible to the customer)." if visibility == "external" else "Internal comment added."

    return run_action(act, _page_url(row))


@blueprint.route("/tickets/<int:ticket_id>/stage", methods=["POST"])
@login_required(role="agent")
def ticket_stage(slug: str, ticket_id: int) -> Response:
    row = _ticket(g.workspace, ticket_id)

    def act() -> str:
        change_ticket_stage(g.workspace, row, request.form.get("stage", ""), by_user=current_user())
        return f"Moved to {TicketStage(row.stage).label}."

    return run_action(act, _page_url(row))


@blueprint.route("/tickets/<int:ticket_id>/tracker", methods=["POST"])
@login_required(role="agent")
def ticket_tracker(slug: str, ticket_id: int) -> Response:
    row = _ticket(g.workspace, ticket_id)

    def act() -> str:
        update_ticket(g.workspace, row, tracker=request.form.get("tracker", ""))
        return f"Moved to the {TRACKER_LABELS[row.tracker]}."

    return run_action(act, _page_url(row))


@blueprint.route("/tickets/<int:ticket_id>/assign", methods=["POST"])
@login_required(role="agent")
def ticket_assign(slug: str, ticket_id: int) -> Response:
    row = _ticket(g.workspace, ticket_id)

    def act() -> str:
        update_ticket(g.workspace, row, owner_id=form_int("owner_id", required=False))
        return "Owner changed."

    return run_action(act, _page_url(row))


@blueprint.route("/tickets/<int:ticket_id>/severity", methods=["POST"])
@login_required(role="agent")
def ticket_severity(slug: str, ticket_id: int) -> Response:
    row = _ticket(g.workspace, ticket_id)

    def act() -> str:
        update_ticket(g.workspace, row, severity=request.form.get("severity", ""))
        return "Severity changed."

    return run_action(act, _page_url(row))
