"""Tickets on the customer portal: list, "+ Ticket" form, ticket page with its conversation, live updates.

Routes (blueprint ``portal``, under ``/<slug>``):

- ``GET /tickets`` (``portal.tickets``): the viewer's tickets; ``stage``, ``severity``, ``q``,
  ``sort`` (newest, oldest, updated, severity, title) and ``page`` in the query string.
- ``GET/POST /tickets/new`` (``portal.ticket_new``): title, description, severity, custom fields.
- ``GET /tickets/<id>`` (``portal.ticket``), ``POST /tickets/<id>/comments`` (``portal.ticket_comment``),
  ``GET /tickets/<id>/comments/<comment_id>`` (``portal.ticket_comment_json``, one comment as JSON for
  the live script), ``GET /tickets/<id>/events`` (``portal.ticket_events``, server-sent events).

Who sees what is :func:`core.tickets.tickets_for_contact` / :func:`core.tickets.contact_can_see_ticket`
(a verified reporter; a verified customer admin for the whole account). The portal settings decide
the rest: tickets off -> every route shows "Tickets are turned off"; tickets private -> anonymous
visitors go to sign-in; tickets public -> the list opens without sign-in, creating still needs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from flask import abort, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from core.db import commit, db, get_scoped
from core.errors import NotFound, ValidationError
from core.identity import company_name
from core.live import LiveMessage, ticket_channel
from core.models import Comment, Ticket
from core.ticket_form import active_fields, form_fields
from core.tickets import (
    SEVERITIES,
    TICKET_STAGE_LABELS,
    TicketStage,
    add_comment,
    contact_can_see_ticket,
    create_ticket,
    tickets_for_contact,
    visible_comments,
)
from webapp.live import event_stream
from webapp.portal import blueprint, feature_enabled

PER_PAGE = 20
#: Sort keys of the list -> (label, columns).
SORTS: dict[str, Any] = {
    "newest": (Ticket.created_at.desc(), Ticket.id.desc()),
    "oldest": (Ticket.created_at.asc(), Ticket.id.asc()),
    "updated": (Ticket.updated_at.desc(), Ticket.id.desc()),
    "title": (func.lower(Ticket.title).asc(), Ticket.id.desc()),
}
#: Form field name prefix of custom fields (``custom.<name>``).
CUSTOM_PREFIX = "custom."


def tickets_available() -> bool:
    """Whether the current portal has tickets switched on."""
    return feature_enabled("tickets")


def _stage_label(stage: str) -> str:
    try:
        return _(TICKET_STAGE_LABELS[TicketStage(stage)])
    except ValueError:
        return stage


def _severity_labels() -> dict[str, str]:
    return {"blocker": _("Blocker"), "high": _("High"), "medium": _("Medium"), "low": _("Low")}


def _notice(title: str, message: str, status: int, *, sign_in: bool = False, hint: str | None = None) -> tuple[str, int]:
    """A page explaining why something is not available (never a bare error page)."""
    return render_template(
        "portal/tickets/notice.html", title=title, message=message, hint=hint, sign_in=sign_in,
        next_url=request.full_path.rstrip("?") if request.method == "GET" else url_for("portal.tickets"),
    ), status


def _sign_in_redirect() -> Response:
    here = request.full_path.rstrip("?") if request.method == "GET" else url_for("portal.tickets")
    return redirect(url_for("portal.login", next=here))


def _gate(*, anonymous_may_list: bool = False) -> Any:
    """The response that stops this request, or None to go on with ``g.contact`` (verified) set.

    ``anonymous_may_list``: the list page of a public portal opens without sign-in.
    """
    if not tickets_available():
        return _notice(
            _("Tickets are turned off"),
            _("Tickets are turned off for this portal."),
            404,
            hint=_("The support team of %(company)s has not enabled tickets here. Search the help articles, or contact "
                   "the support team another way.", company=company_name(g.workspace)),
        )
    contact = g.get("contact")
    if contact is None:
        if g.viewer.kind == "agent":
            return _notice(
                _("Signed in as an agent"),
                _("You are signed in as an agent. Agents work on tickets in the inbox; the portal shows a customer's tickets."),
                403,
            )
        if anonymous_may_list and feature_enabled("tickets_public"):
            return None
        return _sign_in_redirect()
    if not contact.verified:
        return _notice(
            _("Your email address is not verified"),
            _("Only verified users can see and create tickets. Ask the support team of %(company)s to verify %(email)s.",
              company=company_name(g.workspace), email=contact.email or ""),
            403,
        )
    return None


# -- The list ------------------------------------------------------------------------------------------


@dataclass
class TicketFilters:
    """The list's query string, cleaned (unknown values fall back to "all" / the default)."""

    stage: str = ""
    severity: str = ""
    q: str = ""
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> "TicketFilters":
        stage = args.get("stage", "")
        severity = args.get("severity", "")
        sort = args.get("sort", "newest")
        try:
            page = max(1, min(int(args.get("page", 1)), 10_000))
        except (TypeError, ValueError):
            page = 1
        return cls(
            stage=stage if stage in {s.value for s in TicketStage} else "",
            severity=severity if severity in SEVERITIES else "",
            q=(args.get("q") or "").strip()[:200],
            sort=sort if sort in SORTS or sort == "severity" else "newest",
            page=page,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string values for a link that keeps these filters (minus empty ones)."""
        values = {"stage": self.stage, "severity": self.severity, "q": self.q, "sort": self.sort, "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)
                and not (k == "sort" and v == "newest")}


def _filtered(query: Any, filters: TicketFilters) -> Any:
    if filters.stage:
        query = query.where(Ticket.stage == filters.stage)
    if filters.severity:
        query = query.where(Ticket.severity == filters.severity)
    if filters.q:
        pattern = "%" + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(Ticket.title).like(pattern, escape="\\"),
                                func.lower(Ticket.body).like(pattern, escape="\\")))
    if filters.sort == "severity":
        from sqlalchemy import case

        rank = case({s: i for i, s in enumerate(SEVERITIES)}, value=Ticket.severity, else_=len(SEVERITIES))
        order = (rank.asc(), Ticket.created_at.desc(), Ticket.id.desc())
    else:
        order = SORTS[filters.sort]
    return query.order_by(None).order_by(*order)


@blueprint.route("/tickets", endpoint="tickets")
def ticket_list() -> Any:
    stop = _gate(anonymous_may_list=True)
    if stop is not None:
        return stop
    contact = g.get("contact")
    filters = TicketFilters.from_args(request.args)
    query = _filtered(tickets_for_contact(g.workspace.id, contact), filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    filters.page = min(filters.page, pages)
    tickets = list(db.session.scalars(query.limit(PER_PAGE).offset((filters.page - 1) * PER_PAGE)))
    return render_template(
        "portal/tickets/list.html",
        tickets=tickets,
        total=total,
        pages=pages,
        filters=filters,
        stages=[(s.value, _stage_label(s.value)) for s in TicketStage],
        severities=_severity_labels(),
        stage_label=_stage_label,
        scope_note=_scope_note(contact),
        any_tickets=total > 0 or bool(filters.args(page=1, sort="newest")),
    )


def _scope_note(contact: Any) -> str | None:
    """Which tickets the list holds, and why (customer admins see the whole organisation's)."""
    if contact is None:
        return None
    account = contact.account
    if account is None:
        return _("You see tickets you reported.")
    if contact.is_customer_admin:
        return _("You are a customer admin: you see all of %(account)s's tickets.", account=account.name)
    return _("You see tickets you reported. Your organisation's customer admins see all of %(account)s's tickets.",
             account=account.name)


# -- Creating ---------------------------------------------------------------------------------------------


def submitted_custom_fields(form: Any) -> dict[str, str]:
    """``custom.<name>`` form values -> {name: value}, empty values left out."""
    values: dict[str, str] = {}
    for key in form:
        if key.startswith(CUSTOM_PREFIX):
            value = form.get(key, "")
            if value.strip():
                values[key[len(CUSTOM_PREFIX):]] = value
    return values


@dataclass
class FormState:
    values: dict[str, str] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str | None = None


def _new_ticket_page(state: FormState, status: int = 200) -> tuple[str, int]:
    definitions = form_fields(g.workspace)
    active = {f["name"] for f in active_fields(g.workspace, state.custom)}
    return render_template(
        "portal/tickets/new.html",
        state=state,
        custom_fields=definitions,
        active=active,
        severities=_severity_labels(),
    ), status


@blueprint.route("/tickets/new", methods=["GET", "POST"], endpoint="ticket_new")
def ticket_new() -> Any:
    stop = _gate()
    if stop is not None:
        return stop
    if request.method == "GET":
        return _new_ticket_page(FormState(values={"severity": "medium"}))
    values = {name: request.form.get(name, "") for name in ("title", "body", "severity")}
    custom = submitted_custom_fields(request.form)
    try:
        ticket = create_ticket(
            g.workspace,
            title=values["title"],
            body=values["body"],
            severity=values["severity"] or "medium",
            custom_fields=custom,
            created_by_contact=g.contact,
        )
    except ValidationError as exc:
        db.session.rollback()
        errors = {key.removeprefix("custom_fields."): messages for key, messages in exc.fields.items()}
        return _new_ticket_page(FormState(values, custom, errors, _("Check the fields marked below.")), 422)
    commit()
    return redirect(url_for("portal.ticket", ticket_id=ticket.id))


# -- The ticket page --------------------------------------------------------------------------------------


@dataclass
class Thread:
    """A comment and its replies (oldest reply first)."""

    comment: Comment
    replies: list["Thread"]


def comment_threads(comments: list[Comment]) -> list[Thread]:
    """Top-level comments newest first, each with its replies in the order they were written.

    A reply whose parent is not among ``comments`` (e.g. an internal note) is shown at top level.
    """
    by_id = {c.id: Thread(c, []) for c in comments}
    roots: list[Thread] = []
    for comment in sorted(comments, key=lambda c: (c.created_at, c.id)):
        thread = by_id[comment.id]
        parent = by_id.get(comment.parent_id) if comment.parent_id is not None else None
        (parent.replies if parent is not None else roots).append(thread)
    roots.reverse()
    return roots


def author_name(comment: Comment) -> str:
    if comment.author_contact is not None:
        return comment.author_contact.display_name
    if comment.author_user is not None:
        return comment.author_user.name or _("Support team")
    return _("System")


def _viewable_ticket(ticket_id: int) -> Any:
    """(ticket, None) when the signed-in contact may see it, else (None, response)."""
    stop = _gate()
    if stop is not None:
        return None, stop
    contact = g.contact
    try:
        ticket = get_scoped(Ticket, g.workspace.id, ticket_id)
    except NotFound:
        ticket = None
    if ticket is not None and contact_can_see_ticket(contact, ticket):
        return ticket, None
    if ticket is not None and contact.account_id is not None and ticket.account_id == contact.account_id:
        return None, _notice(
            _("You can't see this ticket"),
            _("You can't see this ticket: it was reported by someone else. Ask your organisation's customer admin, "
              "or the person who reported it, to add you."),
            403,
        )
    # Another organisation's ticket reads exactly like a missing one: its existence is not revealed.
    return None, _notice(
        _("Ticket not found"),
        _("There is no ticket %(number)s that you can see. Check the link, or open your tickets list.", number=ticket_id),
        404,
    )


def _ticket_page(ticket: Ticket, *, error: str | None = None, draft: str = "", parent_id: int | None = None,
                 status: int = 200) -> tuple[str, int]:
    comments = visible_comments(ticket, for_customer=True)
    definitions = {f["name"]: f for f in form_fields(g.workspace)}
    custom = [(definitions.get(name, {}).get("label") or name, _field_text(value))
              for name, value in (ticket.custom_fields or {}).items()]
    return render_template(
        "portal/tickets/show.html",
        ticket=ticket,
        threads=comment_threads(comments),
        comment_count=len(comments),
        custom=custom,
        stage_label=_stage_label,
        stage_labels={s.value: _stage_label(s.value) for s in TicketStage},
        severities=_severity_labels(),
        author_name=author_name,
        error=error,
        draft=draft,
        draft_parent_id=parent_id,
    ), status


def _field_text(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


@blueprint.route("/tickets/<int:ticket_id>", endpoint="ticket")
def ticket_page(ticket_id: int) -> Any:
    ticket, stop = _viewable_ticket(ticket_id)
    if stop is not None:
        return stop
    return _ticket_page(ticket)


@blueprint.route("/tickets/<int:ticket_id>/comments", methods=["POST"], endpoint="ticket_comment")
def ticket_comment(ticket_id: int) -> Any:
    ticket, stop = _viewable_ticket(ticket_id)
    if stop is not None:
        return stop
    body = request.form.get("body", "")
    raw_parent = request.form.get("parent_id") or None
    try:
        parent_id = int(raw_parent) if raw_parent is not None else None
        comment = add_comment(g.workspace, ticket, body=body, parent_id=parent_id, author_contact=g.contact)
    except (ValueError, ValidationError) as exc:
        db.session.rollback()
        messages = exc.fields if isinstance(exc, ValidationError) else {"parent_id": [_("Reply to a comment of this ticket.")]}
        text = " ".join(m for msgs in messages.values() for m in msgs) or str(exc)
        ticket = get_scoped(Ticket, g.workspace.id, ticket_id)
        return _ticket_page(ticket, error=text, draft=body, status=422)
    commit()
    return redirect(url_for("portal.ticket", ticket_id=ticket_id, _anchor=f"comment-{comment.id}"))


@blueprint.route("/tickets/<int:ticket_id>/comments/<int:comment_id>", endpoint="ticket_comment_json")
def ticket_comment_json(ticket_id: int, comment_id: int) -> Any:
    """One customer-visible comment as JSON (what the live script shows when a comment arrives)."""
    ticket, stop = _viewable_ticket(ticket_id)
    if stop is not None:
        abort(404)
    comment = next((c for c in visible_comments(ticket, for_customer=True) if c.id == comment_id), None)
    if comment is None:
        abort(404, description=_("Comment not found."))
    return jsonify({
        "id": comment.id,
        "parent_id": comment.parent_id,
        "body": comment.body,
        "author": author_name(comment),
        "author_kind": comment.author_kind,
        "created_at": comment.created_at.isoformat(),
        "created_label": comment.created_at.strftime("%Y-%m-%d %H:%M UTC"),
    })


@blueprint.route("/tickets/<int:ticket_id>/events", endpoint="ticket_events")
def ticket_events(ticket_id: int) -> Any:
    """Server-sent events of one ticket, for viewers who may see it (customers never get internal ones)."""
    ticket, stop = _viewable_ticket(ticket_id)
    if stop is not None:
        return stop
    channel = ticket_channel(g.workspace.id, ticket.id)
    # The stream stays open for minutes: end the read transaction now rather than hold it.
    db.session.rollback()
    return event_stream([channel], agent=False, project=customer_view)


def customer_view(message: LiveMessage) -> dict[str, Any] | None:
    """What a customer's page needs of a ticket event: ids and the stage (the page fetches the
    comment itself, through the visibility rules); nothing else of the agents' payload leaves."""
    ticket = message.data.get("ticket") or {}
    data: dict[str, Any] = {"ticket": {"id": ticket.get("id"), "stage": ticket.get("stage")}}
    comment = message.data.get("comment")
    if comment is not None:
        if comment.get("visibility") != "external":
            return None
        data["comment"] = {"id": comment.get("id")}
    return data
