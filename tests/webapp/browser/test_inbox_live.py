"""The inbox in real headless Chromium (CSRF on): a customer's widget conversation appears live,
the agent replies, the customer answers, the agent resolves; stages move exactly as the rules say."""

from __future__ import annotations

import pytest

SCREENSHOT_LIST = "/tmp/inbox-list.png"
SCREENSHOT_CONVERSATION = "/tmp/inbox-conversation.png"


@pytest.fixture
def app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def widget(customer, server, path: str, body: dict, token: str | None = None) -> dict:
    """Call the widget API as the customer's browser would (JSON, bearer session token)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = customer.request.post(server.url(f"/widget/api/acme{path}"), data=body, headers=headers)
    assert response.ok, response.text()
    return response.json()


@pytest.mark.browser
def test_agent_sees_a_widget_conversation_live_replies_and_resolves(app, workspace, live_server, browser, page):
    from playwright.sync_api import expect

    server = live_server(app)
    customer = browser.new_context()
    script_errors: list = []
    page.on("pageerror", lambda error: script_errors.append(error))
    try:
        # The agent signs in and lands on the inbox, which opens its live stream.
        page.goto(server.url("/inbox/acme/"))
        page.get_by_label("Email").fill("agent@acme.test")
        page.get_by_label("Password").fill("agent-pass-1")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="All open")).to_be_visible()
        expect(page.locator("#inbox-app")).to_have_attribute("data-live", "open")
        expect(page.locator("#empty-list")).to_be_visible()

        # The customer starts a chat in the widget: it appears without a reload, with a Reply button.
        token = widget(customer, server, "/session", {})["token"]
        started = widget(customer, server, "/conversations", {"body": "My <b>export</b> is stuck at 99%"}, token)
        conversation_id = started["conversation"]["id"]
        row = page.locator(f'.conversation-row[data-conversation-id="{conversation_id}"]')
        expect(row).to_be_visible()
        expect(row.locator(".col-title")).to_have_text("My <b>export</b> is stuck at 99%")  # text, not markup
        expect(row.locator(".stage-badge")).to_have_text("New")
        expect(page.locator('[data-count-for="new"]')).to_have_text("1")
        expect(page.locator("#empty-list")).to_be_hidden()

        # Keyboard: j selects the row; ? shows the help; Esc closes it.
        page.locator("body").press("j")
        expect(row).to_have_class("conversation-row stage-new arrived selected")
        page.keyboard.press("?")
        expect(page.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
        page.keyboard.press("Escape")
        page.screenshot(path=SCREENSHOT_LIST, full_page=True)

        # Reply: the composer is focused; the reply moves New -> Waiting on user.
        row.get_by_role("link", name="Reply").click()
        composer = page.locator("textarea#reply")
        expect(composer).to_be_focused()
        composer.fill("Thanks! We have restarted your export.")
        page.get_by_role("button", name="Send reply").click()
        expect(page.locator("#conversation-stage .stage-badge")).to_have_text("Waiting on user")
        expect(page.locator(".message").filter(has_text="We have restarted your export")).to_be_visible()
        expect(page.locator('[data-transition="resolved"]')).to_have_count(0)  # not legal from Waiting on user
        expect(page.locator("#inbox-app")).to_have_attribute("data-live", "open")

        # The customer answers in the widget: message and stage arrive live (Needs response).
        widget(customer, server, f"/conversations/{conversation_id}/messages", {"body": "Still stuck, sorry"}, token)
        expect(page.locator(".message.author-rev").filter(has_text="Still stuck, sorry")).to_be_visible()
        expect(page.locator("#conversation-stage .stage-badge")).to_have_text("Needs response")
        expect(page.locator('[data-transition="resolved"]')).to_have_count(1)

        # n switches the composer to an internal note (typing "n" in the field does not).
        page.locator("body").press("n")
        expect(page.locator("[data-composer-submit]")).to_have_text("Add internal note")
        composer.press("n")
        expect(composer).to_have_value("n")
        composer.fill("")
        page.locator("#conversation-title").click()
        page.screenshot(path=SCREENSHOT_CONVERSATION, full_page=True)

        # e resolves (legal from Needs response).
        page.keyboard.press("e")
        expect(page.locator("#conversation-stage .stage-badge")).to_have_text("Resolved")
        history = page.locator("#stage-history")
        for move in ("Created in New", "New → Waiting on user", "Waiting on user → Needs response", "Needs response → Resolved"):
            expect(history).to_contain_text(move)
        assert server.errors == []
        assert script_errors == []
    finally:
        customer.close()
