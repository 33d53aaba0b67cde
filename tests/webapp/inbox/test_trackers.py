"""The two trackers and the agents' ticket page: filters, comments, legal moves, trackers, owners."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from core.db import commit, db
from core.live import messages_for, ticket_channel
from core.models import Ticket
from core.ticket_stages import allowed_stages_from
from core.tickets import change_ticket_stage, create_ticket


def ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-ticket-id="(\d+)"', response.get_data(as_text=True))]


def fresh(ticket: Ticket) -> Ticket:
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id)


@pytest.fixture
def tickets(desk):
    made = {
        "bug": create_ticket(desk.workspace, title="Crash on export", tracker="needs_code_change", severity="blocker",
                             account_id=desk.account.id, reported_by=[desk.customer]),
        "question": create_ticket(desk.workspace, title="How to invite users", tracker="no_code_change", severity="low"),
        "billing": create_ticket(desk.workspace, title="Invoice copy", tracker="no_code_change", account_id=desk.account.id),
    }
    change_ticket_stage(desk.workspace, made["billing"], "work_in_progress", by_user=desk.agent)
    commit()
    return made


def test_the_trackers_list_their_own_tickets(agent_client, desk, tickets):
    active = agent_client.get("/inbox/acme/tickets?tracker=no_code_change")
    assert active.status_code == 200
    assert set(ids(active)) == {tickets["question"].id, tickets["billing"].id}
    assert "Active Ticket Tracker" in active.get_data(as_text=True)
    assist = agent_client.get("/inbox/acme/tickets?tracker=needs_code_change")
    assert ids(assist) == [tickets["bug"].id]
    html = assist.get_data(as_text=True)
    assert "Product Assist Tracker" in html and "Acme Customer Co" in html and "Blocker" in html
    assert ids(agent_client.get("/inbox/acme/tickets")) == ids(active)  # the default tracker


def test_tracker_filters(agent_client, desk, tickets):
    base = "/inbox/acme/tickets?tracker=no_code_change"
    assert ids(agent_client.get(base + "&stage=work_in_progress")) == [tickets["billing"].id]
    assert ids(agent_client.get(base + "&owner=mine")) == [tickets["billing"].id]  # started by the agent: owner
    assert ids(agent_client.get(base + f"&account={desk.account.id}")) == [tickets["billing"].id]
    assert ids(agent_client.get(base + "&q=invite")) == [tickets["question"].id]
    assert ids(agent_client.get(base + "&sort=oldest")) == [tickets["question"].id, tickets["billing"].id]


def test_bad_tracker_filters_are_messages(agent_client, desk, tickets):
    response = agent_client.get("/inbox/acme/tickets?tracker=nope&stage=limbo&owner=x&sort=up")
    assert response.status_code == 200
    html = html_lib.unescape(response.get_data(as_text=True))
    assert "Unknown tracker 'nope'" in html and "Unknown stage 'limbo'" in html
    assert ids(response) == []


def test_the_ticket_page_offers_the_legal_stages_only(agent_client, desk, tickets):
    for ticket in tickets.values():
        html = agent_client.get(f"/inbox/acme/tickets/{ticket.id}").get_data(as_text=True)
        assert set(re.findall(r'data-ticket-transition="([a-z_]+)"', html)) == set(allowed_stages_from(ticket.stage))


def test_comments_internal_and_external(agent_client, desk, tickets):
    ticket = tickets["bug"]
    url = f"/inbox/acme/tickets/{ticket.id}"
    agent_client.post(url + "/comments", data={"visibility": "external", "body": "We are looking into it"})
    agent_client.post(url + "/comments", data={"visibility": "internal", "body": "Stack trace in Sentry"})
    comments = fresh(ticket).comments
    assert [(c.body, c.visibility, c.author_user_id) for c in comments] == [
        ("We are looking into it", "external", desk.agent.id),
        ("Stack trace in Sentry", "internal", desk.agent.id),
    ]
    html = agent_client.get(url).get_data(as_text=True)
    internal = re.search(rf'<li class="([^"]*)" data-comment-id="{comments[1].id}"', html).group(1)
    external = re.search(rf'<li class="([^"]*)" data-comment-id="{comments[0].id}"', html).group(1)
    assert "internal" in internal.split() and "internal" not in external.split()
    response = agent_client.post(url + "/comments", data={"visibility": "internal", "body": ""}, follow_redirects=True)
    assert "A comment cannot be empty." in response.get_data(as_text=True)


def test_an_external_comment_goes_to_the_customers_ticket_channel_and_an_internal_one_to_agents_only(desk, tickets):
    from core.events import DomainEvent
    from core.snapshots import comment_info, ticket_info
    from core.tickets import add_comment
    from hooks.types import to_payload

    ticket = tickets["bug"]
    for visibility, audience in (("external", "all"), ("internal", "agents")):
        comment = add_comment(desk.workspace, ticket, body="hello", visibility=visibility, author_user=desk.agent)
        event = DomainEvent(name="comment_added", workspace_id=desk.workspace.id, payload={
            "ticket": to_payload(ticket_info(ticket)), "comment": to_payload(comment_info(comment))})
        on_ticket = [m for m in messages_for(event) if m.channel == ticket_channel(desk.workspace.id, ticket.id)]
        assert [m.audience for m in on_ticket] == [audience]


def test_stage_changes_and_an_illegal_one(agent_client, desk, tickets):
    ticket = tickets["question"]
    url = f"/inbox/acme/tickets/{ticket.id}"
    agent_client.post(url + "/stage", data={"stage": "work_in_progress"})
    assert fresh(ticket).stage == "work_in_progress"
    response = agent_client.post(url + "/stage", data={"stage": "in_development"}, follow_redirects=True)
    assert "A ticket cannot move from 'work_in_progress' to 'in_development'" in html_lib.unescape(response.get_data(as_text=True))
    assert fresh(ticket).stage == "work_in_progress"


def test_move_between_trackers_reassign_and_severity(agent_client, desk, other_desk, tickets):
    ticket = tickets["question"]
    url = f"/inbox/acme/tickets/{ticket.id}"
    agent_client.post(url + "/tracker", data={"tracker": "needs_code_change"})
    assert fresh(ticket).tracker == "needs_code_change"
    response = agent_client.post(url + "/tracker", data={"tracker": "somewhere"}, follow_redirects=True)
    assert "Use one of" in response.get_data(as_text=True)
    agent_client.post(url + "/assign", data={"owner_id": str(desk.admin.id)})
    assert fresh(ticket).owner_id == desk.admin.id
    response = agent_client.post(url + "/assign", data={"owner_id": str(other_desk.agent.id)}, follow_redirects=True)
    assert "No such user in this workspace." in response.get_data(as_text=True)
    assert fresh(ticket).owner_id == desk.admin.id
    agent_client.post(url + "/severity", data={"severity": "high"})
    assert fresh(ticket).severity == "high"


TICKET_ROUTES = [
    ("GET", "/inbox/acme/tickets/{id}", None),
    ("POST", "/inbox/acme/tickets/{id}/comments", {"visibility": "external", "body": "hi"}),
    ("POST", "/inbox/acme/tickets/{id}/stage", {"stage": "work_in_progress"}),
    ("POST", "/inbox/acme/tickets/{id}/tracker", {"tracker": "needs_code_change"}),
    ("POST", "/inbox/acme/tickets/{id}/assign", {"owner_id": ""}),
    ("POST", "/inbox/acme/tickets/{id}/severity", {"severity": "low"}),
    ("GET", "/inbox/acme/events?ticket={id}", None),
]


@pytest.mark.parametrize(("method", "route", "form"), TICKET_ROUTES)
def test_another_workspaces_ticket_is_404_on_every_route(agent_client, desk, other_desk, method, route, form):
    theirs = create_ticket(other_desk.workspace, title="Globex secret ticket", tracker="no_code_change")
    commit()
    response = agent_client.open(route.format(id=theirs.id), method=method, data=form)
    assert response.status_code == 404
    theirs = fresh(theirs)
    assert (theirs.stage, theirs.tracker, theirs.comments, theirs.severity) == ("queued", "no_code_change", [], "medium")
    listing = agent_client.get("/inbox/acme/tickets?tracker=no_code_change").get_data(as_text=True)
    assert "Globex secret ticket" not in listing


@pytest.mark.parametrize("url", ["/inbox/acme/tickets", "/inbox/acme/tickets/1", "/inbox/acme/reports", "/inbox/acme/events"])
def test_tracker_and_report_pages_need_an_agent(client, desk, sign_in, url):
    assert client.get(url).status_code == 302
    sign_in(client, desk.workspace, contact=desk.customer)
    response = client.get(url)
    assert response.status_code == 302 and "/inbox/acme/login" in response.headers["Location"]
