"""Tickets: create (custom fields checked by the workspace's ticket form), list, read, comment, move, edit."""

from __future__ import annotations

from typing import Any

from core import tickets as service
from core.db import commit
from core.models import Comment, Contact, Ticket, User, Workspace
from webapp.api.routing import api_route
from webapp.api.schemas.common import page, page_of
from webapp.api.schemas.tickets import (
    CommentCreateSchema,
    CommentSchema,
    TicketCreateSchema,
    TicketDetailSchema,
    TicketQuerySchema,
    TicketSchema,
    TicketStageRequestSchema,
    TicketUpdateSchema,
)
from webapp.api.views.common import ID, WS, referenced

ONE = f"{WS}/tickets/<{ID}:ticket_id>"


@api_route(f"{WS}/tickets", "POST", tag="tickets", body=TicketCreateSchema, response=TicketDetailSchema, status=201)
def create_ticket(*, workspace: Workspace, user: User, body: dict[str, Any]) -> Ticket:
    """Create a ticket as the token's agent.

    ``custom_fields`` are checked against the workspace's ticket form (errors on ``custom_fields.<name>``).
    """
    reporters = [referenced(Contact, workspace, contact_id, "reported_by") for contact_id in body.pop("reported_by")]
    ticket = service.create_ticket(workspace, reported_by=reporters, created_by_user=user, **body)
    commit()
    return ticket


@api_route(f"{WS}/tickets", "GET", tag="tickets", query=TicketQuerySchema, response=page_of(TicketSchema))
def list_tickets(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List tickets, newest first; filter by tracker, stage, account, owner or text."""
    filters = {k: query[k] for k in ("tracker", "stage", "account_id", "owner_id", "q") if k in query}
    rows, total = service.list_tickets(workspace.id, limit=query["limit"], offset=query["offset"], **filters)
    return page(rows, total, query)


@api_route(ONE, "GET", tag="tickets", response=TicketDetailSchema)
def get_ticket(*, workspace: Workspace, user: User, ticket_id: int) -> Ticket:
    """Read a ticket with all its comments (internal ones included)."""
    return service.get_ticket(workspace, ticket_id)


@api_route(ONE, "PATCH", tag="tickets", body=TicketUpdateSchema, response=TicketDetailSchema)
def update_ticket(*, workspace: Workspace, user: User, ticket_id: int, body: dict[str, Any]) -> Ticket:
    """Change a ticket's fields; ``custom_fields`` replaces all values; ``stage`` follows the stage table."""
    ticket = service.get_ticket(workspace, ticket_id)
    service.update_ticket(workspace, ticket, **body)
    commit()
    return ticket


@api_route(f"{ONE}/comments", "POST", tag="tickets", body=CommentCreateSchema, response=CommentSchema, status=201)
def add_comment(*, workspace: Workspace, user: User, ticket_id: int, body: dict[str, Any]) -> Comment:
    """Comment as the token's agent: ``external`` (customer-visible) or ``internal``; ``parent_id`` replies."""
    ticket = service.get_ticket(workspace, ticket_id)
    comment = service.add_comment(
        workspace, ticket, body=body["body"], visibility=body["visibility"], parent_id=body["parent_id"],
        author_user=user,
    )
    commit()
    return comment


@api_route(f"{ONE}/stage", "POST", tag="tickets", body=TicketStageRequestSchema, response=TicketSchema)
def change_ticket_stage(*, workspace: Workspace, user: User, ticket_id: int, body: dict[str, Any]) -> Ticket:
    """Move the ticket to another stage (409 for a move the ticket stage table does not allow)."""
    ticket = service.get_ticket(workspace, ticket_id)
    service.change_ticket_stage(workspace, ticket, body["stage"], by_user=user)
    commit()
    return ticket
