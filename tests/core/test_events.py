"""Domain events are published once, after commit; rollbacks drop them."""

from __future__ import annotations

import pytest

from core import events
from core.db import commit, db, rollback
from core.people import create_contact


@pytest.fixture
def received():
    got: list[events.DomainEvent] = []

    def receiver(sender, *, event):
        got.append(event)

    events.domain_event.connect(receiver)
    yield got
    events.domain_event.disconnect(receiver)


def test_events_are_released_only_after_commit(workspace, received):
    create_contact(workspace, email="a@x.test")
    assert received == []
    commit()
    assert [e.name for e in received] == ["contact_created"]
    assert received[0].payload["contact"]["email"] == "a@x.test"
    commit()  # a second commit does not publish the same event again
    assert len(received) == 1


def test_events_of_a_rolled_back_transaction_are_dropped(workspace, received):
    create_contact(workspace, email="a@x.test")
    rollback()
    commit()
    assert received == []


def test_a_failing_receiver_does_not_stop_the_others(workspace, received):
    def broken(sender, *, event):
        raise RuntimeError("receiver bug")

    events.domain_event.connect(broken)
    try:
        create_contact(workspace, email="a@x.test")
        commit()
    finally:
        events.domain_event.disconnect(broken)
    assert [e.name for e in received] == ["contact_created"]


def test_named_signal_receives_only_its_event(workspace):
    got = []

    def receiver(sender, *, event):
        got.append(sender)

    events.signals.signal("contact_created").connect(receiver)
    try:
        create_contact(workspace, email="a@x.test")
        commit()
    finally:
        events.signals.signal("contact_created").disconnect(receiver)
    assert got == ["contact_created"]


def test_unknown_event_names_are_refused(workspace):
    with pytest.raises(ValueError):
        events.emit(db.session, "contact_creatd", workspace.id, {})
