"""Shared test data for the portal's sign-in and ticket tests: two organisations, one contact of
each kind, their tickets, and a second workspace where the same person is a contact."""

from __future__ import annotations

from dataclasses import dataclass

from core.db import commit
from core.models import Account, Contact, Ticket, Workspace
from core.people import create_account, create_contact
from core.portal_settings import update_settings
from core.tickets import add_comment, create_ticket
from core.workspaces import create_workspace

#: A ticket form with a dependent field: "browser" is asked only when platform is "web".
TICKET_FORM = {
    "fields": [
        {"name": "platform", "label": "Platform", "type": "choice", "required": True, "choices": ["web", "ios", "android"]},
        {"name": "browser", "label": "Browser", "type": "choice", "required": True, "choices": ["chrome", "firefox"],
         "show_when": {"field": "platform", "equals": "web"}},
        {"name": "order_number", "label": "Order number", "type": "number"},
    ]
}


@dataclass
class People:
    workspace: Workspace
    globex: Account
    initech: Account
    reporter: Contact  # verified, Globex, reported `reported`
    colleague: Contact  # verified, Globex, reported nothing
    customer_admin: Contact  # verified customer admin of Globex
    outsider: Contact  # verified, Initech
    unverified: Contact  # Globex, not verified
    reported: Ticket  # Globex ticket reported by `reporter`
    colleague_ticket: Ticket  # Globex ticket reported by `colleague`
    initech_ticket: Ticket  # Initech ticket reported by `outsider`
    other_workspace: Workspace
    other_reporter: Contact  # the same email as `reporter`, verified, in `other_workspace`
    other_ticket: Ticket  # in `other_workspace`, reported by `other_reporter`


def build_people(workspace: Workspace, *, ticket_form: bool = True) -> People:
    if ticket_form:
        update_settings(workspace, {"ticket_form": TICKET_FORM})
    globex = create_account(workspace, name="Globex", domains=["globex.test"])
    initech = create_account(workspace, name="Initech", domains=["initech.test"])
    reporter = create_contact(workspace, email="rita@globex.test", name="Rita Reporter", verified=True)
    colleague = create_contact(workspace, email="carl@globex.test", name="Carl Colleague", verified=True)
    admin = create_contact(workspace, email="ada@globex.test", name="Ada Admin", verified=True, is_customer_admin=True)
    outsider = create_contact(workspace, email="otto@initech.test", name="Otto Outsider", verified=True)
    unverified = create_contact(workspace, email="una@globex.test", name="Una Unverified", verified=False)
    fields = {"platform": "ios"} if ticket_form else {}
    reported = create_ticket(workspace, title="Invoices fail to load", body="Since Monday.", severity="high",
                             created_by_contact=reporter, custom_fields=fields)
    add_comment(workspace, reported, body="Still broken today.", author_contact=reporter)
    add_comment(workspace, reported, body="Internal: looks like the cache.", visibility="internal")
    colleague_ticket = create_ticket(workspace, title="Add a second admin", created_by_contact=colleague, custom_fields=fields)
    initech_ticket = create_ticket(workspace, title="Initech cannot export", created_by_contact=outsider, custom_fields=fields)

    other = create_workspace(slug="umbrella", name="Umbrella")
    other_reporter = create_contact(other, email="rita@globex.test", name="Rita at Umbrella", verified=True)
    other_ticket = create_ticket(other, title="Umbrella ticket", created_by_contact=other_reporter)
    commit()
    return People(workspace, globex, initech, reporter, colleague, admin, outsider, unverified, reported,
                  colleague_ticket, initech_ticket, other, other_reporter, other_ticket)
