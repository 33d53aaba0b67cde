"""``/inbox/<slug>/events``: an agent's stream carries this workspace's events only."""

from __future__ import annotations

import json

from core import conversations
from core.db import commit, db
from core.models import Contact, Workspace


def read_until(response, event: str, limit: int = 20) -> dict:
    """Read SSE chunks until ``event`` arrives; its data."""
    buffer = ""
    chunks = iter(response.response)
    for _ in range(limit):
        buffer += _text(next(chunks))
        for block in buffer.split("\n\n"):
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
            if lines.get("event") == event:
                return json.loads(lines["data"])
    raise AssertionError(f"no {event} event in {buffer!r}")


def _text(chunk) -> str:
    return chunk.decode() if isinstance(chunk, bytes) else chunk


def start(slug: str, contact_id: int, body: str) -> int:
    workspace = db.session.query(Workspace).filter_by(slug=slug).one()
    contact = db.session.get(Contact, contact_id)
    conversation = conversations.start_conversation(workspace, body=body, channel="widget", contact=contact)
    commit()
    return conversation.id


def test_the_stream_carries_new_conversations_of_this_workspace_only(agent_client, desk, other_desk):
    ours, theirs = desk.customer.id, other_desk.customer.id
    response = agent_client.get("/inbox/acme/events", buffered=False)
    try:
        assert response.status_code == 200
        assert response.mimetype == "text/event-stream"
        start("globex", theirs, "Globex private")
        conversation_id = start("acme", ours, "Acme question")
        data = read_until(response, "conversation_created")
        assert data["conversation"]["id"] == conversation_id
        assert data["message"]["body"] == "Acme question"
    finally:
        response.close()


def test_a_conversation_stream_of_another_workspace_is_404(agent_client, desk, other_desk):
    theirs = other_desk.start("Globex private")
    assert agent_client.get(f"/inbox/acme/events?conversation={theirs.id}").status_code == 404
    assert agent_client.get("/inbox/acme/events?ticket=999").status_code == 404
    assert agent_client.get("/inbox/acme/events?conversation=abc").status_code == 404
