"""Tickets and their comments: creation, the ticket stage machine, and who may see what.

Two trackers hold tickets: the Active Ticket Tracker (``no_code_change``) and the Product Assist
Tracker (``needs_code_change``). The ticket stage machine is data (:data:`TICKET_TRANSITIONS`),
enforced only in :func:`change_ticket_stage`. :func:`contact_can_see_ticket` and
:func:`tickets_for_contact` are THE visibility rule for customers (portal and API use them).

Services flush and emit events; the caller commits with :func:`core.db.commit`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, case, false, func, or_, select

from core import events
from core.db import db, get_scoped, utcnow
from core.errors import NotFound, ValidationError
from core.models import Account, Comment, Contact, Ticket, User, Workspace, ticket_reporters
from core.snapshots import comment_info, ticket_info
from core.ticket_form import validate_custom_fields
from core.ticket_stages import (
    TICKET_STAGE_LABELS,
    TICKET_TRANSITIONS,
    IllegalTicketTransition,
    TicketStage,
    allowed_stages_from,
    check,
    parse_stage,
)
from hooks.types import to_payload

TRACKERS = ("no_code_change", "needs_code_change")
TRACKER_LABELS: dict[str, str] = {
    "no_code_change": "Active Ticket Tracker",
    "needs_code_change": "Product Assist Tracker",
}
#: Most to least urgent.
SEVERITIES = ("blocker", "high", "medium", "low")
#: The priority a ticket gets from its severity (same scale as conversations).
SEVERITY_PRIORITY: dict[str, str] = {"blocker": "p0", "high": "p1", "medium": "p2", "low": "p3"}
VISIBILITIES = ("external", "internal")
AUTHOR_KINDS = ("rev", "dev", "system")
MAX_TITLE = 300
MAX_CATEGORY = 100
MAX_COMMENT = 50_000

__all__ = [
    "SEVERITIES", "TICKET_STAGE_LABELS", "TICKET_TRANSITIONS", "TRACKERS", "TRACKER_LABELS",
    "IllegalTicketTransition", "TicketStage", "add_comment", "allowed_stages_from", "change_ticket_stage",
    "contact_can_see_ticket", "create_ticket", "get_ticket", "list_tickets", "parse_stage",
    "tickets_for_contact", "update_ticket", "visible_comments",
]


# -- Creating and changing tickets --------------------------------------------------------------


def get_ticket(workspace: Workspace, ticket_id: int | str | None) -> Ticket:
    return get_scoped(Ticket, workspace.id, ticket_id)  # type: ignore[arg-type]


def _clean_title(title: Any, errors: dict[str, list[str]]) -> str:
    text = title.strip() if isinstance(title, str) else ""
    if not text:
        errors["title"] = ["A ticket needs a title."]
    elif len(text) > MAX_TITLE:
        errors["title"] = [f"Use at most {MAX_TITLE} characters."]
    return text


def _check_choice(name: str, value: Any, allowed: Sequence[str], errors: dict[str, list[str]]) -> None:
    if value not in allowed:
        errors[name] = [f"Use one of: {', '.join(allowed)}."]


def _clean_category(category: Any, errors: dict[str, list[str]]) -> str | None:
    if category is None:
        return None
    if not isinstance(category, str) or len(category.strip()) > MAX_CATEGORY:
        errors["category"] = [f"Use text of at most {MAX_CATEGORY} characters."]
        return None
    return category.strip() or None


def _scoped_or_error(model: type, workspace_id: int, object_id: Any, name: str, errors: dict[str, list[str]]) -> Any:
    try:
        return get_scoped(model, workspace_id, object_id)
    except NotFound:
        errors[name] = [f"No such {model.__name__.lower()} in this workspace."]
        return None


def create_ticket(
    workspace: Workspace,
    *,
    title: str,
    body: str = "",
    reported_by: Sequence[Contact] = (),
    account_id: int | None = None,
    severity: str = "medium",
    category: str | None = None,
    tracker: str = "no_code_change",
    custom_fields: Mapping[str, Any] | None = None,
    created_by_contact: Contact | None = None,
    created_by_user: User | None = None,
    owner_id: int | None = None,
) -> Ticket:
    """Create a ticket in stage ``queued`` and emit ``ticket_created``.

    A customer (``created_by_contact``) is always among the reporters and files the ticket for
    their own account. The account defaults to the creator's account, else the first reporter's;
    the owner defaults to that account's default owner. Every reporter must belong to the
    workspace. All field errors are reported together in one :class:`ValidationError`.
    """
    errors: dict[str, list[str]] = {}
    title = _clean_title(title, errors)
    if not isinstance(body, str):
        errors["body"] = ["Enter text."]
        body = ""
    _check_choice("severity", severity, SEVERITIES, errors)
    _check_choice("tracker", tracker, TRACKERS, errors)
    category = _clean_category(category, errors)

    reporters: list[Contact] = []
    for contact in [created_by_contact, *reported_by]:
        if contact is None or any(c.id == contact.id for c in reporters):
            continue
        if contact.workspace_id != workspace.id:
            errors["reported_by"] = ["Every reporter must be a contact of this workspace."]
            continue
        reporters.append(contact)
    if created_by_user is not None and created_by_user.workspace_id != workspace.id:
        errors["created_by_user"] = ["No such user in this workspace."]

    account: Account | None = None
    if created_by_contact is not None and created_by_contact.workspace_id == workspace.id:
        # A customer cannot file a ticket into someone else's account (its admins would see it).
        if account_id is not None and account_id != created_by_contact.account_id:
            errors["account_id"] = ["You can only report tickets for your own organisation."]
        account_id = created_by_contact.account_id
    elif account_id is None and reporters:
        account_id = reporters[0].account_id
    if account_id is not None:
        account = _scoped_or_error(Account, workspace.id, account_id, "account_id", errors)

    if owner_id is not None:
        _scoped_or_error(User, workspace.id, owner_id, "owner_id", errors)
    elif account is not None:
        owner_id = account.default_owner_id

    cleaned_fields: dict[str, Any] = {}
    try:
        cleaned_fields = validate_custom_fields(workspace, custom_fields or {})
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError("The ticket is not valid.", errors)

    ticket = Ticket(
        workspace_id=workspace.id,
        title=title,
        body=body,
        account_id=account.id if account is not None else None,
        severity=severity,
        priority=SEVERITY_PRIORITY[severity],
        category=category,
        stage=TicketStage.QUEUED.value,
        tracker=tracker,
        owner_id=owner_id,
        custom_fields=cleaned_fields,
        created_by_contact_id=created_by_contact.id if created_by_contact is not None else None,
        created_by_user_id=created_by_user.id if created_by_user is not None else None,
    )
    ticket.reported_by = reporters
    db.session.add(ticket)
    db.session.flush()
    events.emit(db.session, "ticket_created", workspace.id, {"ticket": to_payload(ticket_info(ticket))})
    return ticket


def change_ticket_stage(workspace: Workspace, ticket: Ticket, stage: str, *, by_user: User | None = None) -> Ticket:
    """Move ``ticket`` to ``stage`` if :data:`TICKET_TRANSITIONS` has that edge; emit ``ticket_updated``.

    Moving to the current stage changes nothing. An agent (``by_user``) who starts work on an
    unowned ticket becomes its owner. Raises :class:`IllegalTicketTransition` otherwise.
    """
    _check_workspace(workspace, ticket)
    target = parse_stage(stage)
    current = TicketStage(ticket.stage)
    if target == current:
        return ticket
    check(current, target)
    if by_user is not None and by_user.workspace_id != workspace.id:
        raise NotFound("User not found.")
    ticket.stage = target.value
    if target == TicketStage.WORK_IN_PROGRESS and ticket.owner_id is None and by_user is not None:
        ticket.owner_id = by_user.id
    ticket.updated_at = utcnow()
    db.session.flush()
    events.emit(db.session, "ticket_updated", workspace.id, {"ticket": to_payload(ticket_info(ticket))})
    return ticket


#: What :func:`update_ticket` may change.
UPDATABLE = ("title", "body", "severity", "tracker", "category", "owner_id", "owner", "custom_fields", "stage")


def update_ticket(workspace: Workspace, ticket: Ticket, **changes: Any) -> Ticket:
    """Change fields of a ticket (those in :data:`UPDATABLE`) and emit ``ticket_updated`` if any changed.

    ``owner`` takes a User (or None), ``owner_id`` an id (or None); ``custom_fields`` replaces
    the values as a whole after validation; ``stage`` goes through :func:`change_ticket_stage`.
    """
    _check_workspace(workspace, ticket)
    errors: dict[str, list[str]] = {}
    for name in changes:
        if name not in UPDATABLE:
            errors[name] = [f"This field cannot be changed; use: {', '.join(UPDATABLE)}."]
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = _clean_title(changes["title"], errors)
    if "body" in changes:
        if not isinstance(changes["body"], str):
            errors["body"] = ["Enter text."]
        values["body"] = changes["body"]
    for name, allowed in (("severity", SEVERITIES), ("tracker", TRACKERS)):
        if name in changes:
            _check_choice(name, changes[name], allowed, errors)
            values[name] = changes[name]
    if "category" in changes:
        values["category"] = _clean_category(changes["category"], errors)
    if "owner" in changes:
        owner = changes["owner"]
        if owner is not None and (not isinstance(owner, User) or owner.workspace_id != workspace.id):
            errors["owner"] = ["No such user in this workspace."]
        values["owner_id"] = owner.id if isinstance(owner, User) else None
    if "owner_id" in changes:
        owner = None
        if changes["owner_id"] is not None:
            owner = _scoped_or_error(User, workspace.id, changes["owner_id"], "owner_id", errors)
        values["owner_id"] = owner.id if owner is not None else None
    if "custom_fields" in changes:
        try:
            values["custom_fields"] = validate_custom_fields(workspace, changes["custom_fields"] or {})
        except ValidationError as exc:
            errors.update(exc.fields)
    target: TicketStage | None = None
    if "stage" in changes:
        # Checked before anything changes, so an illegal move leaves the ticket as it was.
        target = parse_stage(changes["stage"])
        current = TicketStage(ticket.stage)
        if target == current:
            target = None
        else:
            check(current, target)
    if errors:
        raise ValidationError("The ticket is not valid.", errors)

    changed = False
    for name, value in values.items():
        if getattr(ticket, name) != value:
            setattr(ticket, name, value)
            changed = True
    if "severity" in values:
        ticket.priority = SEVERITY_PRIORITY[ticket.severity]
    if target is not None:
        # change_ticket_stage emits the event; its snapshot covers the other changes made just above.
        return change_ticket_stage(workspace, ticket, target.value)
    if changed:
        ticket.updated_at = utcnow()
        db.session.flush()
        events.emit(db.session, "ticket_updated", workspace.id, {"ticket": to_payload(ticket_info(ticket))})
    return ticket


def _check_workspace(workspace: Workspace, ticket: Ticket) -> None:
    if ticket.workspace_id != workspace.id:
        raise NotFound("Ticket not found.")


# -- Comments -----------------------------------------------------------------------------------


def add_comment(
    workspace: Workspace,
    ticket: Ticket,
    *,
    body: str,
    visibility: str = "external",
    parent_id: int | None = None,
    author_contact: Contact | None = None,
    author_user: User | None = None,
    author_kind: str | None = None,
) -> Comment:
    """Add a comment (a reply when ``parent_id`` is set) and emit ``comment_added``.

    The author kind is ``rev`` for a contact, ``dev`` for a user, ``system`` for neither; a given
    ``author_kind`` must agree. Customers write external comments only, and only on tickets they
    can see (:func:`contact_can_see_ticket`); a parent must be a comment of the same ticket.
    """
    _check_workspace(workspace, ticket)
    errors: dict[str, list[str]] = {}
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        errors["body"] = ["A comment cannot be empty."]
    elif len(text) > MAX_COMMENT:
        errors["body"] = [f"Use at most {MAX_COMMENT} characters."]
    _check_choice("visibility", visibility, VISIBILITIES, errors)

    if author_contact is not None and author_user is not None:
        raise ValueError("a comment has one author: a contact or a user, not both")
    inferred = "rev" if author_contact is not None else "dev" if author_user is not None else "system"
    if author_kind is not None and author_kind != inferred:
        errors["author_kind"] = [f"This comment's author is of kind '{inferred}'."]
    for author in (author_contact, author_user):
        if author is not None and author.workspace_id != workspace.id:
            raise NotFound("Author not found.")
    if author_contact is not None:
        if not contact_can_see_ticket(author_contact, ticket):
            raise NotFound("Ticket not found.")  # the customer may not even learn it exists
        if visibility == "internal":
            errors["visibility"] = ["Customers can only write external comments."]

    if parent_id is not None:
        parent = db.session.scalar(
            select(Comment).where(Comment.workspace_id == workspace.id, Comment.id == _as_int(parent_id))
        )
        hidden = parent is not None and author_contact is not None and parent.visibility != "external"
        if parent is None or parent.ticket_id != ticket.id or hidden:
            errors["parent_id"] = ["Reply to a comment of this ticket."]
    if errors:
        raise ValidationError("The comment is not valid.", errors)

    comment = Comment(
        workspace_id=workspace.id,
        ticket_id=ticket.id,
        parent_id=parent_id,
        author_kind=inferred,
        author_user_id=author_user.id if author_user is not None else None,
        author_contact_id=author_contact.id if author_contact is not None else None,
        body=text,
        visibility=visibility,
    )
    ticket.comments.append(comment)
    ticket.updated_at = utcnow()
    db.session.flush()
    events.emit(
        db.session,
        "comment_added",
        workspace.id,
        {"ticket": to_payload(ticket_info(ticket)), "comment": to_payload(comment_info(comment))},
    )
    return comment


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def visible_comments(ticket: Ticket, *, for_customer: bool) -> list[Comment]:
    """The ticket's comments in order; customers see external ones only."""
    return [c for c in ticket.comments if not for_customer or c.visibility == "external"]


# -- Who sees which ticket ----------------------------------------------------------------------


def contact_can_see_ticket(contact: Contact | None, ticket: Ticket) -> bool:
    """THE rule: a verified contact sees tickets they report; a verified customer admin sees all of
    their account's tickets; nobody sees another account's or another workspace's tickets."""
    if contact is None or not contact.verified or contact.workspace_id != ticket.workspace_id:
        return False
    if any(reporter.id == contact.id for reporter in ticket.reported_by):
        return True
    return bool(contact.is_customer_admin and contact.account_id is not None and ticket.account_id == contact.account_id)


def tickets_for_contact(workspace_id: int, contact: Contact | None) -> Select[tuple[Ticket]]:
    """:func:`contact_can_see_ticket` as a query, newest first (callers may re-order or page it)."""
    query = select(Ticket).where(Ticket.workspace_id == workspace_id)
    if contact is None or not contact.verified or contact.workspace_id != workspace_id:
        return query.where(false())
    reported = Ticket.id.in_(select(ticket_reporters.c.ticket_id).where(ticket_reporters.c.contact_id == contact.id))
    if contact.is_customer_admin and contact.account_id is not None:
        query = query.where(or_(reported, Ticket.account_id == contact.account_id))
    else:
        query = query.where(reported)
    return query.order_by(Ticket.created_at.desc(), Ticket.id.desc())


# -- Listing for agents -------------------------------------------------------------------------

_SEVERITY_RANK = case({s: i for i, s in enumerate(SEVERITIES)}, value=Ticket.severity, else_=len(SEVERITIES))
_SORTS = {
    "created_at": Ticket.created_at,
    "updated_at": Ticket.updated_at,
    "title": Ticket.title,
    "severity": _SEVERITY_RANK,
    "id": Ticket.id,
}
MAX_LIMIT = 200


def list_tickets(
    workspace_id: int,
    *,
    tracker: str | None = None,
    stage: str | None = None,
    account_id: int | None = None,
    owner_id: int | None = None,
    q: str | None = None,
    sort: str = "-created_at",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Ticket], int]:
    """A page of the workspace's tickets and the total matching count.

    ``q`` matches title or body (case-insensitive substring); ``sort`` is one of
    created_at, updated_at, title, severity, id, with a leading ``-`` for descending.
    """
    errors: dict[str, list[str]] = {}
    query = select(Ticket).where(Ticket.workspace_id == workspace_id)
    if tracker is not None:
        _check_choice("tracker", tracker, TRACKERS, errors)
        query = query.where(Ticket.tracker == tracker)
    if stage is not None:
        try:
            query = query.where(Ticket.stage == parse_stage(stage).value)
        except ValidationError as exc:
            errors.update(exc.fields)
    if account_id is not None:
        query = query.where(Ticket.account_id == account_id)
    if owner_id is not None:
        query = query.where(Ticket.owner_id == owner_id)
    if q and q.strip():
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(func.lower(Ticket.title).like(pattern, escape="\\"), func.lower(Ticket.body).like(pattern, escape="\\"))
        )
    descending = sort.startswith("-")
    column = _SORTS.get(sort.lstrip("-"))
    if column is None:
        errors["sort"] = [f"Sort by one of: {', '.join(_SORTS)} (prefix - for descending)."]
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = [f"Use a limit between 1 and {MAX_LIMIT}."]
    if not isinstance(offset, int) or offset < 0:
        errors["offset"] = ["Use an offset of 0 or more."]
    if errors:
        raise ValidationError("The ticket list query is not valid.", errors)

    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    order = [column.desc() if descending else column.asc(), Ticket.id.desc() if descending else Ticket.id.asc()]
    rows = db.session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return list(rows), int(total)
