"""The portal's sign-in and tickets in real headless Chromium (CSRF on, mail over real SMTP)."""

from __future__ import annotations

import pytest
from portal_people import build_people

from core.identity import issue_widget_token
from core.mail import mailer_from_url
from webapp.testing.smtp import find_code

SCREENSHOT = "/tmp/portal-ticket-page.png"


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(mailer=mailer_from_url(smtp_sink.url), WTF_CSRF_ENABLED=True)


@pytest.fixture
def people(workspace):
    return build_people(workspace)


@pytest.fixture
def server(app, people, live_server):
    served = live_server(app)
    yield served
    assert served.errors == []


def _jwt_sign_in(page, server, workspace, email, then="/acme/tickets"):
    token = issue_widget_token(workspace, email=email)
    page.goto(server.url(f"/{workspace.slug}/login/jwt?token={token}&next={then}"))


@pytest.mark.browser
def test_otp_sign_in_with_the_code_from_real_mail(server, people, page, smtp_sink):
    from playwright.sync_api import expect

    page.goto(server.url("/acme/tickets"))
    expect(page.get_by_role("heading", name="Sign in to Acme")).to_be_visible()
    page.get_by_label("Email").fill("rita@globex.test")
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_text("We sent a 6-digit code to rita@globex.test.")).to_be_visible()
    expect(page.get_by_role("heading", name="Didn't get the code?")).to_be_visible()

    [message] = smtp_sink.wait_for(1)
    assert message.envelope_to == ("rita@globex.test",)
    page.get_by_role("textbox", name="Code").fill(find_code(message))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(server.url("/acme/tickets"))
    expect(page.get_by_role("link", name="Invoices fail to load")).to_be_visible()
    expect(page.locator(".profile-name")).to_have_text("Rita Reporter")


@pytest.mark.browser
def test_wrong_code_message_in_the_browser(server, people, page, smtp_sink):
    from playwright.sync_api import expect

    page.goto(server.url("/acme/login"))
    page.get_by_label("Email").fill("rita@globex.test")
    page.get_by_role("button", name="Email me a code").click()
    [message] = smtp_sink.wait_for(1)
    wrong = "000000" if find_code(message) != "000000" else "111111"
    page.get_by_role("textbox", name="Code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That code is not right. 4 attempts left.")


@pytest.mark.browser
def test_jwt_sign_in(server, people, page):
    from playwright.sync_api import expect

    _jwt_sign_in(page, server, people.workspace, people.reporter.email, then=f"/acme/tickets/{people.reported.id}")
    expect(page).to_have_url(server.url(f"/acme/tickets/{people.reported.id}"))
    expect(page.get_by_role("heading", name="Invoices fail to load")).to_be_visible()


@pytest.mark.browser
def test_create_a_ticket_with_a_dependent_field(server, people, page):
    from playwright.sync_api import expect

    _jwt_sign_in(page, server, people.workspace, people.reporter.email)
    page.get_by_role("link", name="+ Ticket").first.click()
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()
    browser_field = page.get_by_label("Browser")
    expect(browser_field).to_be_hidden()

    page.get_by_label("Title").fill("Checkout button does nothing")
    page.get_by_label("Description").fill("Clicking Pay has no effect.")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Platform").select_option("web")
    expect(browser_field).to_be_visible()
    browser_field.select_option("firefox")
    page.get_by_label("Platform").select_option("ios")
    expect(browser_field).to_be_hidden()
    page.get_by_label("Platform").select_option("web")
    page.get_by_role("button", name="Create ticket").click()

    expect(page.get_by_role("heading", name="Checkout button does nothing")).to_be_visible()
    details = page.locator(".ticket-details")
    expect(details).to_contain_text("Platform")
    expect(details).to_contain_text("web")
    expect(details).to_contain_text("Browser")
    expect(details).to_contain_text("firefox")


@pytest.mark.browser
def test_comment_appears_live_in_a_second_browser(server, people, page, browser):
    from playwright.sync_api import expect

    ticket_url = f"/acme/tickets/{people.reported.id}"
    _jwt_sign_in(page, server, people.workspace, people.reporter.email, then=ticket_url)
    expect(page.locator("[data-live-ticket]")).to_have_attribute("data-live", "open")

    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        admin_page = other.new_page()
        _jwt_sign_in(admin_page, server, people.workspace, people.customer_admin.email, then=ticket_url)
        admin_page.get_by_label("Write a comment").fill("We see this too <b>not bold</b>.")
        admin_page.get_by_role("button", name="Send", exact=True).click()
        expect(admin_page.locator(".comment-body").first).to_have_text("We see this too <b>not bold</b>.")
    finally:
        other.close()

    # The first browser never reloaded: the comment arrived over server-sent events, as text.
    newest = page.locator("[data-comment-list] > li").first
    expect(newest.locator(".comment-body")).to_have_text("We see this too <b>not bold</b>.")
    expect(newest.locator(".comment-author")).to_have_text("Ada Admin")
    assert page.locator("[data-comment-list] b").count() == 0
    page.screenshot(path=SCREENSHOT, full_page=True)


@pytest.mark.browser
def test_customer_and_customer_admin_see_different_tickets(server, people, page, browser):
    from playwright.sync_api import expect

    _jwt_sign_in(page, server, people.workspace, people.colleague.email)
    expect(page.get_by_role("link", name="Add a second admin")).to_be_visible()
    expect(page.get_by_role("link", name="Invoices fail to load")).to_have_count(0)
    expect(page.get_by_text("Your organisation's customer admins see all of Globex's tickets.")).to_be_visible()
    page.goto(server.url(f"/acme/tickets/{people.reported.id}"))
    expect(page.get_by_text("You can't see this ticket: it was reported by someone else.")).to_be_visible()

    other = browser.new_context()
    try:
        admin_page = other.new_page()
        _jwt_sign_in(admin_page, server, people.workspace, people.customer_admin.email)
        expect(admin_page.get_by_role("link", name="Add a second admin")).to_be_visible()
        expect(admin_page.get_by_role("link", name="Invoices fail to load")).to_be_visible()
        expect(admin_page.get_by_role("link", name="Initech cannot export")).to_have_count(0)
    finally:
        other.close()


@pytest.mark.browser
def test_switch_workspace_from_the_profile_menu(server, people, page, smtp_sink):
    from playwright.sync_api import expect

    _jwt_sign_in(page, server, people.workspace, people.reporter.email)
    page.get_by_label("Profile menu").click()
    page.get_by_role("button", name="Umbrella").click()
    expect(page).to_have_url(server.url("/umbrella/"))
    expect(page.locator(".profile-name")).to_have_text("Rita at Umbrella")
    assert smtp_sink.messages == []  # no new code was needed
    page.goto(server.url("/umbrella/tickets"))
    expect(page.get_by_role("link", name="Umbrella ticket")).to_be_visible()
