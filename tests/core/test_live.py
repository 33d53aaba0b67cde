"""Live updates: which channels and audiences each event reaches; both brokers deliver."""

from __future__ import annotations

import os
import threading

import pytest

from core.events import DomainEvent
from core.live import (
    LiveMessage,
    MemoryBroker,
    RedisBroker,
    conversation_channel,
    inbox_channel,
    messages_for,
    ticket_channel,
)


def event(name, **payload):
    return DomainEvent(name=name, workspace_id=7, payload=payload)


def test_a_customer_message_goes_to_the_inbox_and_the_conversation():
    messages = messages_for(event("message_posted", conversation={"id": 3}, message={"id": 9, "internal": False}))
    assert [(m.channel, m.audience) for m in messages] == [(inbox_channel(7), "agents"), (conversation_channel(7, 3), "all")]


def test_internal_notes_and_comments_are_for_agents_only():
    note = messages_for(event("message_posted", conversation={"id": 3}, message={"id": 9, "internal": True}))
    assert {m.audience for m in note} == {"agents"}
    comment = messages_for(event("comment_added", ticket={"id": 4}, comment={"id": 1, "visibility": "internal"}))
    assert {m.audience for m in comment} == {"agents"}
    public = messages_for(event("comment_added", ticket={"id": 4}, comment={"id": 1, "visibility": "external"}))
    assert (ticket_channel(7, 4), "all") in [(m.channel, m.audience) for m in public]


def test_contact_events_produce_nothing_live():
    assert messages_for(event("contact_created", contact={"id": 1})) == []


def _roundtrip(broker):
    subscription = broker.subscribe(["ws:1:inbox"])
    try:
        message = LiveMessage("ws:1:inbox", "message_posted", "agents", {"n": 1})
        threading.Timer(0.2, broker.publish, args=(message,)).start()
        broker.publish(LiveMessage("ws:2:inbox", "message_posted", "agents", {"n": 2}))  # other workspace
        received = next(m for m in subscription.messages(timeout=5) if m is not None)
        return received
    finally:
        subscription.close()


def test_memory_broker_delivers_to_subscribers_of_the_channel_only():
    assert _roundtrip(MemoryBroker()).data == {"n": 1}


def test_redis_broker_delivers_through_redis():
    broker = RedisBroker(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15")
    broker.connection.ping()
    assert _roundtrip(broker).data == {"n": 1}


def test_committed_events_reach_the_live_broker(workspace):
    from core.conversations import start_conversation
    from core.db import commit
    from core.people import create_contact
    from core.runtime import get_runtime

    broker = get_runtime().live
    subscription = broker.subscribe([inbox_channel(workspace.id)])
    contact = create_contact(workspace, email="jo@x.test", verified=True)
    start_conversation(workspace, body="Hello", channel="widget", contact=contact)
    assert subscription.inbox.empty()  # nothing before commit
    commit()
    message = subscription.inbox.get(timeout=2)
    assert message.event == "conversation_created" and message.data["message"]["body"] == "Hello"
    subscription.close()


def test_the_sse_stream_filters_agent_only_messages_for_customers(app):
    from core.runtime import get_runtime
    from webapp.live import event_stream

    broker = get_runtime().live
    with app.test_request_context():
        response = event_stream(["ws:1:conversation:3"], agent=False, keepalive=0.1)
        chunks = response.response
        assert next(chunks).startswith("retry:")
        broker.publish(LiveMessage("ws:1:conversation:3", "message_posted", "agents", {"secret": True}))
        broker.publish(LiveMessage("ws:1:conversation:3", "message_posted", "all", {"hello": 1}))
        text = ""
        while "hello" not in text:
            text += next(chunks)
        assert "secret" not in text and 'event: message_posted\ndata: {"hello":1}' in text
        chunks.close()
