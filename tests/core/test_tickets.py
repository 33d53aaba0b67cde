"""Tickets: creation rules, the ticket stage machine, comments, and who sees which ticket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from core.db import commit, db
from core.errors import IllegalTransition, NotFound, ValidationError
from core.events import DomainEvent, domain_event
from core.models import Ticket
from core.people import create_account, create_contact, create_user
from core.portal_settings import update_settings
from core.tickets import (
    SEVERITIES,
    TICKET_TRANSITIONS,
    TRACKER_LABELS,
    TRACKERS,
    TicketStage,
    add_comment,
    change_ticket_stage,
    contact_can_see_ticket,
    create_ticket,
    list_tickets,
    tickets_for_contact,
    update_ticket,
    visible_comments,
)
from core.workspaces import create_workspace


@pytest.fixture
def published_events() -> Iterator[list[DomainEvent]]:
    received: list[DomainEvent] = []

    def receiver(sender: str, *, event: DomainEvent) -> None:
        received.append(event)

    domain_event.connect(receiver)
    yield received
    domain_event.disconnect(receiver)


@pytest.fixture
def people(workspace):
    """Two accounts of the workspace with their people, and a contact of another workspace."""
    owner = create_user(workspace, email="owner@acme.test", name="Owen Owner")
    globex = create_account(workspace, name="Globex", domains=["globex.test"], default_owner_id=owner.id)
    initech = create_account(workspace, name="Initech", domains=["initech.test"])
    other_ws = create_workspace(slug="umbrella", name="Umbrella")
    result = {
        "owner": owner,
        "globex": globex,
        "initech": initech,
        "reporter": create_contact(workspace, email="rita@globex.test", verified=True),
        "colleague": create_contact(workspace, email="colin@globex.test", verified=True),
        "globex_admin": create_contact(workspace, email="ada@globex.test", verified=True, is_customer_admin=True),
        "initech_admin": create_contact(workspace, email="ian@initech.test", verified=True, is_customer_admin=True),
        "unverified": create_contact(workspace, email="uma@globex.test", verified=False),
        "unverified_admin": create_contact(workspace, email="ulf@globex.test", verified=False, is_customer_admin=True),
        "other_ws": other_ws,
        "stranger": create_contact(other_ws, email="rita@globex.test", verified=True, is_customer_admin=True),
    }
    commit()
    return result


def test_trackers_and_severities():
    assert TRACKERS == ("no_code_change", "needs_code_change")
    assert TRACKER_LABELS == {"no_code_change": "Active Ticket Tracker", "needs_code_change": "Product Assist Tracker"}
    assert SEVERITIES == ("blocker", "high", "medium", "low")


def test_customer_creates_ticket(workspace, people, published_events):
    reporter = people["reporter"]
    ticket = create_ticket(workspace, title="  Export fails ", body="CSV is empty", created_by_contact=reporter)
    assert published_events == []  # nothing before commit
    commit()
    assert ticket.title == "Export fails"
    assert ticket.stage == "queued"
    assert ticket.tracker == "no_code_change"
    assert [c.id for c in ticket.reported_by] == [reporter.id]
    assert ticket.account_id == people["globex"].id
    assert ticket.owner_id == people["owner"].id  # the account's default owner
    assert [e.name for e in published_events] == ["ticket_created"]
    assert published_events[0].payload["ticket"]["reported_by"] == [reporter.id]


def test_customer_is_always_a_reporter(workspace, people):
    ticket = create_ticket(
        workspace, title="Slow", reported_by=[people["colleague"]], created_by_contact=people["globex_admin"]
    )
    assert {c.id for c in ticket.reported_by} == {people["colleague"].id, people["globex_admin"].id}


def test_account_defaults_to_first_reporter(workspace, people):
    agent_ticket = create_ticket(workspace, title="Called in", reported_by=[people["initech_admin"], people["reporter"]])
    assert agent_ticket.account_id == people["initech"].id


def test_field_errors_are_reported_together(workspace, people):
    with pytest.raises(ValidationError) as caught:
        create_ticket(workspace, title="", severity="urgent", tracker="kanban", reported_by=[people["stranger"]])
    assert set(caught.value.fields) == {"title", "severity", "tracker", "reported_by"}
    with pytest.raises(ValidationError) as caught:
        create_ticket(workspace, title="x" * 301)
    assert "title" in caught.value.fields


def test_customer_cannot_file_into_another_account(workspace, people):
    with pytest.raises(ValidationError) as caught:
        create_ticket(workspace, title="Hi", created_by_contact=people["reporter"], account_id=people["initech"].id)
    assert "account_id" in caught.value.fields


def test_account_and_owner_of_another_workspace_are_field_errors(workspace, people):
    other_owner = create_user(people["other_ws"], email="x@umbrella.test")
    other_account = create_account(people["other_ws"], name="Umbrella Corp")
    with pytest.raises(ValidationError) as caught:
        create_ticket(workspace, title="Hi", account_id=other_account.id, owner_id=other_owner.id)
    assert set(caught.value.fields) == {"account_id", "owner_id"}


def test_custom_fields_are_validated_on_create(workspace, people):
    update_settings(workspace, {"ticket_form": {"fields": [
        {"name": "env", "label": "Env", "type": "choice", "choices": ["cloud", "on_prem"], "required": True},
        {"name": "version", "label": "Version", "type": "text", "required": True,
         "show_when": {"field": "env", "equals": "on_prem"}},
    ]}})
    with pytest.raises(ValidationError) as caught:
        create_ticket(workspace, title="Hi", custom_fields={"env": "on_prem"})
    assert caught.value.fields == {"custom_fields.version": ["This field is required."]}
    ticket = create_ticket(workspace, title="Hi", custom_fields={"env": "cloud", "version": "dropped"})
    assert ticket.custom_fields == {"env": "cloud"}


# -- Stage machine ------------------------------------------------------------------------------

ALL_EDGES = [(a, b) for a in TicketStage for b in TicketStage if a != b]


def _ticket_in(workspace, stage: TicketStage) -> Ticket:
    ticket = create_ticket(workspace, title="Stage test")
    ticket.stage = stage.value  # set directly: this test is about the edge from `stage`, not how it got there
    db.session.flush()
    return ticket


@pytest.mark.parametrize(("from_stage", "to_stage"), ALL_EDGES, ids=[f"{a.value}->{b.value}" for a, b in ALL_EDGES])
def test_every_edge_follows_the_table(workspace, from_stage, to_stage):
    ticket = _ticket_in(workspace, from_stage)
    if to_stage in TICKET_TRANSITIONS[from_stage]:
        change_ticket_stage(workspace, ticket, to_stage.value)
        assert ticket.stage == to_stage.value
    else:
        with pytest.raises(IllegalTransition) as caught:
            change_ticket_stage(workspace, ticket, to_stage.value)
        assert "ticket cannot move" in str(caught.value)
        assert ticket.stage == from_stage.value


def test_reopen_and_unknown_stage(workspace):
    ticket = _ticket_in(workspace, TicketStage.RESOLVED)
    change_ticket_stage(workspace, ticket, "work_in_progress")
    assert ticket.stage == "work_in_progress"
    with pytest.raises(ValidationError) as caught:
        change_ticket_stage(workspace, ticket, "done")
    assert "stage" in caught.value.fields


def test_starting_work_assigns_unowned_ticket_and_emits(workspace, people, published_events):
    ticket = create_ticket(workspace, title="Unowned")
    commit()
    published_events.clear()
    change_ticket_stage(workspace, ticket, "work_in_progress", by_user=people["owner"])
    commit()
    assert ticket.owner_id == people["owner"].id
    assert [e.name for e in published_events] == ["ticket_updated"]
    assert published_events[0].payload["ticket"]["stage"] == "work_in_progress"


def test_update_ticket(workspace, people, published_events):
    ticket = create_ticket(workspace, title="Old")
    commit()
    published_events.clear()
    update_ticket(workspace, ticket, title="New", severity="blocker", tracker="needs_code_change", owner=people["owner"])
    commit()
    assert (ticket.title, ticket.severity, ticket.priority, ticket.tracker, ticket.owner_id) == (
        "New", "blocker", "p0", "needs_code_change", people["owner"].id,
    )
    assert [e.name for e in published_events] == ["ticket_updated"]
    published_events.clear()
    update_ticket(workspace, ticket, title="New")  # no change, no event
    commit()
    assert published_events == []
    with pytest.raises(ValidationError) as caught:
        update_ticket(workspace, ticket, severity="whenever", workspace_id=99)
    assert set(caught.value.fields) == {"severity", "workspace_id"}
    with pytest.raises(IllegalTransition):
        update_ticket(workspace, ticket, title="Changed", stage="in_development")
    assert ticket.title == "New"  # an illegal stage move changes nothing


# -- Comments -----------------------------------------------------------------------------------


def test_comments_author_kinds_and_visibility(workspace, people, published_events):
    ticket = create_ticket(workspace, title="T", created_by_contact=people["reporter"])
    agent = people["owner"]
    from_customer = add_comment(workspace, ticket, body="Any news?", author_contact=people["reporter"])
    internal = add_comment(workspace, ticket, body="Looks like bug 12", visibility="internal", author_user=agent)
    reply = add_comment(workspace, ticket, body="Working on it", author_user=agent, parent_id=from_customer.id)
    system = add_comment(workspace, ticket, body="Linked to PR", visibility="internal")
    commit()
    assert [c.author_kind for c in (from_customer, internal, reply, system)] == ["rev", "dev", "dev", "system"]
    assert reply.parent_id == from_customer.id
    assert visible_comments(ticket, for_customer=True) == [from_customer, reply]
    assert visible_comments(ticket, for_customer=False) == [from_customer, internal, reply, system]
    assert [e.name for e in published_events].count("comment_added") == 4
    last = published_events[-1].payload
    assert last["comment"]["id"] == system.id and last["ticket"]["id"] == ticket.id


def test_customer_cannot_write_internal_comments(workspace, people):
    ticket = create_ticket(workspace, title="T", created_by_contact=people["reporter"])
    with pytest.raises(ValidationError) as caught:
        add_comment(workspace, ticket, body="psst", visibility="internal", author_contact=people["reporter"])
    assert "visibility" in caught.value.fields


def test_customer_cannot_comment_on_a_ticket_they_cannot_see(workspace, people):
    ticket = create_ticket(workspace, title="T", created_by_contact=people["reporter"])
    with pytest.raises(NotFound):
        add_comment(workspace, ticket, body="hi", author_contact=people["initech_admin"])


def test_comment_validation(workspace, people):
    ticket = create_ticket(workspace, title="T")
    other = create_ticket(workspace, title="Other")
    foreign = add_comment(workspace, other, body="elsewhere")
    with pytest.raises(ValidationError) as caught:
        add_comment(workspace, ticket, body="  ", visibility="public", parent_id=foreign.id, author_kind="dev")
    assert set(caught.value.fields) == {"body", "visibility", "parent_id", "author_kind"}
    with pytest.raises(ValidationError):
        add_comment(workspace, ticket, body="x", parent_id="abc")


# -- Visibility matrix --------------------------------------------------------------------------

MATRIX = [
    ("reporter", True),
    ("colleague", False),  # same account, verified, but neither reporter nor customer admin
    ("globex_admin", True),  # customer admin of the ticket's account
    ("initech_admin", False),  # customer admin of another account
    ("unverified", False),
    ("unverified_admin", False),
    ("stranger", False),  # another workspace (same email, admin there)
]


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_visibility_matrix(workspace, people, who, sees):
    ticket = create_ticket(workspace, title="Globex ticket", created_by_contact=people["reporter"])
    commit()
    contact = people[who]
    assert contact_can_see_ticket(contact, ticket) is sees
    # The query form gives the same answer, whichever workspace it is asked about.
    for workspace_id in {workspace.id, contact.workspace_id}:
        visible = db.session.scalars(tickets_for_contact(workspace_id, contact)).all()
        assert (ticket in visible) is (sees and workspace_id == workspace.id)


def test_unverified_reporter_sees_nothing(workspace, people):
    ticket = create_ticket(workspace, title="T", reported_by=[people["unverified"]])
    assert not contact_can_see_ticket(people["unverified"], ticket)
    assert contact_can_see_ticket(None, ticket) is False
    assert db.session.scalars(tickets_for_contact(workspace.id, None)).all() == []


def test_admin_sees_account_tickets_not_others(workspace, people):
    mine = create_ticket(workspace, title="Mine", created_by_contact=people["colleague"])
    theirs = create_ticket(workspace, title="Theirs", created_by_contact=people["initech_admin"])
    no_account = create_ticket(workspace, title="Loose")
    commit()
    visible = db.session.scalars(tickets_for_contact(workspace.id, people["globex_admin"])).all()
    assert mine in visible and theirs not in visible and no_account not in visible


# -- Listing ------------------------------------------------------------------------------------


def test_list_tickets_filters_sorts_pages_and_is_scoped(workspace, people):
    a = create_ticket(workspace, title="Export broken", severity="low", created_by_contact=people["reporter"])
    b = create_ticket(workspace, title="Login loop", body="export button", severity="blocker", tracker="needs_code_change")
    c = create_ticket(workspace, title="100% CPU", severity="high")
    create_ticket(people["other_ws"], title="Export elsewhere")
    commit()
    rows, total = list_tickets(workspace.id)
    assert total == 3 and {t.id for t in rows} == {a.id, b.id, c.id}
    assert list_tickets(workspace.id, q="EXPORT", sort="id")[0] == [a, b]
    assert list_tickets(workspace.id, q="100%")[0] == [c]
    assert list_tickets(workspace.id, q="%")[0] == [c]  # % is literal, not a wildcard
    assert list_tickets(workspace.id, tracker="needs_code_change")[0] == [b]
    assert list_tickets(workspace.id, account_id=people["globex"].id)[0] == [a]
    assert list_tickets(workspace.id, sort="severity")[0] == [b, c, a]
    rows, total = list_tickets(workspace.id, sort="id", limit=2, offset=2)
    assert rows == [c] and total == 3
    assert list_tickets(workspace.id, stage="queued")[1] == 3
    with pytest.raises(ValidationError) as caught:
        list_tickets(workspace.id, stage="nope", tracker="x", sort="-color", limit=0, offset=-1)
    assert set(caught.value.fields) == {"stage", "tracker", "sort", "limit", "offset"}


def test_tickets_of_another_workspace_are_not_found(workspace, people):
    from core.tickets import get_ticket

    foreign = create_ticket(people["other_ws"], title="Theirs")
    commit()
    with pytest.raises(NotFound):
        get_ticket(workspace, foreign.id)
    with pytest.raises(NotFound):
        change_ticket_stage(workspace, foreign, "work_in_progress")
    assert db.session.scalar(select(Ticket.workspace_id).where(Ticket.id == foreign.id)) == people["other_ws"].id
