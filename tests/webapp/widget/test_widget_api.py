"""The widget's JSON API: sessions (identified, anonymous, refused), conversations, isolation, CORS."""

from __future__ import annotations

import time

import jwt

from core import conversations
from core.db import commit, db
from core.identity import issue_widget_token, jwt_audience
from core.models import Contact, Conversation, User
from core.people import create_contact
from core.portal_settings import update_settings
from core.stages import Stage
from core.workspaces import create_workspace


def agent(workspace) -> User:
    return db.session.query(User).filter_by(workspace_id=workspace.id, email="agent@acme.test").one()


def test_anonymous_visitor_gets_a_session_and_starts_a_widget_conversation(workspace, visit):
    visitor = visit()
    conversation = visitor.start("My order is late", title="Order 42")
    assert conversation["stage"] == "new" and conversation["title"] == "Order 42"
    assert [m["body"] for m in conversation["messages"]] == ["My order is late"]
    stored = db.session.get(Conversation, conversation["id"])
    assert stored.channel == "widget" and stored.contact.email is None and stored.creator_kind == "rev"
    assert [c["id"] for c in visitor.get("/conversations").get_json()["conversations"]] == [conversation["id"]]


def test_identified_user_is_linked_by_email_and_sees_past_conversations(workspace, client, visit):
    carol = create_contact(workspace, email="carol@globex.test", name="Carol", verified=True)
    old = conversations.start_conversation(workspace, body="Earlier question", channel="email", contact=carol)
    commit()
    token = issue_widget_token(workspace, email="Carol@Globex.test", external_id="u-7")
    response = client.post("/widget/api/acme/session", json={"user_token": token})
    assert response.status_code == 201 and response.get_json()["identified"] is True
    visitor = visit(user_token=token)  # the same token works again: not one-time for the widget
    listed = visitor.get("/conversations").get_json()["conversations"]
    assert [c["id"] for c in listed] == [old.id]
    db.session.expire_all()
    assert db.session.get(Contact, carol.id).external_id == "u-7"


def test_identified_user_unknown_to_the_desk_gets_a_contact_found_again_by_external_id(workspace, visit):
    first = visit(user_token=issue_widget_token(workspace, email="new@x.test", name="Nia", external_id="ext-1"))
    first.start("Hi")
    # Same user id, changed email: still the same person.
    again = visit(user_token=issue_widget_token(workspace, email="renamed@x.test", external_id="ext-1"))
    assert len(again.get("/conversations").get_json()["conversations"]) == 1
    contact = db.session.query(Contact).filter_by(workspace_id=workspace.id, external_id="ext-1").one()
    assert contact.email == "new@x.test" and contact.name == "Nia" and contact.verified is False


def test_forged_expired_and_foreign_tokens_are_refused(workspace, client):
    now = int(time.time())
    claims = {"email": "eve@x.test", "aud": jwt_audience(workspace), "exp": now + 300}
    cases = {
        jwt.encode(claims, "not-the-secret-of-this-workspace-at-all", algorithm="HS256"): "signature",
        jwt.encode({**claims, "exp": now - 3600}, workspace.app_token_secret, algorithm="HS256"): "expired",
        jwt.encode({**claims, "aud": "snapdesk:other"}, workspace.app_token_secret, algorithm="HS256"): "audience",
        jwt.encode({"email": "eve@x.test", "aud": jwt_audience(workspace)}, workspace.app_token_secret, algorithm="HS256"): '"exp"',
        "garbage": "malformed",
    }
    for token, reason in cases.items():
        response = client.post("/widget/api/acme/session", json={"user_token": token})
        assert response.status_code == 401
        message = response.get_json()["error"]["message"]
        assert message.startswith("This user token is not valid: ") and reason in message
    assert db.session.query(Contact).filter_by(email="eve@x.test").count() == 0


def test_require_identity_refuses_anonymous_visitors(workspace, client, visit):
    update_settings(workspace, {"widget": {"require_identity": True}})
    commit()
    response = client.post("/widget/api/acme/session", json={})
    assert response.status_code == 401 and "signed user token" in response.get_json()["error"]["message"]
    assert client.get("/widget/api/acme/config").get_json()["require_identity"] is True
    visit(user_token=issue_widget_token(workspace, email="ok@x.test"))


def test_requests_without_a_valid_session_are_401(workspace, client):
    assert client.get("/widget/api/acme/conversations").status_code == 401
    bad = client.get("/widget/api/acme/conversations", headers={"Authorization": "Bearer forged.token"})
    assert bad.status_code == 401 and "session" in bad.get_json()["error"]["message"]


def test_messages_exclude_internal_notes_and_show_agent_replies(workspace, visit):
    visitor = visit()
    started = visitor.start("Help")
    conversation = db.session.get(Conversation, started["id"])
    conversations.post_message(workspace, conversation, body="secret note", author_user=agent(workspace), internal=True)
    conversations.post_message(workspace, conversation, body="Here to help", author_user=agent(workspace))
    commit()
    messages = visitor.get(f"/conversations/{started['id']}").get_json()["conversation"]["messages"]
    assert [(m["body"], m["author_kind"], m["mine"]) for m in messages] == [
        ("Help", "rev", True), ("Here to help", "dev", False),
    ]
    assert messages[1]["author_name"] == "Alan Agent"


def test_a_message_on_a_resolved_conversation_reopens_it_and_archived_ones_disappear(workspace, visit):
    visitor = visit()
    started = visitor.start("Help")
    conversation = db.session.get(Conversation, started["id"])
    helper = agent(workspace)
    conversations.post_message(workspace, conversation, body="Try this", author_user=helper)
    visitor_contact = conversation.contact
    conversations.post_message(workspace, conversation, body="It worked", author_contact=visitor_contact)
    conversations.change_stage(workspace, conversation, Stage.RESOLVED, by_kind="dev", by_user=helper)
    commit()
    listed = visitor.get("/conversations").get_json()["conversations"]
    assert listed[0]["stage"] == "resolved" and listed[0]["resolved"] is True

    response = visitor.post(f"/conversations/{started['id']}/messages", json={"body": "Broken again"})
    assert response.status_code == 201 and response.get_json()["conversation"]["stage"] == "needs_response"

    db.session.expire_all()
    conversation = db.session.get(Conversation, started["id"])
    conversations.change_stage(workspace, conversation, Stage.RESOLVED, by_kind="dev", by_user=helper)
    conversations.change_stage(workspace, conversation, Stage.ARCHIVED, by_kind="dev", by_user=helper)
    commit()
    assert visitor.get("/conversations").get_json()["conversations"] == []
    assert visitor.get(f"/conversations/{started['id']}").status_code == 404
    assert visitor.post(f"/conversations/{started['id']}/messages", json={"body": "hello?"}).status_code == 404


def test_several_conversations_per_visitor(workspace, visit):
    visitor = visit()
    first, second = visitor.start("One"), visitor.start("Two")
    ids = {c["id"] for c in visitor.get("/conversations").get_json()["conversations"]}
    assert ids == {first["id"], second["id"]}


def test_bad_input_is_422_with_field_messages(workspace, visit):
    visitor = visit()
    empty = visitor.post("/conversations", json={"body": "  "})
    assert empty.status_code == 422 and empty.get_json()["error"]["fields"]["body"]
    wrong_type = visitor.post("/conversations", json={"body": ["x"]})
    assert wrong_type.status_code == 422 and "body" in wrong_type.get_json()["error"]["fields"]
    not_json = visitor.client.post(
        visitor.url("/conversations"), data="body=hi", content_type="text/plain",
        headers={"Authorization": f"Bearer {visitor.token}"},
    )
    assert not_json.status_code == 422
    too_long = visitor.post("/conversations", json={"body": "x", "title": "t" * 400})
    assert too_long.status_code == 422 and "title" in too_long.get_json()["error"]["fields"]


def test_a_visitor_cannot_read_another_visitors_conversation(workspace, visit):
    alice, bob = visit(), visit()
    mine = alice.start("Alice's problem")
    assert bob.get(f"/conversations/{mine['id']}").status_code == 404
    assert bob.post(f"/conversations/{mine['id']}/messages", json={"body": "hi"}).status_code == 404
    assert bob.get(f"/conversations/{mine['id']}/events?token={bob.token}").status_code == 404
    assert bob.get("/conversations").get_json()["conversations"] == []


def test_a_session_of_workspace_a_is_worthless_in_workspace_b(workspace, client, visit):
    create_workspace(slug="globex", name="Globex")
    commit()
    acme_visitor = visit("acme")
    mine = acme_visitor.start("Acme question")
    headers = {"Authorization": f"Bearer {acme_visitor.token}"}
    assert client.get("/widget/api/globex/conversations", headers=headers).status_code == 401
    assert client.get(f"/widget/api/globex/conversations/{mine['id']}", headers=headers).status_code == 401
    globex_visitor = visit("globex")
    assert globex_visitor.get(f"/conversations/{mine['id']}").status_code == 404


def test_a_user_token_of_workspace_a_is_refused_by_workspace_b(workspace, client):
    create_workspace(slug="globex", name="Globex")
    commit()
    token = issue_widget_token(workspace, email="carol@globex.test")
    response = client.post("/widget/api/globex/session", json={"user_token": token})
    assert response.status_code == 401 and "not valid" in response.get_json()["error"]["message"]


def test_cors_headers_on_the_api_and_preflight(workspace, client):
    response = client.get("/widget/api/acme/config", headers={"Origin": "https://shop.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/widget/api/acme/conversations",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"},
    )
    assert preflight.status_code == 200
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    refused = client.get("/widget/api/acme/conversations", headers={"Origin": "https://shop.example"})
    assert refused.status_code == 401 and refused.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in client.post("/widget/api/acme/session", json={}).headers


def test_config_carries_the_widget_styling_and_nothing_else(workspace, client):
    update_settings(workspace, {"widget": {
        "title": "Talk to Acme", "alignment": "left", "spacing_horizontal": 40, "theme": "dark",
        "announcements": [{"title": "New pricing", "body": "From June", "url": "https://acme.test/pricing"}],
    }})
    commit()
    config = client.get("/widget/api/acme/config").get_json()
    assert config["title"] == "Talk to Acme" and config["alignment"] == "left" and config["theme"] == "dark"
    assert config["spacing_horizontal"] == 40 and config["announcements"][0]["title"] == "New pricing"
    assert "app_token_secret" not in str(config) and workspace.app_token_secret not in str(config)
    assert client.get("/widget/api/nope/config").status_code == 404
    assert client.get("/widget/api/nope/config").get_json()["error"]["status"] == 404


def test_article_search_suggests_public_articles_only_when_enabled(workspace, client):
    from core import articles

    helper = agent(workspace)
    public = articles.create_article(workspace, title="Reset your password", body="Click forgot password.", author=helper)
    articles.publish_article(workspace, public)
    private = articles.create_article(
        workspace, title="Password policy for admins", body="Admins reset password here.", author=helper, visible_to="customer_admins",
    )
    articles.publish_article(workspace, private)
    commit()
    found = client.get("/widget/api/acme/articles/search?q=password").get_json()["articles"]
    assert [a["title"] for a in found] == ["Reset your password"] and found[0]["url"].endswith(f"/articles/{public.id}")
    update_settings(workspace, {"widget": {"article_search": False}})
    commit()
    assert client.get("/widget/api/acme/articles/search?q=password").status_code == 404


def test_plug_js_is_served_small_and_the_demo_page_embeds_it(workspace, client):
    script = client.get("/widget/plug.js")
    assert script.status_code == 200 and "javascript" in script.content_type
    assert len(script.data) < 25_000 and b"attachShadow" in script.data
    page = client.get("/widget/demo/acme").get_data(as_text=True)
    assert 'src="http://localhost/widget/plug.js" data-workspace="acme"' in page
    assert client.get("/widget/demo/nope").status_code == 404
