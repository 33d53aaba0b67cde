"""Settings > Portal > Appearance in real headless Chromium: the live preview follows the admin's
typing, the real portal changes only on Publish (CSRF on)."""

from __future__ import annotations

import pytest

from core.db import db
from core.portal_settings import get_settings

SCREENSHOT = "/tmp/portal-appearance-preview.png"
NEW_ACCENT = "#e11d48"
NEW_ACCENT_RGB = "rgb(225, 29, 72)"


@pytest.fixture
def app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _accent_of(frame_or_page) -> str:
    return frame_or_page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")


def _link_colour(frame_or_page) -> str:
    """The computed colour of a portal link (portal.css: ``a { color: var(--accent) }``)."""
    return frame_or_page.evaluate(
        "(() => { const a = document.createElement('a'); a.href = '#'; a.textContent = 'x';"
        " document.body.appendChild(a); const c = getComputedStyle(a).color; a.remove(); return c; })()"
    )


@pytest.mark.browser
def test_preview_follows_typing_and_portal_changes_on_publish(app, workspace, live_server, page, browser):
    server = live_server()
    page.goto(server.url("/inbox/acme/login?next=/settings/acme/portal"))
    page.fill("#login-email", "admin@acme.test")
    page.fill("#login-password", "admin-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/settings/acme/portal")

    preview = page.frame_locator("#portal-preview")
    preview.locator(".portal-company").wait_for()
    assert preview.locator(".portal-company").inner_text() == "Acme"  # the workspace name until one is set

    page.fill("#appearance-company_name", "Preview Industries")
    page.locator("#appearance-accent_color").fill(NEW_ACCENT)
    page.fill("#appearance-hero_title", "Welcome to the preview")
    preview.locator(".portal-company", has_text="Preview Industries").wait_for()
    preview.locator("h1", has_text="Welcome to the preview").wait_for()
    page.wait_for_function(
        "() => { const f = document.getElementById('portal-preview'); return f.contentDocument &&"
        " getComputedStyle(f.contentDocument.documentElement).getPropertyValue('--accent').trim() === '%s'; }" % NEW_ACCENT
    )
    frame = page.frame(url=lambda url: "/portal/preview" in url)
    assert _accent_of(frame) == NEW_ACCENT
    assert _link_colour(frame) == NEW_ACCENT_RGB
    page.screenshot(path=SCREENSHOT, full_page=False)

    # Not published yet: the real portal, in another browser, still shows the old look.
    visitor = browser.new_context()
    portal = visitor.new_page()
    portal.goto(server.url("/acme/"))
    assert portal.locator(".portal-company").inner_text() == "Acme"
    assert _accent_of(portal) == "#4f46e5"
    db.session.rollback()
    assert get_settings(workspace)["appearance"]["company_name"] == ""

    page.click("#appearance-form button[type=submit]")
    page.wait_for_url("**/settings/acme/portal#appearance")
    assert "The appearance is published" in page.locator(".flashes").inner_text()

    portal.goto(server.url("/acme/"))
    assert portal.locator(".portal-company").inner_text() == "Preview Industries"
    assert _accent_of(portal) == NEW_ACCENT
    assert _link_colour(portal) == NEW_ACCENT_RGB
    assert "Welcome to the preview" in portal.locator("h1").first.inner_text()
    visitor.close()
    db.session.rollback()
    look = get_settings(workspace)["appearance"]
    assert look["company_name"] == "Preview Industries" and look["accent_color"] == NEW_ACCENT
    assert server.errors == []
