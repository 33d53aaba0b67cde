"""Conversation rules: routing and its fallback, spam verdicts, priority, response times, events,
tags, lists, workspace isolation. Decisions come from tiny snap-ins defined here."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import conversations
from core.db import commit, db, get_scoped, rollback
from core.errors import IllegalTransition, NotFound, ValidationError
from core.events import domain_event
from core.models import Account, Conversation, Message, SnapinSetting, StageChange
from core.people import create_account, create_contact, create_user
from core.stages import Stage
from core.workspaces import create_workspace
from hooks import RoutingDecision, Snapin, SpamVerdict, hookimpl


class KeywordRouter(Snapin):
    """Routes conversations that mention 'invoice' to billing@acme.test."""

    title = "Test router"

    @hookimpl
    def snapdesk_route_conversation(self, context, message):
        if "invoice" not in message.body.lower():
            return None
        billing = context.users.find_by_email("billing@acme.test")
        return RoutingDecision(
            owner_id=billing.id, reason="rule 1: 'invoice' -> billing", tags={"priority": None}, priority="p1"
        )


class ForeignRouter(Snapin):
    """Routes every conversation to :attr:`owner_id` (a test sets it to a user of another workspace)."""

    title = "Foreign router"
    owner_id = 0

    @hookimpl
    def snapdesk_route_conversation(self):
        return RoutingDecision(owner_id=type(self).owner_id, reason="sneaky")


class CrashingRouter(Snapin):
    title = "Crashing router"

    @hookimpl
    def snapdesk_route_conversation(self):
        raise RuntimeError("router exploded")


class CasinoSpamFilter(Snapin):
    title = "Test spam filter"

    @hookimpl
    def snapdesk_spam_verdict(self, message):
        if "casino" in message.body.lower():
            return SpamVerdict(is_spam=True, score=0.99, reason="mentions a casino")
        return SpamVerdict(is_spam=False, score=0.01, reason="clean")


class EventListener(Snapin):
    """Implements the conversation event hooks; what it receives is read from ``hook_calls``."""

    title = "Event listener"

    @hookimpl
    def snapdesk_conversation_created(self, conversation, message):
        assert conversation.id == message.conversation_id

    @hookimpl
    def snapdesk_message_posted(self, conversation, message):
        assert conversation.id == message.conversation_id

    @hookimpl
    def snapdesk_stage_changed(self, conversation, change):
        assert conversation.stage == change.to_stage


SNAPINS = {
    "test-listener": EventListener,
    "test-router": KeywordRouter,
    "test-foreign": ForeignRouter,
    "test-crash": CrashingRouter,
    "test-spam": CasinoSpamFilter,
}


class Desk:
    """A workspace with an agent pool, an old and a new account, and their contacts."""

    def __init__(self) -> None:
        self.workspace = create_workspace(slug="acme", name="Acme", admin_email="admin@acme.test", admin_name="Ada")
        ws = self.workspace
        self.alan = create_user(ws, email="alan@acme.test", name="Alan Agent")
        self.billing = create_user(ws, email="billing@acme.test", name="Bill Billing")
        old = datetime.now(timezone.utc) - timedelta(days=400)
        self.old_account = create_account(ws, name="Globex", domains=["globex.test"], default_owner_id=self.alan.id)
        self.old_account.created_at = old
        self.new_account = create_account(ws, name="Initech", domains=["initech.test"])
        self.old_contact = create_contact(ws, email="gina@globex.test", name="Gina")
        self.new_contact = create_contact(ws, email="ian@initech.test", name="Ian")
        self.loner = create_contact(ws, email="lou@gmail.test", name="Lou")
        commit()

    def start(self, contact, body="Hello, I need help", **kwargs):
        conversation = conversations.start_conversation(
            self.workspace, body=body, channel=kwargs.pop("channel", "widget"), contact=contact, **kwargs
        )
        commit()
        return conversation


@pytest.fixture
def desk(make_app, enable_snapin):
    def build(*enabled: str) -> Desk:
        make_app(snapins=SNAPINS)
        desk = Desk()
        for snapin_id in enabled:
            enable_snapin(desk.workspace, snapin_id)
        return desk

    return build


@pytest.fixture
def events():
    received = []

    def receiver(sender, *, event):
        received.append(event)

    domain_event.connect(receiver)
    yield received
    domain_event.disconnect(receiver)


def _notes(conversation: Conversation) -> list[str]:
    return [m.body for m in conversation.messages if m.author_kind == "system" and m.internal]


# -- routing -------------------------------------------------------------------------------------


def test_without_snapins_the_account_default_owner_gets_the_conversation(desk):
    d = desk()
    conversation = d.start(d.old_contact)
    assert conversation.creator_kind == "rev" and conversation.account_id == d.old_account.id
    assert conversation.owner_id == d.alan.id
    assert conversation.routed_by == "core: default owner of account Globex"
    assert _notes(conversation) == ["Routed to Alan Agent — core: default owner of account Globex"]
    assert conversation.stage == Stage.NEW
    first = conversation.stage_changes[0]
    assert (first.from_stage, first.to_stage, first.by_kind, first.by_contact_id) == (None, "new", "rev", d.old_contact.id)


def test_without_account_or_default_owner_the_conversation_is_unassigned(desk):
    d = desk()
    for contact in (d.loner, d.new_contact):  # no account; account without default owner
        conversation = d.start(contact)
        assert conversation.owner_id is None
        assert conversation.routed_by == "core: unassigned (no account default owner)"
        assert "unassigned" in _notes(conversation)[0]


def test_a_routing_snapin_wins_and_its_reason_is_in_the_history(desk, hook_calls):
    d = desk("test-router")
    conversation = d.start(d.old_contact, body="Where is my invoice?")
    assert conversation.owner_id == d.billing.id
    assert conversation.routed_by == "test-router: rule 1: 'invoice' -> billing"
    assert _notes(conversation) == ["Routed to Bill Billing — test-router: rule 1: 'invoice' -> billing"]
    assert {t.tag: t.value for t in conversation.tags} == {"priority": None}
    assert conversation.priority == "p1"
    assert [c.hook for c in hook_calls] == ["snapdesk_route_conversation"]

    other = d.start(d.old_contact, body="Password reset please")  # the router abstains
    assert other.owner_id == d.alan.id and other.routed_by.startswith("core:")


def test_a_router_answering_with_an_owner_of_another_workspace_is_ignored(desk, monkeypatch):
    d = desk("test-foreign")
    rival = create_workspace(slug="rival", name="Rival")
    intruder = create_user(rival, email="mole@rival.test", name="Mole")
    commit()
    monkeypatch.setattr(ForeignRouter, "owner_id", intruder.id)

    conversation = d.start(d.old_contact)
    assert conversation.owner_id == d.alan.id
    assert conversation.routed_by == "core: default owner of account Globex"
    assert "Mole" not in " ".join(_notes(conversation))


def test_a_spam_verdict_suspends_and_skips_routing(desk, hook_calls):
    d = desk("test-spam", "test-router")
    conversation = d.start(d.old_contact, body="Win at the casino, invoice attached")
    assert conversation.stage == Stage.SUSPENDED
    change = conversation.stage_changes[-1]
    assert (change.from_stage, change.to_stage, change.by_kind, change.by_snapin, change.reason) == (
        "new", "suspended", "snapin", "test-spam", "mentions a casino",
    )
    assert conversation.owner_id is None and conversation.routed_by is None and _notes(conversation) == []
    assert "snapdesk_route_conversation" not in [c.hook for c in hook_calls]

    clean = d.start(d.old_contact, body="My invoice is wrong")  # not spam: routed as usual
    assert clean.stage == Stage.NEW and clean.owner_id == d.billing.id


def test_a_router_that_raises_does_not_lose_the_conversation(desk, hook_calls):
    d = desk("test-crash")
    conversation = d.start(d.old_contact, body="Please help")

    stored = get_scoped(Conversation, d.workspace.id, conversation.id)
    assert [m.body for m in stored.messages][0] == "Please help"
    assert stored.owner_id == d.alan.id and stored.routed_by.startswith("core: default owner")
    setting = db.session.scalar(select(SnapinSetting).where(SnapinSetting.snapin_id == "test-crash"))
    assert setting.failure_count == 1 and "router exploded" in setting.last_error
    assert hook_calls[-1].failed


def test_agent_started_conversations_are_owned_by_the_agent_and_not_routed(desk, hook_calls):
    d = desk("test-router")
    conversation = conversations.start_conversation(
        d.workspace, body="About your invoice", channel="email", user=d.billing
    )
    assert conversation.creator_kind == "dev" and conversation.owner_id == d.billing.id
    assert hook_calls == []


def test_start_conversation_validates_its_input(desk):
    d = desk()
    with pytest.raises(ValidationError) as raised:
        conversations.start_conversation(d.workspace, body="  ", title="x" * 301, channel="fax", contact=d.loner)
    assert set(raised.value.fields) == {"body", "title", "channel"}
    assert db.session.scalar(select(Conversation.id)) is None


# -- priority ------------------------------------------------------------------------------------


def test_priority_rule_existing_new_and_unidentified_orgs(desk):
    d = desk()
    assert d.start(d.old_contact).priority == "p2"
    assert d.start(d.new_contact).priority == "p3"
    assert d.start(d.loner).priority == "p3"


def test_default_priority_is_a_pure_function_of_the_account_age():
    now = datetime(2024, 6, 1, tzinfo=timezone.utc)
    days = conversations.NEW_ACCOUNT_DAYS
    assert conversations.default_priority(Account(name="Old", created_at=now - timedelta(days=days + 1)), now) == "p2"
    assert conversations.default_priority(Account(name="New", created_at=now - timedelta(days=days - 1)), now) == "p3"
    assert conversations.default_priority(None, now) == "p3"


def test_set_priority_is_validated(desk):
    d = desk()
    conversation = d.start(d.loner)
    conversations.set_priority(d.workspace, conversation, "p0")
    assert conversation.priority == "p0"
    with pytest.raises(ValidationError):
        conversations.set_priority(d.workspace, conversation, "urgent")


# -- times from history --------------------------------------------------------------------------


def test_first_response_and_resolution_times_come_from_the_stage_history(desk):
    d = desk()
    conversation = d.start(d.old_contact)
    assert conversations.first_response_seconds(conversation) is None
    conversations.post_message(d.workspace, conversation, body="On it", author_user=d.alan)
    conversations.post_message(d.workspace, conversation, body="Thanks, still broken", author_contact=d.old_contact)
    conversations.change_stage(d.workspace, conversation, Stage.RESOLVED, by_kind="dev", by_user=d.alan)
    commit()

    start = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    conversation.created_at = start
    changes = {(c.from_stage, c.to_stage): c for c in conversation.stage_changes}
    changes[("new", "waiting_on_user")].at = start + timedelta(minutes=45)
    changes[("waiting_on_user", "needs_response")].at = start + timedelta(hours=2)
    changes[("needs_response", "resolved")].at = start + timedelta(hours=5)
    # first_response_at is a denormalised copy; the metric must not read it.
    conversation.first_response_at = start + timedelta(days=9)
    commit()
    db.session.expire_all()

    stored = get_scoped(Conversation, d.workspace.id, conversation.id)
    assert conversations.first_response_seconds(stored) == 45 * 60
    assert conversations.resolution_seconds(stored) == 5 * 3600


def test_first_public_agent_reply_stamps_first_response_at_but_internal_notes_do_not(desk):
    d = desk()
    conversation = d.start(d.old_contact)
    conversations.post_message(d.workspace, conversation, body="note", author_user=d.alan, internal=True)
    assert conversation.first_response_at is None
    reply = conversations.post_message(d.workspace, conversation, body="Hi!", author_user=d.alan)
    assert conversation.first_response_at is not None
    assert abs((conversation.first_response_at - reply.created_at).total_seconds()) < 5


# -- events --------------------------------------------------------------------------------------


def test_events_are_published_after_commit_only(desk, events):
    d = desk()
    events.clear()
    conversation = conversations.start_conversation(d.workspace, body="Hi", channel="portal", contact=d.old_contact)
    conversations.post_message(d.workspace, conversation, body="Hello Gina", author_user=d.alan)
    assert events == []

    commit()
    assert [e.name for e in events] == ["conversation_created", "stage_changed", "message_posted"]
    created = events[0]
    assert created.workspace_id == d.workspace.id
    # The snapshot is taken after the decisions: it carries the routed owner.
    assert created.payload["conversation"]["owner_id"] == d.alan.id
    assert created.payload["conversation"]["stage"] == "new"
    assert created.payload["message"]["body"] == "Hi"
    assert events[1].payload["change"]["to_stage"] == "waiting_on_user"


def test_conversation_events_reach_snapins_after_commit_as_snapshots(desk, hook_calls, run_jobs):
    d = desk("test-listener")
    conversation = conversations.start_conversation(d.workspace, body="Hi", channel="widget", contact=d.old_contact)
    conversations.post_message(d.workspace, conversation, body="Hello", author_user=d.alan)
    commit()
    assert hook_calls == []  # background hooks run as jobs, not on the request path

    run_jobs()
    calls = {c.hook: c for c in hook_calls}
    assert not any(c.failed for c in hook_calls)
    assert set(calls) == {"snapdesk_conversation_created", "snapdesk_stage_changed", "snapdesk_message_posted"}
    created = calls["snapdesk_conversation_created"].kwargs
    assert created["conversation"].owner_id == d.alan.id and created["message"].body == "Hi"
    change = calls["snapdesk_stage_changed"].kwargs["change"]
    assert (change.from_stage, change.to_stage, change.by_kind) == ("new", "waiting_on_user", "dev")
    assert calls["snapdesk_message_posted"].kwargs["message"].author_kind == "dev"


def test_events_of_a_rolled_back_transaction_are_dropped(desk, events):
    d = desk()
    events.clear()
    conversations.start_conversation(d.workspace, body="Hi", channel="portal", contact=d.old_contact)
    rollback()
    commit()
    assert events == []
    assert db.session.scalar(select(Conversation.id)) is None


# -- tags and owners -----------------------------------------------------------------------------


def test_tags_are_validated(desk, events):
    d = desk()
    conversation = d.start(d.loner)
    events.clear()
    conversations.set_tag(d.workspace, conversation, "stalled")
    conversations.set_tag(d.workspace, conversation, "Fast moving")
    conversations.set_tag(d.workspace, conversation, "resolution", "fixed")
    commit()
    assert {t.tag: t.value for t in conversation.tags} == {"fast_moving": None, "resolution": "fixed", "stalled": None}
    assert [e.name for e in events] == ["conversation_updated"] * 3

    with pytest.raises(ValidationError) as unknown:
        conversations.set_tag(d.workspace, conversation, "vip")
    assert "stalled" in unknown.value.fields["tag"][0] and "resolution" in unknown.value.fields["tag"][0]
    with pytest.raises(ValidationError):
        conversations.set_tag(d.workspace, conversation, "resolution")  # needs a value
    with pytest.raises(ValidationError):
        conversations.set_tag(d.workspace, conversation, "blocked", "yes")  # takes none

    conversations.remove_tag(d.workspace, conversation, "stalled")
    commit()
    assert sorted(t.tag for t in conversation.tags) == ["fast_moving", "resolution"]


def test_assign_needs_a_user_of_this_workspace_and_leaves_a_note(desk):
    d = desk()
    conversation = d.start(d.old_contact)
    conversations.assign(d.workspace, conversation, d.billing.id, reason="billing question", by_user=d.alan)
    commit()
    assert conversation.owner_id == d.billing.id
    assert _notes(conversation)[-1] == "Reassigned to Bill Billing — billing question"

    rival = create_workspace(slug="rival", name="Rival")
    mole = create_user(rival, email="mole@rival.test", name="Mole")
    with pytest.raises(NotFound):
        conversations.assign(d.workspace, conversation, mole.id)
    assert conversation.owner_id == d.billing.id


def test_escalate_holds_the_conversation_on_a_ticket_of_the_same_workspace(desk):
    from core.models import Ticket

    d = desk()
    conversation = d.start(d.old_contact)
    ticket = Ticket(workspace_id=d.workspace.id, title="Export bug", stage="queued")
    db.session.add(ticket)
    commit()
    with pytest.raises(IllegalTransition):  # only from Needs response
        conversations.escalate(d.workspace, conversation, ticket_id=ticket.id, by_user=d.alan)

    conversations.post_message(d.workspace, conversation, body="Checking", author_user=d.alan)
    conversations.post_message(d.workspace, conversation, body="Still broken", author_contact=d.old_contact)
    with pytest.raises(NotFound):
        conversations.escalate(d.workspace, conversation, ticket_id=ticket.id + 999, by_user=d.alan)
    conversations.escalate(d.workspace, conversation, ticket_id=ticket.id, by_user=d.alan)
    commit()
    assert conversation.stage == Stage.HOLD and conversation.ticket_id == ticket.id
    assert "escalated" in {t.tag for t in conversation.tags}


# -- lists ---------------------------------------------------------------------------------------


def test_list_conversations_filters_and_counts(desk):
    d = desk("test-spam", "test-router")
    gina_1 = d.start(d.old_contact, body="Export fails", channel="email")
    gina_2 = d.start(d.old_contact, body="My invoice is wrong")
    ian = d.start(d.new_contact, body="How do I sign in?", channel="portal")
    spam = d.start(d.loner, body="Cheap casino chips")
    conversations.set_tag(d.workspace, ian, "blocked")
    conversations.post_message(d.workspace, gina_1, body="Looking", author_user=d.alan)
    commit()

    def ids(**filters):
        rows, total = conversations.list_conversations(d.workspace.id, **filters)
        assert total == len(rows)
        return {c.id for c in rows}

    assert ids() == {gina_1.id, gina_2.id, ian.id}  # suspended is hidden by default
    assert ids(include_hidden=True) == {gina_1.id, gina_2.id, ian.id, spam.id}
    assert ids(stages=["suspended"]) == {spam.id}
    assert ids(stages=["new", "waiting_on_user"]) == {gina_1.id, gina_2.id, ian.id}
    assert ids(stages=["waiting_on_user"]) == {gina_1.id}
    assert ids(owner_id=d.billing.id) == {gina_2.id}
    assert ids(tag="blocked") == {ian.id}
    assert ids(priority="p3") == {ian.id}
    assert ids(channel="email") == {gina_1.id}
    assert ids(account_id=d.old_account.id) == {gina_1.id, gina_2.id}
    assert ids(contact_id=d.new_contact.id) == {ian.id}

    page, total = conversations.list_conversations(d.workspace.id, sort="created_at", limit=2, offset=1)
    assert total == 3 and [c.id for c in page] == [gina_2.id, ian.id]
    newest_first, _ = conversations.list_conversations(d.workspace.id, sort="-id")
    assert [c.id for c in newest_first] == [ian.id, gina_2.id, gina_1.id]

    for bad in ({"stages": ["closed"]}, {"priority": "high"}, {"channel": "fax"}, {"sort": "owner"}, {"tag": "vip"}):
        with pytest.raises(ValidationError):
            conversations.list_conversations(d.workspace.id, **bad)

    counts = conversations.stage_counts(d.workspace.id)
    assert counts == {
        "new": 2, "suspended": 1, "waiting_on_user": 1, "needs_response": 0, "hold": 0, "resolved": 0, "archived": 0,
    }


def test_workspaces_never_see_each_others_conversations(desk):
    d = desk()
    ours = d.start(d.old_contact, body="ours")
    rival = create_workspace(slug="rival", name="Rival")
    outsider = create_contact(rival, email="olga@rival.test")
    theirs = conversations.start_conversation(rival, body="theirs", channel="widget", contact=outsider)
    commit()

    listed, total = conversations.list_conversations(d.workspace.id, include_hidden=True)
    assert [c.id for c in listed] == [ours.id] and total == 1
    assert conversations.stage_counts(rival.id)["new"] == 1
    with pytest.raises(NotFound):
        get_scoped(Conversation, d.workspace.id, theirs.id)
    with pytest.raises(NotFound):  # services refuse a row of another tenant
        conversations.post_message(d.workspace, theirs, body="hi", author_user=d.alan)
    with pytest.raises(NotFound):  # nor a person of another tenant
        conversations.post_message(d.workspace, ours, body="hi", author_contact=outsider)
    assert db.session.scalar(select(Message.id).where(Message.body == "hi")) is None
    assert db.session.scalars(select(StageChange).where(StageChange.workspace_id == rival.id)).all()
