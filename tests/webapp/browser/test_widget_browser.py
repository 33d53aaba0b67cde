"""The PLuG widget in real Chromium, embedded in a static host page on ANOTHER origin (a second
HTTP server on another port), talking cross-origin to the desk served by ``live_server``."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import conversations
from core.db import commit, db
from core.identity import issue_widget_token
from core.models import Conversation, User
from core.people import create_contact
from core.portal_settings import update_settings
from core.stages import Stage

SCREENSHOT = "/tmp/snapdesk-widget-open.png"
HOME_SCREENSHOT = "/tmp/snapdesk-widget-home.png"

HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title>
<style>button {{ background: red !important; font-size: 40px !important; }} * {{ font-family: serif !important; }}</style>
</head><body><h1>Welcome to the shop</h1>
<script src="{desk}/widget/plug.js" data-workspace="acme"{token} async></script>
</body></html>"""


class HostSite:
    """A static site (the company's own website) on its own port, i.e. another origin than the desk."""

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.directory = directory
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, name: str, desk_url: str, user_token: str | None = None) -> str:
        token = f' data-user-token="{user_token}"' if user_token else ""
        (self.directory / name).write_text(HOST_PAGE.format(desk=desk_url, token=token))
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture
def host_site(tmp_path) -> Iterator[HostSite]:
    site = HostSite(tmp_path)
    yield site
    site.stop()


def agent(workspace) -> User:
    return db.session.query(User).filter_by(workspace_id=workspace.id, email="agent@acme.test").one()


def shadow_active_id(page) -> str:
    return page.evaluate(
        "() => { const a = document.getElementById('snapdesk-plug').shadowRoot.activeElement;"
        " return a ? (a.className || a.tagName) : ''; }"
    )


@pytest.mark.browser
def test_a_visitor_chats_cross_origin_and_sees_the_agent_reply_live(app, workspace, live_server, host_site, page):
    from playwright.sync_api import expect

    update_settings(workspace, {"widget": {
        "title": "Talk to Acme", "announcements": [{"title": "New: live chat", "body": "We answer within minutes."}],
    }})
    commit()
    desk = live_server(app)
    url = host_site.page("shop.html", desk.base_url)
    assert not url.startswith(desk.base_url)
    page.goto(url)

    launcher = page.locator("#snapdesk-plug button.launcher")
    expect(launcher).to_have_attribute("aria-label", "Open chat")
    # Keyboard: Enter on the focused launcher opens the panel and moves focus into it; Escape closes.
    launcher.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Talk to Acme")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("New: live chat")).to_be_visible()
    assert shadow_active_id(page) not in ("", "launcher")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert shadow_active_id(page) == "launcher"

    launcher.click()
    panel.get_by_role("button", name="Start a new conversation").click()
    box = panel.get_by_label("Your message")
    expect(box).to_be_focused()
    box.fill("My parcel never arrived")
    box.press("Enter")
    messages = panel.get_by_role("log", name="Messages")
    expect(messages.locator("li.msg.mine")).to_contain_text(["My parcel never arrived"])

    db.session.rollback()
    conversation = db.session.query(Conversation).filter_by(workspace_id=workspace.id).one()
    assert conversation.channel == "widget" and conversation.stage == Stage.NEW and conversation.contact.email is None

    # The agent answers (core services, as the inbox does): New -> Waiting on user, shown live.
    conversations.post_message(workspace, conversation, body="an internal note", author_user=agent(workspace), internal=True)
    conversations.post_message(workspace, conversation, body="Sorry! A new parcel is on its way.", author_user=agent(workspace))
    commit()
    reply = messages.locator("li.msg[data-author=dev]")
    expect(reply).to_contain_text(["Sorry! A new parcel is on its way."])
    expect(page.locator("#snapdesk-plug [role=status]")).to_contain_text("New message from Alan Agent")
    expect(panel.get_by_text("Waiting on user")).to_be_visible()
    expect(panel.get_by_text("an internal note")).to_have_count(0)
    page.screenshot(path=SCREENSHOT)

    # The visitor replies: Waiting on user -> Needs response. The agent resolves; the widget shows it.
    panel.get_by_label("Your reply").fill("Thanks, got it")
    panel.get_by_role("button", name="Send").click()
    expect(messages.locator("li.msg.mine")).to_have_count(2)
    db.session.rollback()
    conversation = db.session.get(Conversation, conversation.id)
    assert conversation.stage == Stage.NEEDS_RESPONSE
    conversations.change_stage(workspace, conversation, Stage.RESOLVED, by_kind="dev", by_user=agent(workspace))
    commit()
    expect(panel.get_by_text("Resolved")).to_be_visible()
    # Host CSS did not reach into the shadow root.
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 0, 0)"
    assert not desk.errors


@pytest.mark.browser
def test_an_identified_user_sees_past_conversations(app, workspace, live_server, host_site, page):
    from playwright.sync_api import expect

    update_settings(workspace, {"widget": {"theme": "dark", "alignment": "left", "spacing_horizontal": 40,
                                           "announcements": [{"title": "Status: all systems normal"}]}})
    carol = create_contact(workspace, email="carol@globex.test", name="Carol", verified=True)
    conversations.start_conversation(workspace, body="Old question", title="Billing address change", channel="email", contact=carol)
    commit()
    desk = live_server(app)
    page.goto(host_site.page("account.html", desk.base_url, issue_widget_token(workspace, email="carol@globex.test")))
    page.locator("#snapdesk-plug button.launcher").click()
    panel = page.get_by_role("dialog")
    past = panel.locator("button.conv")
    expect(past).to_have_count(1)
    expect(past).to_contain_text("Billing address change")
    box = page.locator("#snapdesk-plug button.launcher").bounding_box()
    assert box is not None and round(box["x"]) == 40  # left-aligned, 40 px from the edge
    page.screenshot(path=HOME_SCREENSHOT)
    past.click()
    expect(panel.get_by_role("log", name="Messages")).to_contain_text("Old question")


@pytest.mark.browser
def test_a_forged_user_token_shows_the_refusal(app, workspace, live_server, host_site, page):
    import time

    import jwt
    from playwright.sync_api import expect

    from core.identity import jwt_audience

    forged = jwt.encode(
        {"email": "carol@globex.test", "aud": jwt_audience(workspace), "exp": int(time.time()) + 300},
        "an-attacker-guessed-this-secret-value", algorithm="HS256",
    )
    desk = live_server(app)
    page.goto(host_site.page("forged.html", desk.base_url, forged))
    page.locator("#snapdesk-plug button.launcher").click()
    alert = page.get_by_role("dialog").get_by_role("alert")
    expect(alert).to_contain_text("This user token is not valid: its signature does not match")
    expect(page.get_by_role("button", name="Start a new conversation")).to_be_disabled()


@pytest.mark.browser
def test_articles_are_suggested_while_the_visitor_types(app, workspace, live_server, host_site, page):
    from playwright.sync_api import expect

    from core import articles

    article = articles.create_article(workspace, title="Reset your password", body="<p>Use the forgot password link.</p>")
    articles.publish_article(workspace, article)
    commit()
    desk = live_server(app)
    page.goto(host_site.page("kb.html", desk.base_url))
    page.locator("#snapdesk-plug button.launcher").click()
    panel = page.get_by_role("dialog")
    panel.get_by_role("button", name="Start a new conversation").click()
    panel.get_by_label("Your message").press_sequentially("I forgot my password")
    suggestion = panel.get_by_role("list", name="Suggested articles").get_by_role("link", name="Reset your password")
    expect(suggestion).to_be_visible()
    assert suggestion.get_attribute("href") == f"{desk.base_url}/acme/articles/{article.id}"
