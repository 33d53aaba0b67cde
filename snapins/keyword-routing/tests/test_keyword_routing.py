"""keyword-routing, tested with the snapdesk test kit only."""

from __future__ import annotations

import pytest

from hooks.testing import assert_valid_snapin
from snapdesk_keyword_routing import KeywordRouting
from snapdesk_keyword_routing.matching import matched_keywords

RULES = [
    {"name": "billing", "keywords": ["invoice", "refund"], "owner": "billing@acme.test", "tag": "priority"},
    {"keywords": ["api", "rate limit"], "match": "all", "group": ["dev1@acme.test", "dev2@acme.test"]},
]


def test_contract():
    assert_valid_snapin(KeywordRouting)


@pytest.mark.parametrize(
    "text, keywords, expected",
    [
        ("Where is my INVOICE?", ["invoice"], ["invoice"]),
        ("Facturé deux fois", ["facture"], ["facture"]),
        ("invoices are late", ["invoice"], []),  # whole words only
        ("we hit the rate   limit on the API", ["rate limit", "api"], ["rate limit", "api"]),
        ("limit rate", ["rate limit"], []),
    ],
)
def test_matching_is_whole_word_case_and_accent_insensitive(text, keywords, expected):
    assert matched_keywords(text, keywords) == expected


@pytest.fixture
def desk(make_app, enable_snapin):
    from core.db import commit
    from core.people import create_account, create_contact, create_user
    from core.workspaces import create_workspace

    make_app(snapins={"keyword-routing": KeywordRouting})
    workspace = create_workspace(slug="acme", name="Acme")
    users = {
        email: create_user(workspace, email=email, name=email.split("@")[0])
        for email in ("billing@acme.test", "dev1@acme.test", "dev2@acme.test", "owner@acme.test")
    }
    account = create_account(workspace, name="Globex", domains=["globex.test"], default_owner_id=users["owner@acme.test"].id)
    contact = create_contact(workspace, email="jo@globex.test", verified=True)
    commit()
    enable_snapin(workspace, "keyword-routing", {"rules": RULES})
    return workspace, users, contact


def start(workspace, contact, body, title=""):
    from core.conversations import start_conversation
    from core.db import commit

    conversation = start_conversation(workspace, body=body, title=title, channel="widget", contact=contact)
    commit()
    return conversation


def test_a_matching_rule_routes_to_its_owner_and_explains_it(desk):
    workspace, users, contact = desk
    conversation = start(workspace, contact, "Please send me a refund", title="Billing question")
    assert conversation.owner_id == users["billing@acme.test"].id
    assert "billing matched 'refund'" in conversation.routed_by
    assert any("billing matched 'refund'" in m.body for m in conversation.messages if m.author_kind == "system")
    assert {t.tag for t in conversation.tags} == {"priority"}


def test_no_match_falls_back_to_the_accounts_default_owner(desk):
    workspace, users, contact = desk
    conversation = start(workspace, contact, "How do I change my avatar?")
    assert conversation.owner_id == users["owner@acme.test"].id
    assert conversation.routed_by.startswith("core")


def test_match_all_needs_every_keyword_and_groups_take_turns(desk):
    workspace, users, contact = desk
    assert start(workspace, contact, "The API is slow").owner_id == users["owner@acme.test"].id
    owners = [start(workspace, contact, "API rate limit hit").owner_id for _ in range(3)]
    assert owners == [users["dev1@acme.test"].id, users["dev2@acme.test"].id, users["dev1@acme.test"].id]


def test_config_naming_an_unknown_agent_is_refused_with_a_field_error(desk, enable_snapin):
    from core.errors import ValidationError

    workspace, _, _ = desk
    with pytest.raises(ValidationError) as error:
        enable_snapin(workspace, "keyword-routing", {"rules": [{"keywords": ["x"], "owner": "ghost@acme.test"}]})
    assert "ghost@acme.test" in str(error.value.fields)
    with pytest.raises(ValidationError) as error:
        enable_snapin(workspace, "keyword-routing", {"rules": [{"keywords": [], "owner": "billing@acme.test"}]})
    assert "rules" in str(error.value.fields)


def test_disabled_in_a_workspace_it_routes_nothing_there(desk, make_app):
    from core.db import commit
    from core.snapins import admin

    workspace, users, contact = desk
    admin.disable(workspace, "keyword-routing")
    commit()
    assert start(workspace, contact, "refund please").owner_id == users["owner@acme.test"].id
