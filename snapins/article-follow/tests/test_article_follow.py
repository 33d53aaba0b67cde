"""article-follow, tested with the snapdesk test kit only."""

from __future__ import annotations

import pytest

from hooks.testing import assert_valid_snapin
from hooks.types import Viewer
from snapdesk_article_follow import ArticleFollow, subscriber_ids


def test_contract():
    assert_valid_snapin(ArticleFollow)


@pytest.fixture
def desk(make_app, enable_snapin):
    from core.articles import create_article, publish_article
    from core.db import commit
    from core.people import create_account, create_contact
    from core.workspaces import create_workspace

    app = make_app(snapins={"article-follow": ArticleFollow})
    workspace = create_workspace(slug="acme", name="Acme")
    account = create_account(workspace, name="Globex", domains=["globex.test"])
    ann = create_contact(workspace, email="ann@globex.test", name="Ann", verified=True)
    bob = create_contact(workspace, email="bob@globex.test", name="Bob", verified=True)
    native = create_article(workspace, title="Reset your password", body="<p>Steps</p>", description="How to reset")
    linked = create_article(workspace, title="Status page", external_url="https://status.example.com")
    publish_article(workspace, native)
    publish_article(workspace, linked)
    commit()
    enable_snapin(workspace, "article-follow")
    return app, workspace, ann, bob, native, linked


def subscribe(client, workspace, article):
    return client.post(f"/{workspace.slug}/snapins/article-follow/articles/{article.id}/subscribe")


def test_signed_in_customers_subscribe_and_unsubscribe(desk, sign_in):
    app, workspace, ann, _, native, _ = desk
    client = app.test_client()
    sign_in(client, workspace, contact=ann)
    response = subscribe(client, workspace, native)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/articles/{native.id}?subscribed=1")
    from core.runtime import get_runtime
    from core.snapins.admin import get_setting

    context = get_runtime().dispatcher.make_context(workspace, get_setting(workspace, "article-follow"))
    assert subscriber_ids(context, native.id) == [ann.id]
    client.post(f"/{workspace.slug}/snapins/article-follow/articles/{native.id}/unsubscribe")
    assert subscriber_ids(context, native.id) == []


def test_signed_out_customers_are_sent_to_sign_in_and_back(desk):
    app, workspace, _, _, native, _ = desk
    response = app.test_client().get(f"/{workspace.slug}/snapins/article-follow/articles/{native.id}/subscribe")
    assert response.status_code == 302
    assert "/acme/login?next=" in response.headers["Location"]
    assert "subscribe" in response.headers["Location"]


def test_page_actions_offer_subscribe_only_for_native_articles(desk):
    from core.runtime import get_runtime
    from core.snapshots import article_info, contact_info

    app, workspace, ann, _, native, linked = desk
    dispatcher = get_runtime().dispatcher
    url = lambda a: f"http://portal.test/acme/articles/{a.id}"  # noqa: E731
    viewer = Viewer(kind="contact", contact=contact_info(ann))
    actions = dispatcher.collect("snapdesk_page_actions", workspace, page="article", subject=article_info(native, url), viewer=viewer)
    assert [a.id for answer in actions for a in answer.value] == ["subscribe"]
    actions = dispatcher.collect("snapdesk_page_actions", workspace, page="article", subject=article_info(linked, url), viewer=viewer)
    assert [a for answer in actions for a in answer.value] == []


def test_publish_and_notify_mails_each_subscriber_exactly_once(desk, sign_in, run_jobs, outbox):
    from core.articles import publish_article
    from core.db import commit

    app, workspace, ann, bob, native, _ = desk
    for contact in (ann, bob):
        client = app.test_client()
        sign_in(client, workspace, contact=contact)
        subscribe(client, workspace, native)
    run_jobs()
    outbox.clear()
    publish_article(workspace, native, notify=True, comment="We added a section on 2FA.")
    commit()
    queue = app.extensions["snapdesk"].jobs
    queue.pending.append(queue.pending[0])  # the job delivered twice (a retry): still one mail each
    run_jobs()
    assert sorted(m["To"] for m in outbox) == ["ann@globex.test", "bob@globex.test"]
    mail = outbox[0]
    assert mail["Subject"] == "[Acme] Update on Article – Reset your password"
    assert "Article Subscriber bot" in mail["From"]
    html = mail.get_body(("html",)).get_content()
    assert "We added a section on 2FA." in html and ">View</a>" in html and f"/acme/articles/{native.id}" in html


def test_plain_publish_and_the_portal_switch_send_nothing(desk, sign_in, run_jobs, outbox):
    from core.articles import publish_article
    from core.db import commit
    from core.portal_settings import update_settings

    app, workspace, ann, _, native, _ = desk
    client = app.test_client()
    sign_in(client, workspace, contact=ann)
    subscribe(client, workspace, native)
    publish_article(workspace, native, notify=False)
    commit()
    run_jobs()
    assert len(outbox) == 0
    update_settings(workspace, {"features": {"article_subscriptions": False}})
    publish_article(workspace, native, notify=True, comment="x")
    commit()
    run_jobs()
    assert len(outbox) == 0


def test_subscribers_are_listed_for_agents_only(desk, sign_in):
    from core.db import commit
    from core.people import create_user

    app, workspace, ann, _, native, _ = desk
    agent = create_user(workspace, email="agent@acme.test", name="Agent")
    commit()
    customer = app.test_client()
    sign_in(customer, workspace, contact=ann)
    subscribe(customer, workspace, native)
    url = f"/{workspace.slug}/snapins/article-follow/articles/{native.id}/subscribers?format=json"
    assert customer.get(url).status_code == 403
    agent_client = app.test_client()
    sign_in(agent_client, workspace, user=agent)
    assert agent_client.get(url).get_json()["subscribers"] == [{"id": ann.id, "email": "ann@globex.test", "name": "Ann"}]
