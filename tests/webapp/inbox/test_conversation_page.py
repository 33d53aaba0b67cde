"""One conversation: messages, legal moves only, replies vs notes, escalation, spam, owner, tags."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from core.db import db
from core.models import Conversation, Message, Ticket
from core.stages import Stage, allowed_from
from core.tickets import create_ticket


def page_text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def offered_transitions(response) -> set[str]:
    actions = re.search(r'id="conversation-actions".*?</section>', response.get_data(as_text=True), re.S).group(0)
    return set(re.findall(r'data-transition="([a-z_]+)"', actions))


def fresh(conversation: Conversation) -> Conversation:
    db.session.expire_all()
    return db.session.get(Conversation, conversation.id)


@pytest.mark.parametrize("stage", list(Stage))
def test_the_page_offers_exactly_the_legal_transitions(agent_client, desk, stage):
    conversation = desk.in_stage(stage)
    response = agent_client.get(f"/inbox/acme/conversations/{conversation.id}")
    assert response.status_code == 200
    assert offered_transitions(response) == {s.value for s in allowed_from(stage)}


def test_an_illegal_transition_posted_anyway_comes_back_as_a_message(agent_client, desk):
    conversation = desk.start()
    response = agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/stage", data={"to": "resolved"}, follow_redirects=True
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "A conversation cannot move from 'new' to 'resolved'" in text
    assert "it can move to: waiting_on_user, suspended" in text
    assert fresh(conversation).stage == Stage.NEW


def test_an_unknown_stage_is_a_message_too(agent_client, desk):
    conversation = desk.start()
    response = agent_client.post(f"/inbox/acme/conversations/{conversation.id}/stage", data={"to": "limbo"}, follow_redirects=True)
    assert response.status_code == 200 and "Unknown stage 'limbo'" in page_text(response)


def test_a_reply_is_public_and_moves_new_to_waiting_on_user(agent_client, desk):
    conversation = desk.start()
    response = agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/messages", data={"kind": "reply", "body": "Fixed it for you"}
    )
    assert response.status_code == 303
    conversation = fresh(conversation)
    last = conversation.messages[-1]
    assert (last.body, last.internal, last.author_user_id) == ("Fixed it for you", False, desk.agent.id)
    assert conversation.stage == Stage.WAITING_ON_USER
    assert conversation.first_response_at is not None


def test_an_internal_note_is_styled_apart_and_moves_nothing(agent_client, desk):
    conversation = desk.start()
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/messages", data={"kind": "note", "body": "Customer is on the old plan"})
    conversation = fresh(conversation)
    note = conversation.messages[-1]
    assert note.internal is True
    assert conversation.stage == Stage.NEW
    html = agent_client.get(f"/inbox/acme/conversations/{conversation.id}").get_data(as_text=True)
    item = re.search(rf'<li class="([^"]*)" data-message-id="{note.id}">.*?</li>', html, re.S)
    assert "internal" in item.group(1).split()
    assert "Internal note" in item.group(0)


def test_an_empty_reply_is_refused_with_a_message(agent_client, desk):
    conversation = desk.start()
    response = agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/messages", data={"kind": "reply", "body": "  "}, follow_redirects=True
    )
    assert "Write a message." in page_text(response)
    assert len(fresh(conversation).messages) == 2  # the first message and the routing note


def test_resolve_with_a_resolution_tag(agent_client, desk):
    conversation = desk.in_stage(Stage.NEEDS_RESPONSE)
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/resolve", data={"resolution": "fixed"})
    conversation = fresh(conversation)
    assert conversation.stage == Stage.RESOLVED
    assert {t.tag: t.value for t in conversation.tags} == {"resolution": "fixed"}
    assert "Resolution: fixed" in agent_client.get(f"/inbox/acme/conversations/{conversation.id}").get_data(as_text=True)


def test_resolving_from_new_is_refused_and_the_tag_is_not_kept(agent_client, desk):
    conversation = desk.start()
    response = agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/resolve", data={"resolution": "fixed"}, follow_redirects=True
    )
    assert "cannot move from 'new' to 'resolved'" in page_text(response)
    conversation = fresh(conversation)
    assert conversation.stage == Stage.NEW and conversation.tags == []


def test_archive_a_resolved_conversation(agent_client, desk):
    conversation = desk.in_stage(Stage.RESOLVED)
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/stage", data={"to": "archived"})
    assert fresh(conversation).stage == Stage.ARCHIVED


def test_escalate_to_an_existing_ticket(agent_client, desk):
    conversation = desk.in_stage(Stage.NEEDS_RESPONSE)
    ticket = create_ticket(desk.workspace, title="Export bug", tracker="needs_code_change")
    db.session.commit()
    page = agent_client.get(f"/inbox/acme/conversations/{conversation.id}").get_data(as_text=True)
    assert f'<option value="{ticket.id}">#{ticket.id} Export bug' in page
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/escalate", data={"ticket_id": str(ticket.id)})
    conversation = fresh(conversation)
    assert conversation.stage == Stage.HOLD
    assert conversation.ticket_id == ticket.id
    assert "escalated" in {t.tag for t in conversation.tags}
    shown = agent_client.get(f"/inbox/acme/conversations/{conversation.id}").get_data(as_text=True)
    assert f"Ticket #{ticket.id} Export bug" in shown


def test_escalate_by_creating_a_ticket_in_a_tracker(agent_client, desk):
    conversation = desk.in_stage(Stage.NEEDS_RESPONSE, body="The PDF export crashes")
    agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/escalate",
        data={"ticket_id": "", "new_title": "PDF export crash", "tracker": "needs_code_change", "severity": "high"},
    )
    conversation = fresh(conversation)
    assert conversation.stage == Stage.HOLD
    ticket = db.session.get(Ticket, conversation.ticket_id)
    assert ticket.title == "PDF export crash" and ticket.tracker == "needs_code_change" and ticket.severity == "high"
    assert [c.id for c in ticket.reported_by] == [desk.customer.id]
    assert ticket.account_id == desk.account.id


def test_escalate_needs_a_ticket_and_a_ticket_of_this_workspace(agent_client, desk, other_desk):
    conversation = desk.in_stage(Stage.NEEDS_RESPONSE)
    response = agent_client.post(f"/inbox/acme/conversations/{conversation.id}/escalate", data={}, follow_redirects=True)
    assert "Pick a ticket or give the new ticket a title." in page_text(response)
    foreign = create_ticket(other_desk.workspace, title="Globex ticket")
    db.session.commit()
    response = agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/escalate", data={"ticket_id": str(foreign.id)}, follow_redirects=True
    )
    assert response.status_code == 200 and "not found" in page_text(response)
    assert fresh(conversation).stage == Stage.NEEDS_RESPONSE


def test_suspended_shows_the_spam_reason_and_not_spam_routes_it(agent_client, desk):
    from core import conversations

    conversation = desk.start()
    conversations.assign(desk.workspace, conversation, None)
    conversations.change_stage(desk.workspace, conversation, Stage.SUSPENDED, by_kind="snapin", by_snapin="spam-suspension", reason="too many links")
    db.session.commit()
    page = page_text(agent_client.get(f"/inbox/acme/conversations/{conversation.id}"))
    assert "Suspended as spam:" in page and "spam-suspension: too many links" in page
    assert ">Not spam<" in page and ">Confirm spam<" in page
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/stage", data={"to": "new"})
    conversation = fresh(conversation)
    assert conversation.stage == Stage.NEW and conversation.owner_id == desk.agent.id  # routed when judged valid


def test_confirm_spam_archives(agent_client, desk):
    conversation = desk.in_stage(Stage.SUSPENDED)
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/stage", data={"to": "archived"})
    assert fresh(conversation).stage == Stage.ARCHIVED


def test_reassign_offers_this_workspaces_agents_and_refuses_others(agent_client, desk, other_desk):
    conversation = desk.start()
    page = agent_client.get(f"/inbox/acme/conversations/{conversation.id}").get_data(as_text=True)
    owners = re.search(r'id="owner-select".*?</select>', page, re.S).group(0)
    assert "Ada Admin" in owners and "Alan Agent" in owners and "Greta" not in owners
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/assign", data={"owner_id": str(desk.admin.id)})
    conversation = fresh(conversation)
    assert conversation.owner_id == desk.admin.id
    assert any(m.internal and "Reassigned to Ada Admin" in m.body for m in conversation.messages)
    response = agent_client.post(
        f"/inbox/acme/conversations/{conversation.id}/assign", data={"owner_id": str(other_desk.agent.id)}, follow_redirects=True
    )
    assert "not found" in page_text(response)
    assert fresh(conversation).owner_id == desk.admin.id
    agent_client.post(f"/inbox/acme/conversations/{conversation.id}/assign", data={"owner_id": ""})
    assert fresh(conversation).owner_id is None


def test_tags_add_and_remove_and_bad_tags_are_messages(agent_client, desk):
    conversation = desk.start()
    url = f"/inbox/acme/conversations/{conversation.id}"
    agent_client.post(url + "/tags", data={"tag": "blocked", "value": ""})
    agent_client.post(url + "/tags", data={"tag": "resolution", "value": "workaround"})
    assert {t.tag: t.value for t in fresh(conversation).tags} == {"blocked": None, "resolution": "workaround"}
    assert "Resolution: workaround" in agent_client.get(url).get_data(as_text=True)
    response = agent_client.post(url + "/tags", data={"tag": "resolution", "value": ""}, follow_redirects=True)
    assert "needs a value" in page_text(response)
    response = agent_client.post(url + "/tags", data={"tag": "shiny"}, follow_redirects=True)
    assert "Unknown tag 'shiny'" in page_text(response)
    agent_client.post(url + "/tags/remove", data={"tag": "blocked"})
    assert {t.tag for t in fresh(conversation).tags} == {"resolution"}


def test_priority(agent_client, desk):
    conversation = desk.start()
    url = f"/inbox/acme/conversations/{conversation.id}"
    agent_client.post(url + "/priority", data={"priority": "p0"})
    assert fresh(conversation).priority == "p0"
    response = agent_client.post(url + "/priority", data={"priority": "urgent!"}, follow_redirects=True)
    assert "Unknown priority 'urgent!'" in page_text(response)


def test_the_page_shows_routing_history_and_messages(agent_client, desk):
    conversation = desk.start("Where is my order?")
    desk.reply(conversation, "Shipped today")
    text = page_text(agent_client.get(f"/inbox/acme/conversations/{conversation.id}"))
    assert "core: default owner of account Acme Customer Co" in text  # routed_by
    assert "Where is my order?" in text and "Shipped today" in text
    assert "New → Waiting on user" in text and "by Alan Agent" in text


def test_message_text_is_escaped(agent_client, desk):
    conversation = desk.start("<script>alert(1)</script>")
    html = agent_client.get(f"/inbox/acme/conversations/{conversation.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


ROUTES = [
    ("GET", "/inbox/{slug}/conversations/{id}", None),
    ("GET", "/inbox/{slug}/conversations/{id}/summary", None),
    ("GET", "/inbox/{slug}/events?conversation={id}", None),
    ("POST", "/inbox/{slug}/conversations/{id}/messages", {"kind": "reply", "body": "hi"}),
    ("POST", "/inbox/{slug}/conversations/{id}/stage", {"to": "waiting_on_user"}),
    ("POST", "/inbox/{slug}/conversations/{id}/resolve", {}),
    ("POST", "/inbox/{slug}/conversations/{id}/escalate", {"new_title": "x"}),
    ("POST", "/inbox/{slug}/conversations/{id}/assign", {"owner_id": ""}),
    ("POST", "/inbox/{slug}/conversations/{id}/priority", {"priority": "p0"}),
    ("POST", "/inbox/{slug}/conversations/{id}/tags", {"tag": "blocked"}),
    ("POST", "/inbox/{slug}/conversations/{id}/tags/remove", {"tag": "blocked"}),
]


@pytest.mark.parametrize(("method", "route", "form"), ROUTES)
def test_every_conversation_route_is_404_for_another_workspaces_conversation(agent_client, desk, other_desk, method, route, form):
    theirs = other_desk.start("Globex only")
    before = (theirs.stage, len(theirs.messages), theirs.owner_id, theirs.priority)
    url = route.format(slug="acme", id=theirs.id)
    response = agent_client.open(url, method=method, data=form)
    assert response.status_code == 404
    assert "Globex only" not in response.get_data(as_text=True)
    theirs = fresh(theirs)
    assert (theirs.stage, len(theirs.messages), theirs.owner_id, theirs.priority) == before


@pytest.mark.parametrize(("method", "route", "form"), ROUTES)
def test_every_conversation_route_needs_a_signed_in_agent(client, desk, method, route, form):
    conversation = desk.start()
    response = client.open(route.format(slug="acme", id=conversation.id), method=method, data=form)
    assert response.status_code == 302 and "/inbox/acme/login" in response.headers["Location"]
    assert fresh(conversation).stage == Stage.NEW
    assert db.session.query(Message).filter_by(conversation_id=conversation.id, author_kind="dev").count() == 0
