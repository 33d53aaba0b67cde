"""Conversations over the API: create on behalf of a contact, list with filters, read, reply, stage, tags, assign."""

from __future__ import annotations

import pytest

BASE = "/workspaces/acme/conversations"


@pytest.fixture
def contact(workspace):
    from core.db import commit
    from core.people import create_contact

    contact = create_contact(workspace, email="carol@example.test", name="Carol")
    commit()
    return contact


def test_create_by_contact_email_makes_the_contact_and_starts_new(agent_api, workspace):
    response = agent_api.post(BASE, {"contact_email": "Dan@Example.test", "title": "Help", "body": "It broke",
                                     "channel": "widget"})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["stage"] == "new" and body["channel"] == "widget" and body["creator_kind"] == "rev"
    assert [m["body"] for m in body["messages"] if not m["internal"]] == ["It broke"]
    assert body["stage_history"][0] == {**body["stage_history"][0], "from_stage": None, "to_stage": "new"}
    assert body["first_response_seconds"] is None
    from core.people import find_contact_by_email

    assert find_contact_by_email(workspace.id, "dan@example.test").id == body["contact_id"]


def test_create_needs_exactly_one_contact_reference(agent_api, contact):
    both = agent_api.post(BASE, {"contact_id": contact.id, "contact_email": "x@example.test", "body": "hi"})
    neither = agent_api.post(BASE, {"body": "hi"})
    for response in (both, neither):
        assert response.status_code == 422
        assert "contact_id" in response.json["error"]["fields"]


def test_create_with_contact_of_another_workspace_is_a_field_error(agent_api, other_workspace):
    from core.db import commit
    from core.people import create_contact

    stranger = create_contact(other_workspace, email="s@beta.test")
    commit()
    response = agent_api.post(BASE, {"contact_id": stranger.id, "body": "hi"})
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["contact_id"]


def test_reply_moves_to_waiting_and_sets_first_response(agent_api, contact, agent):
    created = agent_api.post(BASE, {"contact_id": contact.id, "body": "Help"}).json
    reply = agent_api.post(f"{BASE}/{created['id']}/messages", {"body": "On it"})
    assert reply.status_code == 201
    assert reply.json["author_kind"] == "dev" and reply.json["author_user_id"] == agent.id
    note = agent_api.post(f"{BASE}/{created['id']}/messages", {"body": "psst", "internal": True})
    assert note.json["internal"] is True
    detail = agent_api.get(f"{BASE}/{created['id']}").json
    assert detail["stage"] == "waiting_on_user"
    assert detail["first_response_seconds"] is not None and detail["first_response_seconds"] >= 0
    assert [c["to_stage"] for c in detail["stage_history"]] == ["new", "waiting_on_user"]


def test_stage_changes_follow_the_table(agent_api, contact):
    conversation_id = agent_api.post(BASE, {"contact_id": contact.id, "body": "Help"}).json["id"]
    illegal = agent_api.post(f"{BASE}/{conversation_id}/stage", {"stage": "resolved"})
    assert illegal.status_code == 409
    assert "waiting_on_user" in illegal.json["error"]["message"]
    legal = agent_api.post(f"{BASE}/{conversation_id}/stage", {"stage": "suspended", "reason": "spam"})
    assert legal.status_code == 200 and legal.json["stage"] == "suspended"
    unknown = agent_api.post(f"{BASE}/{conversation_id}/stage", {"stage": "limbo"})
    assert unknown.status_code == 422 and "stage" in unknown.json["error"]["fields"]


def test_tags_put_and_delete(agent_api, contact):
    conversation_id = agent_api.post(BASE, {"contact_id": contact.id, "body": "Help"}).json["id"]
    assert agent_api.put(f"{BASE}/{conversation_id}/tags/stalled").json["tags"] == {"stalled": None}
    valued = agent_api.put(f"{BASE}/{conversation_id}/tags/resolution", {"value": "fixed"})
    assert valued.json["tags"] == {"resolution": "fixed", "stalled": None}
    missing_value = agent_api.put(f"{BASE}/{conversation_id}/tags/resolution", {"value": None})
    assert missing_value.status_code == 422 and "value" in missing_value.json["error"]["fields"]
    unknown = agent_api.put(f"{BASE}/{conversation_id}/tags/shiny")
    assert unknown.status_code == 422 and "tag" in unknown.json["error"]["fields"]
    removed = agent_api.delete(f"{BASE}/{conversation_id}/tags/stalled")
    assert removed.status_code == 200 and removed.json["tags"] == {"resolution": "fixed"}


def test_assign_and_priority(agent_api, contact, agent):
    conversation_id = agent_api.post(BASE, {"contact_id": contact.id, "body": "Help"}).json["id"]
    assigned = agent_api.post(f"{BASE}/{conversation_id}/assign", {"owner_id": agent.id, "reason": "mine"})
    assert assigned.status_code == 200 and assigned.json["owner_id"] == agent.id
    nobody = agent_api.post(f"{BASE}/{conversation_id}/assign", {"owner_id": 999999})
    assert nobody.status_code == 422 and "owner_id" in nobody.json["error"]["fields"]
    unassigned = agent_api.post(f"{BASE}/{conversation_id}/assign", {"owner_id": None})
    assert unassigned.json["owner_id"] is None
    assert agent_api.post(f"{BASE}/{conversation_id}/priority", {"priority": "p0"}).json["priority"] == "p0"
    assert agent_api.post(f"{BASE}/{conversation_id}/priority", {"priority": "p9"}).status_code == 422


def test_list_filters_and_pages(agent_api, contact, agent):
    ids = [agent_api.post(BASE, {"contact_id": contact.id, "body": f"n{i}", "channel": ch}).json["id"]
           for i, ch in enumerate(["portal", "email", "widget"])]
    agent_api.post(f"{BASE}/{ids[0]}/assign", {"owner_id": agent.id})
    agent_api.put(f"{BASE}/{ids[1]}/tags/blocked")
    agent_api.post(f"{BASE}/{ids[2]}/stage", {"stage": "suspended"})

    everything = agent_api.get(BASE).json
    assert everything["total"] == 2 and everything["limit"] == 50 and everything["offset"] == 0  # suspended hidden
    assert {c["id"] for c in agent_api.get(f"{BASE}?include_hidden=true").json["items"]} == set(ids)
    assert [c["id"] for c in agent_api.get(f"{BASE}?owner_id={agent.id}").json["items"]] == [ids[0]]
    assert [c["id"] for c in agent_api.get(f"{BASE}?tag=blocked").json["items"]] == [ids[1]]
    assert [c["id"] for c in agent_api.get(f"{BASE}?stage=suspended").json["items"]] == [ids[2]]
    assert [c["id"] for c in agent_api.get(f"{BASE}?channel=email").json["items"]] == [ids[1]]
    paged = agent_api.get(f"{BASE}?include_hidden=1&limit=1&offset=1").json
    assert paged["total"] == 3 and len(paged["items"]) == 1 and paged["limit"] == 1 and paged["offset"] == 1


def test_list_by_account(agent_api, workspace):
    from core.db import commit
    from core.people import create_account

    account = create_account(workspace, name="Initech", domains=["initech.test"])
    commit()
    in_account = agent_api.post(BASE, {"contact_email": "peter@initech.test", "body": "TPS"}).json
    agent_api.post(BASE, {"contact_email": "someone@else.test", "body": "x"})
    listed = agent_api.get(f"{BASE}?account_id={account.id}").json
    assert [c["id"] for c in listed["items"]] == [in_account["id"]]
    assert in_account["account_id"] == account.id


def test_bad_filters_are_422_not_500(agent_api, workspace):
    for query in ("stage=limbo", "priority=p7", "channel=fax", "owner_id=abc", "limit=0", "limit=201",
                  "limit=99999999999999999999", "offset=-1", "tag=x", "bogus=1"):
        response = agent_api.get(f"{BASE}?{query}")
        assert response.status_code == 422, query
        assert response.json["error"]["fields"], query
