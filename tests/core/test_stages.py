"""The conversation stage machine: every edge of the table, every non-edge, the automatic moves."""

from __future__ import annotations

from collections import deque

import pytest

from core import conversations
from core.db import commit
from core.errors import IllegalTransition, ValidationError
from core.models import Conversation, User
from core.people import create_contact, find_user_by_email
from core.stages import ON_AGENT_REPLY, ON_CUSTOMER_MESSAGE, TRANSITIONS, Stage

LEGAL = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
ILLEGAL = [(source, target) for source in Stage for target in Stage if target not in TRANSITIONS[source]]


def _path_from_new(goal: Stage) -> list[Stage]:
    """Shortest sequence of legal stages that leads from New to ``goal`` (breadth-first over the table)."""
    previous: dict[Stage, Stage | None] = {Stage.NEW: None}
    queue = deque([Stage.NEW])
    while queue:
        stage = queue.popleft()
        for target in TRANSITIONS[stage]:
            if target not in previous:
                previous[target] = stage
                queue.append(target)
    path: list[Stage] = []
    node: Stage | None = goal
    while node is not None and node != Stage.NEW:
        path.append(node)
        node = previous[node]
    return list(reversed(path))


@pytest.fixture
def agent(workspace) -> User:
    user = find_user_by_email(workspace.id, "agent@acme.test")
    assert user is not None
    return user


@pytest.fixture
def customer(workspace):
    contact = create_contact(workspace, email="carol@customer.test", name="Carol")
    commit()
    return contact


@pytest.fixture
def at_stage(workspace, customer, agent):
    """Build a conversation and walk it, through change_stage only, to the requested stage."""

    def build(stage: Stage) -> Conversation:
        conversation = conversations.start_conversation(
            workspace, body="My export is broken", channel="portal", contact=customer
        )
        for step in _path_from_new(stage):
            conversations.change_stage(workspace, conversation, step, by_kind="dev", by_user=agent)
        commit()
        assert conversation.stage == stage
        return conversation

    return build


def test_the_table_is_what_the_design_lists():
    S = Stage
    assert set(LEGAL) == {
        (S.NEW, S.WAITING_ON_USER), (S.NEW, S.SUSPENDED), (S.SUSPENDED, S.NEW),
        (S.WAITING_ON_USER, S.NEEDS_RESPONSE),
        (S.NEEDS_RESPONSE, S.WAITING_ON_USER), (S.NEEDS_RESPONSE, S.HOLD), (S.NEEDS_RESPONSE, S.RESOLVED),
        (S.HOLD, S.NEEDS_RESPONSE), (S.HOLD, S.WAITING_ON_USER),
        (S.RESOLVED, S.NEEDS_RESPONSE), (S.RESOLVED, S.ARCHIVED), (S.SUSPENDED, S.ARCHIVED),
    }
    assert len(ILLEGAL) == len(Stage) ** 2 - len(LEGAL)
    assert all((stage, stage) in ILLEGAL for stage in Stage)


@pytest.mark.parametrize(("source", "target"), LEGAL, ids=[f"{s.value}->{t.value}" for s, t in LEGAL])
def test_every_legal_transition_is_accepted_and_recorded(workspace, agent, at_stage, source, target):
    conversation = at_stage(source)
    before = len(conversation.stage_changes)

    change = conversations.change_stage(
        workspace, conversation, target, by_kind="dev", by_user=agent, reason="test move"
    )
    commit()

    assert conversation.stage == target.value
    assert len(conversation.stage_changes) == before + 1
    recorded = conversation.stage_changes[-1]
    assert recorded is change
    assert (recorded.from_stage, recorded.to_stage) == (source.value, target.value)
    assert recorded.by_kind == "dev" and recorded.by_user_id == agent.id and recorded.reason == "test move"
    if target == Stage.RESOLVED:
        assert conversation.resolved_at == recorded.at


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=[f"{s.value}->{t.value}" for s, t in ILLEGAL])
def test_every_illegal_transition_is_refused_naming_the_legal_targets(workspace, agent, at_stage, source, target):
    conversation = at_stage(source)
    before = len(conversation.stage_changes)

    with pytest.raises(IllegalTransition) as raised:
        conversations.change_stage(workspace, conversation, target, by_kind="dev", by_user=agent)

    message = str(raised.value)
    assert f"'{source.value}'" in message and f"'{target.value}'" in message
    legal = list(TRANSITIONS[source])
    assert raised.value.allowed == [s.value for s in legal]
    if legal:
        assert all(s.value in message.split("can move to:")[1] for s in legal)
    else:
        assert message.endswith("can move to: none.")
    assert conversation.stage == source.value
    assert len(conversation.stage_changes) == before


def test_unknown_stage_is_a_field_error(workspace, agent, at_stage):
    conversation = at_stage(Stage.NEW)
    with pytest.raises(ValidationError) as raised:
        conversations.change_stage(workspace, conversation, "closed", by_kind="dev", by_user=agent)
    assert "stage" in raised.value.fields


# -- automatic transitions -----------------------------------------------------------------------


def test_agent_reply_on_new_moves_to_waiting_on_user(workspace, agent, at_stage):
    conversation = at_stage(Stage.NEW)
    conversations.post_message(workspace, conversation, body="Looking into it", author_user=agent)
    commit()
    assert ON_AGENT_REPLY[Stage.NEW] == Stage.WAITING_ON_USER
    assert conversation.stage == Stage.WAITING_ON_USER
    last = conversation.stage_changes[-1]
    assert (last.from_stage, last.to_stage, last.by_kind, last.by_user_id) == ("new", "waiting_on_user", "dev", agent.id)
    assert conversation.first_response_at is not None


@pytest.mark.parametrize("source", [Stage.NEEDS_RESPONSE, Stage.HOLD])
def test_agent_reply_on_needs_response_or_hold_moves_to_waiting_on_user(workspace, agent, at_stage, source):
    conversation = at_stage(source)
    conversations.post_message(workspace, conversation, body="Here is the fix", author_user=agent)
    assert conversation.stage == Stage.WAITING_ON_USER


def test_customer_reply_on_waiting_on_user_moves_to_needs_response(workspace, customer, at_stage):
    conversation = at_stage(Stage.WAITING_ON_USER)
    conversations.post_message(workspace, conversation, body="Still broken", author_contact=customer)
    commit()
    assert ON_CUSTOMER_MESSAGE[Stage.WAITING_ON_USER] == Stage.NEEDS_RESPONSE
    assert conversation.stage == Stage.NEEDS_RESPONSE
    last = conversation.stage_changes[-1]
    assert (last.by_kind, last.by_contact_id) == ("rev", customer.id)


def test_customer_writing_again_reopens_a_resolved_conversation(workspace, customer, at_stage):
    conversation = at_stage(Stage.RESOLVED)
    conversations.post_message(workspace, conversation, body="It broke again", author_contact=customer)
    assert conversation.stage == Stage.NEEDS_RESPONSE


@pytest.mark.parametrize("source", [Stage.NEW, Stage.NEEDS_RESPONSE, Stage.HOLD, Stage.WAITING_ON_USER])
def test_internal_notes_move_nothing(workspace, agent, at_stage, source):
    conversation = at_stage(source)
    before = len(conversation.stage_changes)
    conversations.post_message(workspace, conversation, body="note to self", author_user=agent, internal=True)
    assert conversation.stage == source
    assert len(conversation.stage_changes) == before
    assert conversation.first_response_at is None or source != Stage.NEW


def test_customer_message_on_new_or_needs_response_moves_nothing(workspace, customer, at_stage):
    for source in (Stage.NEW, Stage.NEEDS_RESPONSE):
        conversation = at_stage(source)
        conversations.post_message(workspace, conversation, body="any news?", author_contact=customer)
        assert conversation.stage == source


def test_customer_cannot_write_to_an_archived_conversation(workspace, customer, at_stage):
    conversation = at_stage(Stage.ARCHIVED)
    before = len(conversation.messages)
    with pytest.raises(ValidationError) as raised:
        conversations.post_message(workspace, conversation, body="hello?", author_contact=customer)
    assert "conversation" in raised.value.fields
    assert len(conversation.messages) == before


def test_customer_writing_to_a_suspended_conversation_just_adds_the_message(workspace, customer, at_stage):
    conversation = at_stage(Stage.SUSPENDED)
    conversations.post_message(workspace, conversation, body="I am real", author_contact=customer)
    assert conversation.stage == Stage.SUSPENDED
    assert conversation.messages[-1].body == "I am real"
