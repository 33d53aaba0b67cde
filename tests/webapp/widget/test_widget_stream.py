"""The widget's live stream: customer-safe projections; internal notes never reach the visitor."""

from __future__ import annotations

from core import conversations
from core.db import commit, db
from core.live import LiveMessage
from core.models import Conversation, User
from core.runtime import get_runtime
from webapp.widget.stream import project, widget_stream


def test_projection_drops_agent_only_messages_and_agent_fields():
    summary = {"conversation": {"id": 3, "stage": "waiting_on_user", "owner_id": 9, "priority": "p3", "tags": {"x": None}},
               "message": {"id": 5, "body": "Hi", "author_kind": "dev", "internal": False, "author_user_id": 9}}
    data = project(LiveMessage("ws:1:conversation:3", "message_posted", "all", summary))
    assert data == {"conversation": {"id": 3, "stage": "waiting_on_user"},
                    "message": {"id": 5, "body": "Hi", "author_kind": "dev", "created_at": None}}
    assert project(LiveMessage("ws:1:conversation:3", "message_posted", "agents", summary)) is None
    internal = {**summary, "message": {**summary["message"], "internal": True}}
    assert project(LiveMessage("ws:1:conversation:3", "message_posted", "all", internal)) is None


def test_the_stream_delivers_public_replies_but_not_internal_notes(workspace, client, visit):
    visitor = visit()
    started = visitor.start("Help")
    conversation = db.session.get(Conversation, started["id"])
    agent = db.session.query(User).filter_by(workspace_id=workspace.id, email="agent@acme.test").one()
    app = client.application
    with app.test_request_context():
        chunks = widget_stream(workspace.id, conversation.id, keepalive=0.1).response
        assert next(chunks).startswith("retry:")
        conversations.post_message(workspace, conversation, body="internal only", author_user=agent, internal=True)
        conversations.post_message(workspace, conversation, body="Public answer", author_user=agent)
        commit()
        text = ""
        while "Public answer" not in text:
            text += next(chunks)
        chunks.close()
    assert "internal only" not in text and "event: message_posted" in text and "owner_id" not in text
    assert get_runtime().live is not None


def test_the_events_endpoint_accepts_the_session_token_as_a_query_parameter(workspace, client, visit):
    visitor = visit()
    started = visitor.start("Help")
    url = f"/widget/api/acme/conversations/{started['id']}/events"
    assert client.get(url).status_code == 401
    response = client.get(f"{url}?token={visitor.token}", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert next(response.response).startswith(b"retry:")
    response.close()
