"""Tickets over the API: custom fields checked by the workspace's form, list filters, comments, stage, edits."""

from __future__ import annotations

import pytest

BASE = "/workspaces/acme/tickets"


@pytest.fixture
def form(workspace):
    from core.db import commit
    from core.portal_settings import update_settings

    update_settings(workspace, {"ticket_form": {"fields": [
        {"name": "product", "label": "Product", "type": "choice", "choices": ["web", "app"], "required": True},
        {"name": "app_version", "label": "App version", "type": "number", "required": True,
         "show_when": {"field": "product", "equals": "app"}},
    ]}})
    commit()


def test_create_with_custom_fields(agent_api, form, agent):
    response = agent_api.post(BASE, {"title": "Crash", "body": "on start", "severity": "high",
                                     "custom_fields": {"product": "app", "app_version": "3"}})
    assert response.status_code == 201, response.json
    ticket = response.json
    assert ticket["custom_fields"] == {"product": "app", "app_version": 3}
    assert ticket["stage"] == "queued" and ticket["priority"] == "p1" and ticket["created_by_user_id"] == agent.id
    assert ticket["comments"] == []


def test_custom_field_errors_are_field_level(agent_api, form):
    response = agent_api.post(BASE, {"title": "Crash", "custom_fields": {"product": "app", "colour": "red"}})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["custom_fields.app_version"] == ["This field is required."]
    assert fields["custom_fields.colour"] == ["Unknown field."]
    wrong_type = agent_api.post(BASE, {"title": "Crash", "custom_fields": ["product"]})
    assert wrong_type.status_code == 422 and "custom_fields" in wrong_type.json["error"]["fields"]


def test_reporters_must_be_contacts_of_the_workspace(agent_api, workspace, other_workspace):
    from core.db import commit
    from core.people import create_contact

    mine = create_contact(workspace, email="m@acme-customer.test")
    theirs = create_contact(other_workspace, email="t@beta-customer.test")
    commit()
    ok = agent_api.post(BASE, {"title": "A", "reported_by": [mine.id]})
    assert ok.status_code == 201 and ok.json["reported_by"] == [mine.id]
    foreign = agent_api.post(BASE, {"title": "A", "reported_by": [theirs.id]})
    assert foreign.status_code == 422 and "reported_by" in foreign.json["error"]["fields"]


def test_comments_stage_and_patch(agent_api, agent):
    ticket_id = agent_api.post(BASE, {"title": "Printer"}).json["id"]
    first = agent_api.post(f"{BASE}/{ticket_id}/comments", {"body": "Checking"})
    assert first.status_code == 201 and first.json["visibility"] == "external"
    reply = agent_api.post(f"{BASE}/{ticket_id}/comments",
                           {"body": "internal note", "visibility": "internal", "parent_id": first.json["id"]})
    assert reply.status_code == 201 and reply.json["parent_id"] == first.json["id"]
    bad_parent = agent_api.post(f"{BASE}/{ticket_id}/comments", {"body": "x", "parent_id": 424242})
    assert bad_parent.status_code == 422 and "parent_id" in bad_parent.json["error"]["fields"]

    moved = agent_api.post(f"{BASE}/{ticket_id}/stage", {"stage": "work_in_progress"})
    assert moved.status_code == 200 and moved.json["stage"] == "work_in_progress"
    assert moved.json["owner_id"] == agent.id
    assert agent_api.post(f"{BASE}/{ticket_id}/stage", {"stage": "queued"}).status_code in (200, 409)

    patched = agent_api.patch(f"{BASE}/{ticket_id}", {"title": "Printer on fire", "severity": "blocker",
                                                      "tracker": "needs_code_change"})
    assert patched.status_code == 200
    assert (patched.json["title"], patched.json["priority"], patched.json["tracker"]) == (
        "Printer on fire", "p0", "needs_code_change")
    detail = agent_api.get(f"{BASE}/{ticket_id}").json
    assert [c["body"] for c in detail["comments"]] == ["Checking", "internal note"]
    assert agent_api.patch(f"{BASE}/{ticket_id}", {"stage": "nowhere"}).status_code == 422
    assert agent_api.patch(f"{BASE}/{ticket_id}", {"status": "x"}).status_code == 422


def test_list_filters(agent_api, workspace):
    from core.db import commit
    from core.people import create_account

    account = create_account(workspace, name="Initech")
    commit()
    a = agent_api.post(BASE, {"title": "One", "account_id": account.id}).json["id"]
    b = agent_api.post(BASE, {"title": "Two", "tracker": "needs_code_change"}).json["id"]
    agent_api.post(f"{BASE}/{b}/stage", {"stage": "work_in_progress"})
    assert agent_api.get(BASE).json["total"] == 2
    assert [t["id"] for t in agent_api.get(f"{BASE}?tracker=needs_code_change").json["items"]] == [b]
    assert [t["id"] for t in agent_api.get(f"{BASE}?stage=work_in_progress").json["items"]] == [b]
    assert [t["id"] for t in agent_api.get(f"{BASE}?account_id={account.id}").json["items"]] == [a]
    assert agent_api.get(f"{BASE}?tracker=other").status_code == 422
