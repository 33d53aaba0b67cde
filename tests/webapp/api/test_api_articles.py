"""Articles over the API: CRUD, publish with notify, unpublish, search."""

from __future__ import annotations

BASE = "/workspaces/acme/articles"


def test_article_lifecycle(agent_api, agent, hook_calls):
    created = agent_api.post(BASE, {"title": "Reset your password", "description": "How to reset",
                                    "body": "# Reset\n\nClick **forgot**.", "body_format": "markdown"})
    assert created.status_code == 201, created.json
    article = created.json
    assert article["status"] == "draft" and article["author_user_id"] == agent.id
    assert "<strong>forgot</strong>" in article["body_html"] and article["body"].startswith("# Reset")

    patched = agent_api.patch(f"{BASE}/{article['id']}", {"title": "Reset a password", "visible_to": "verified"})
    assert patched.status_code == 200 and patched.json["title"] == "Reset a password"
    assert patched.json["visible_to"] == "verified"

    published = agent_api.post(f"{BASE}/{article['id']}/publish", {"notify": True, "comment": "Updated steps"})
    assert published.status_code == 200 and published.json["status"] == "published"
    assert published.json["published_at"] is not None
    assert agent_api.get(f"{BASE}?status=published").json["total"] == 1

    unpublished = agent_api.post(f"{BASE}/{article['id']}/unpublish")
    assert unpublished.json["status"] == "draft"
    assert agent_api.delete(f"{BASE}/{article['id']}").status_code == 204
    assert agent_api.get(f"{BASE}/{article['id']}").status_code == 404


def test_publish_emits_notify_and_comment(agent_api, workspace):
    from core import events

    seen = []

    def listener(name, event):
        seen.append(event)

    events.domain_event.connect(listener)
    try:
        article_id = agent_api.post(BASE, {"title": "T", "body": "<p>x</p>"}).json["id"]
        assert agent_api.post(f"{BASE}/{article_id}/publish", {"notify": True, "comment": "New!"}).status_code == 200
    finally:
        events.domain_event.disconnect(listener)
    published = [e for e in seen if e.name == "article_published"]
    assert len(published) == 1
    assert published[0].payload["notify"] is True and published[0].payload["comment"] == "New!"
    assert published[0].workspace_id == workspace.id


def test_linked_article_and_field_errors(agent_api):
    linked = agent_api.post(BASE, {"title": "Status page", "external_url": "https://status.example.test"})
    assert linked.status_code == 201 and linked.json["external_url"] == "https://status.example.test"
    both = agent_api.post(BASE, {"title": "x", "body": "b", "external_url": "https://e.test"})
    assert both.status_code == 422 and "external_url" in both.json["error"]["fields"]
    bad = agent_api.post(BASE, {"title": "", "visible_to": "everyone", "locale": "x"})
    assert bad.status_code == 422
    assert {"title", "visible_to", "locale"} <= set(bad.json["error"]["fields"])


def test_search_finds_published_articles_only(agent_api):
    draft = agent_api.post(BASE, {"title": "Refund policy draft", "body": "<p>refunds</p>"}).json
    live = agent_api.post(BASE, {"title": "Refund policy", "body": "<p>We refund within 30 days</p>"}).json
    agent_api.post(f"{BASE}/{live['id']}/publish")
    hits = agent_api.get(f"{BASE}/search?q=refund").json
    assert [h["article"]["id"] for h in hits["items"]] == [live["id"]]
    assert draft["id"] not in [h["article"]["id"] for h in hits["items"]]
    assert "<mark>" in hits["items"][0]["title_html"]
    assert agent_api.get(f"{BASE}/search").status_code == 422
    assert agent_api.get(f"{BASE}/search?q=x&limit=500").status_code == 422
