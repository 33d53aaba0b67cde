"""Settings > Snap-ins in real headless Chromium: sign in, fix an invalid config, enable, secrets stay hidden."""

from __future__ import annotations

import marshmallow
import pytest

from core.db import db
from core.snapins import admin
from hooks import Snapin

SECRET = "sk-browser-secret-9876"
SCREENSHOT = "/tmp/snapins-page.png"
ERROR_SCREENSHOT = "/tmp/snapins-page-errors.png"


class Screener(Snapin):
    title = "Screener"
    description = "Screens new conversations before they reach the inbox (test snap-in)."
    author = "Test Co"
    version = "2.0.1"

    class config_schema(marshmallow.Schema):  # noqa: N801 - the manifest's attribute name
        threshold = marshmallow.fields.Integer(
            load_default=5, validate=marshmallow.validate.Range(1, 10), metadata={"label": "Threshold", "help": "From 1 to 10."}
        )
        api_key = marshmallow.fields.String(required=True, metadata={"label": "API key", "secret": True})
        mode = marshmallow.fields.String(load_default="lenient", validate=marshmallow.validate.OneOf(["lenient", "strict"]))
        check_verified = marshmallow.fields.Boolean(load_default=False, metadata={"label": "Check verified contacts"})
        rules = marshmallow.fields.List(marshmallow.fields.Dict(), load_default=list, metadata={"label": "Rules"})


class Plain(Snapin):
    title = "Plain"
    description = "Takes no configuration (test snap-in)."


class FromTheFuture(Snapin):
    title = "From the future"
    compatibility = "snapdesk>=99"


@pytest.fixture
def app(make_app):
    # CSRF on: the forms must carry the token for this walk to succeed.
    return make_app(snapins={"screener": Screener, "plain": Plain, "future": FromTheFuture}, WTF_CSRF_ENABLED=True)


@pytest.mark.browser
def test_admin_enables_a_snapin_after_fixing_its_config(app, workspace, live_server, page):
    from playwright.sync_api import expect

    server = live_server(app)
    page.goto(server.url("/settings/acme/snapins"))

    # Anonymous: the sign-in form, which brings the admin back here.
    expect(page.get_by_role("heading", name="Sign in to Acme")).to_be_visible()
    page.get_by_label("Email").fill("admin@acme.test")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not right.")
    page.get_by_label("Password").fill("admin-pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(server.url("/settings/acme/snapins"))
    expect(page.get_by_role("heading", name="Snap-ins", exact=True)).to_be_visible()

    card = page.locator("#snapin-screener")
    expect(card.locator(".badge")).to_have_text("Disabled")
    expect(page.locator("#snapin-future .reason")).to_contain_text("snapdesk>=99")

    # An invalid value: the error shows beside the field, the input is kept, nothing is stored.
    card.get_by_label("Threshold").fill("42")
    card.get_by_label("API key").fill(SECRET)
    card.get_by_role("button", name="Enable").click()
    error = page.locator("#screener-threshold-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("less than or equal to 10")
    expect(card.get_by_label("Threshold")).to_have_value("42")
    expect(card.get_by_label("API key")).to_have_value("")  # a secret is never sent back
    expect(card.locator(".badge")).to_have_text("Disabled")
    assert admin.get_setting(workspace, "screener") is None
    card.screenshot(path=ERROR_SCREENSHOT)

    # Fixed: enabled, with a confirmation.
    card.get_by_label("Threshold").fill("3")
    card.get_by_label("API key").fill(SECRET)
    card.get_by_label("Check verified contacts").check()
    card.get_by_role("button", name="Enable").click()
    expect(page.get_by_role("status")).to_have_text("Screener is enabled.")
    expect(card.locator(".badge")).to_have_text("Enabled")
    expect(error).to_have_count(0)

    # Reloaded: the stored secret is not in the page; the hint says how to keep it.
    page.reload()
    expect(card.get_by_label("API key")).to_have_value("")
    expect(card.locator("#screener-api_key-help")).to_contain_text("leave empty to keep the current value")
    expect(card.get_by_label("Threshold")).to_have_value("3")
    expect(card.get_by_label("Check verified contacts")).to_be_checked()
    assert SECRET not in page.content()

    db.session.rollback()  # a new transaction sees what the server committed
    setting = admin.get_setting(workspace, "screener")
    assert setting.enabled and setting.config["api_key"] == SECRET and setting.config["threshold"] == 3

    page.screenshot(path=SCREENSHOT, full_page=True)
    assert server.errors == []


@pytest.mark.browser
def test_keyboard_reaches_the_form_and_submits_it(app, workspace, live_server, page):
    from playwright.sync_api import expect

    server = live_server(app)
    page.goto(server.url("/inbox/acme/login?next=/settings/acme/snapins"))
    expect(page.get_by_label("Email")).to_be_focused()  # autofocus on arrival; type only once it holds
    page.keyboard.type("admin@acme.test")
    page.keyboard.press("Tab")
    page.keyboard.type("admin-pass-1")
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.url("/settings/acme/snapins"))

    enable = page.locator("#snapin-plain").get_by_role("button", name="Enable")
    enable.focus()
    outline = enable.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    expect(page.locator("#snapin-plain .badge")).to_have_text("Enabled")
    page.locator("#snapin-plain").get_by_role("button", name="Disable").click()
    expect(page.locator("#snapin-plain .badge")).to_have_text("Disabled")
    expect(page.get_by_role("status")).to_have_text("Plain is disabled.")

    # A narrow screen: the settings menu moves above the content, nothing overflows sideways.
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/snapins-page-narrow.png")

    # Sign out from the navigation.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Acme")).to_be_visible()
    page.goto(server.url("/settings/acme/snapins"))
    expect(page.get_by_role("heading", name="Sign in to Acme")).to_be_visible()
