"""spam-suspension through the real app, with the snapdesk test kit only."""

from __future__ import annotations

import pytest

from hooks.testing import assert_valid_snapin
from snapdesk_spam_suspension import LEARNED_KEY, MODEL_COLLECTION, SpamSuspension

SPAM = "WINNER!! You have been selected for a FREE cash prize of $5000. Call 09061701461 now or visit http://bit.ly/claim-now"
HAM = "Hi, since this morning I cannot log in to my account, the page says my password is wrong. Can you help?"


def test_contract():
    assert_valid_snapin(SpamSuspension)


@pytest.fixture
def desk(make_app, enable_snapin):
    from core.db import commit
    from core.people import create_account, create_contact, create_user
    from core.workspaces import create_workspace

    make_app(snapins={"spam-suspension": SpamSuspension})
    workspace = create_workspace(slug="acme", name="Acme")
    agent = create_user(workspace, email="agent@acme.test", name="Agent")
    create_account(workspace, name="Globex", domains=["globex.test"], default_owner_id=agent.id)
    known = create_contact(workspace, email="jo@globex.test", verified=True)
    stranger = create_contact(workspace, email="promo@deals.test")
    commit()
    enable_snapin(workspace, "spam-suspension")
    return workspace, agent, known, stranger


def start(workspace, contact, body, title=""):
    from core.conversations import start_conversation
    from core.db import commit

    conversation = start_conversation(workspace, body=body, title=title, channel="email", contact=contact)
    commit()
    return conversation


def test_spam_goes_to_suspended_with_the_reason_and_is_not_routed(desk):
    workspace, _, _, stranger = desk
    conversation = start(workspace, stranger, SPAM, title="You won")
    assert conversation.stage == "suspended"
    change = conversation.stage_changes[-1]
    assert (change.from_stage, change.to_stage, change.by_snapin) == ("new", "suspended", "spam-suspension")
    assert "spam score" in change.reason
    assert conversation.owner_id is None


def test_a_real_question_stays_new_and_is_routed(desk):
    from core.db import commit
    from core.people import create_contact

    workspace, agent, _, _ = desk
    unverified = create_contact(workspace, email="new@globex.test")  # checked: not verified
    commit()
    conversation = start(workspace, unverified, HAM, title="Login problem")
    assert conversation.stage == "new" and conversation.owner_id == agent.id


def test_verified_contacts_are_not_checked_unless_configured(desk, enable_snapin):
    workspace, _, known, _ = desk
    assert start(workspace, known, SPAM).stage == "new"
    enable_snapin(workspace, "spam-suspension", {"check_verified_contacts": True})
    assert start(workspace, known, SPAM).stage == "suspended"


def test_block_and_allow_lists_win_over_the_model(desk, enable_snapin):
    from core.errors import ValidationError

    workspace, _, _, stranger = desk
    enable_snapin(workspace, "spam-suspension", {"allow_domains": ["deals.test"]})
    assert start(workspace, stranger, SPAM).stage == "new"
    enable_snapin(workspace, "spam-suspension", {"block_emails": ["promo@deals.test"]})
    conversation = start(workspace, stranger, HAM)
    assert conversation.stage == "suspended" and "block list" in conversation.stage_changes[-1].reason
    with pytest.raises(ValidationError):
        enable_snapin(workspace, "spam-suspension", {"block_domains": ["x.test"], "allow_domains": ["x.test"]})


def test_not_spam_goes_back_to_new_and_the_workspace_learns(desk, run_jobs):
    from core.conversations import change_stage
    from core.db import commit
    from core.snapins.store import SnapinStore
    from core.stages import Stage

    workspace, agent, _, stranger = desk
    conversation = start(workspace, stranger, SPAM)
    run_jobs()
    change_stage(workspace, conversation, Stage.NEW, by_kind="dev", by_user=agent, reason="not spam")
    commit()
    run_jobs()
    assert conversation.stage == "new"
    learned = SnapinStore(workspace.id, "spam-suspension").get(MODEL_COLLECTION, LEARNED_KEY)
    assert learned is not None


def test_learning_from_confirmations_changes_the_verdict(desk, run_jobs, enable_snapin):
    """A borderline message becomes spam for this workspace after agents confirm similar ones."""
    from core.conversations import change_stage
    from core.db import commit
    from core.stages import Stage

    workspace, agent, _, stranger = desk
    enable_snapin(workspace, "spam-suspension", {"block_domains": ["deals.test"]})
    pitch = "Boost your store rankings with our zentrix backlinks package, zentrix gets results"
    for _ in range(6):
        conversation = start(workspace, stranger, pitch)
        assert conversation.stage == "suspended"
        change_stage(workspace, conversation, Stage.ARCHIVED, by_kind="dev", by_user=agent, reason="confirmed spam")
        commit()
        run_jobs()
    enable_snapin(workspace, "spam-suspension", {"block_domains": []})
    from core.people import create_contact

    other = create_contact(workspace, email="someone@else.test")
    commit()
    assert start(workspace, other, pitch).stage == "suspended"


def test_a_crashing_classifier_never_loses_the_message(desk, monkeypatch):
    workspace, agent, _, stranger = desk

    def boom(self, context):
        raise RuntimeError("model file corrupted")

    monkeypatch.setattr(SpamSuspension, "workspace_model", boom)
    conversation = start(workspace, stranger, SPAM)
    assert conversation.id is not None and conversation.stage == "new"
    assert conversation.messages[0].body == SPAM


def test_a_conversation_judged_valid_is_routed_then(desk):
    from core.conversations import change_stage
    from core.db import commit
    from core.people import create_contact
    from core.stages import Stage

    workspace, agent, _, _ = desk
    customer = create_contact(workspace, email="new@globex.test")
    commit()
    conversation = start(workspace, customer, SPAM)
    assert conversation.stage == "suspended" and conversation.owner_id is None
    change_stage(workspace, conversation, Stage.NEW, by_kind="dev", by_user=agent, reason="not spam")
    commit()
    assert conversation.owner_id == agent.id
