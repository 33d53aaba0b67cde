"""Settings > Snap-ins through the Flask test client: access, listing, enable/configure, errors, secrets."""

from __future__ import annotations

import re

from settings_snapins import SECRET

from core.db import commit, db
from core.snapins import admin

PAGE = "/settings/acme/snapins"
VALID = {
    "action": "enable",
    "config-threshold": "3",
    "config-ratio": "0.25",
    "config-api_key": SECRET,
    "config-mode": "lenient",
    "config-note": "hello",
    "config-rules": '[{"keyword": "refund"}]',
}


def _card(html: str, snapin_id: str) -> str:
    """The HTML of one snap-in's card."""
    match = re.search(rf'<section class="card snapin[^"]*" id="snapin-{snapin_id}".*?</section>', html, re.S)
    assert match, f"no card for {snapin_id}"
    return match.group(0)


def _field(card: str, name: str) -> str:
    match = re.search(rf'<div class="field[^"]*" data-field="{name}">.*?\n</div>', card, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def test_anonymous_is_sent_to_sign_in_and_back(client, workspace):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"] == "/inbox/acme/login?next=/settings/acme/snapins"
    response = client.post(
        "/inbox/acme/login", data={"email": "admin@acme.test", "password": "admin-pass-1", "next": PAGE}
    )
    assert response.headers["Location"] == PAGE
    assert client.get(PAGE).status_code == 200


def test_wrong_password_shows_the_sentence_not_an_error_page(client, workspace):
    response = client.post("/inbox/acme/login", data={"email": "admin@acme.test", "password": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Email or password is not right." in html
    assert 'value="admin@acme.test"' in html  # the email is kept
    assert client.get(PAGE).status_code == 302  # not signed in


def test_unknown_email_gets_the_same_sentence(client, workspace):
    response = client.post("/inbox/acme/login", data={"email": "nobody@acme.test", "password": "admin-pass-1"})
    assert response.status_code == 401
    assert "Email or password is not right." in response.get_data(as_text=True)


def test_sign_in_does_not_redirect_to_another_site(client, workspace):
    for target in ("https://evil.test/", "//evil.test/", "/\\evil.test"):
        response = client.post(
            "/inbox/acme/login", data={"email": "admin@acme.test", "password": "admin-pass-1", "next": target}
        )
        assert response.headers["Location"] == "/inbox/acme/"


def test_agent_who_is_not_admin_gets_403(client, sign_in_as):
    sign_in_as("agent@acme.test", "agent-pass-1")
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "Only workspace admins can change settings." in response.get_data(as_text=True)
    assert client.post("/settings/acme/snapins/plain", data={"action": "enable"}).status_code == 403
    assert admin.get_setting(workspace_of(client), "plain") is None
    # The agent still has the inbox placeholder, without a Settings link.
    inbox = client.get("/inbox/acme/").get_data(as_text=True)
    assert "Inbox" in inbox and "/settings/acme/" not in inbox


def workspace_of(client):
    from core.models import Workspace

    return db.session.query(Workspace).filter_by(slug="acme").one()


def test_unknown_workspace_is_404(admin_client):
    assert admin_client.get("/settings/nope/snapins").status_code == 404


def test_admin_of_another_workspace_is_not_signed_in_here(admin_client, workspace):
    from core.workspaces import create_workspace

    create_workspace(slug="globex", name="Globex", admin_email="boss@globex.test", admin_password="globex-pass-1")
    commit()
    response = admin_client.get("/settings/globex/snapins")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inbox/globex/login")


def test_admin_sees_every_installed_snapin_with_status(admin_client):
    html = admin_client.get(PAGE).get_data(as_text=True)
    screener = _card(html, "screener")
    assert "Screener" in screener and "Screens new conversations (test snap-in)." in screener
    assert "v1.4.2" in screener and "Test Co" in screener
    assert 'data-status="disabled"' in screener
    for kind, name in [("number", "threshold"), ("password", "api_key"), ("checkbox", "check_verified")]:
        assert f'type="{kind}"' in _field(screener, name)
    assert "<select" in _field(screener, "mode") and "<textarea" in _field(screener, "note")
    assert "<textarea" in _field(screener, "rules")
    assert 'value="5"' in _field(screener, "threshold")  # the schema's default
    assert 'data-status="disabled"' in _card(html, "plain")
    assert 'data-status="broken"' in _card(html, "future")


def test_broken_snapin_shows_its_reason_and_no_form(admin_client):
    card = _card(admin_client.get(PAGE).get_data(as_text=True), "future")
    assert "Broken" in card
    assert "snapdesk&gt;=99" in card or "snapdesk>=99" in card
    assert "<form" not in card


def test_enable_with_invalid_config_shows_field_errors_and_stores_nothing(admin_client, workspace):
    data = {**VALID, "config-threshold": "42", "config-ratio": "lots", "config-api_key": "", "config-rules": "[1,"}
    response = admin_client.post("/settings/acme/snapins/screener", data=data)
    assert response.status_code == 422
    card = _card(response.get_data(as_text=True), "screener")
    assert "Nothing was saved" in card
    threshold = _field(card, "threshold")
    assert "Must be greater than or equal to 1 and less than or equal to 10." in threshold
    assert 'value="42"' in threshold and 'aria-invalid="true"' in threshold  # the admin's input is kept
    assert "Not a valid number." in _field(card, "ratio")
    assert "This field is required." in _field(card, "api_key")
    assert "This is not valid JSON" in _field(card, "rules")
    assert "[1," in _field(card, "rules")
    assert 'value="hello"' not in _field(card, "note") and ">hello</textarea>" in _field(card, "note")
    assert admin.get_setting(workspace, "screener") is None


def test_cross_field_rule_is_shown_beside_its_field(admin_client, workspace):
    data = {**VALID, "config-mode": "strict", "config-rules": "[]"}
    response = admin_client.post("/settings/acme/snapins/screener", data=data)
    assert response.status_code == 422
    assert "Strict mode needs at least one rule." in _field(_card(response.get_data(as_text=True), "screener"), "rules")
    assert admin.get_setting(workspace, "screener") is None


def test_enable_with_valid_config_stores_it_and_never_echoes_the_secret(admin_client, workspace):
    response = admin_client.post("/settings/acme/snapins/screener", data={**VALID, "config-check_verified": "on"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings/acme/snapins#snapin-screener")
    setting = admin.get_setting(workspace, "screener")
    assert setting.enabled
    assert setting.config["api_key"] == SECRET
    assert setting.config["threshold"] == 3 and setting.config["check_verified"] is True
    assert setting.config["rules"] == [{"keyword": "refund"}]
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "Screener is enabled." in html
    card = _card(html, "screener")
    assert 'data-status="enabled"' in card
    assert SECRET not in html
    api_key = _field(card, "api_key")
    assert 'value=""' in api_key and "leave empty to keep the current value" in api_key
    assert " required" not in api_key  # a stored secret need not be typed again
    assert "checked" in _field(card, "check_verified")
    assert "refund" in _field(card, "rules")


def test_saving_with_an_empty_secret_keeps_the_stored_one(admin_client, workspace, enable_snapin):
    enable_snapin(workspace, "screener", {"api_key": SECRET})
    data = {**VALID, "action": "save", "config-api_key": "", "config-threshold": "7"}
    assert admin_client.post("/settings/acme/snapins/screener", data=data).status_code == 302
    db.session.expire_all()
    setting = admin.get_setting(workspace, "screener")
    assert setting.config["api_key"] == SECRET and setting.config["threshold"] == 7


def test_errors_after_a_stored_secret_do_not_echo_it(admin_client, workspace, enable_snapin):
    enable_snapin(workspace, "screener", {"api_key": SECRET})
    response = admin_client.post("/settings/acme/snapins/screener", data={**VALID, "action": "save", "config-threshold": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and SECRET not in html
    assert "leave empty to keep the current value" in _field(_card(html, "screener"), "api_key")


def test_save_without_enabling_keeps_it_disabled(admin_client, workspace):
    assert admin_client.post("/settings/acme/snapins/screener", data={**VALID, "action": "save"}).status_code == 302
    setting = admin.get_setting(workspace, "screener")
    assert not setting.enabled and setting.config["api_key"] == SECRET


def test_enable_and_disable_a_snapin_without_config(admin_client, workspace):
    assert admin_client.post("/settings/acme/snapins/plain", data={"action": "enable"}).status_code == 302
    assert admin.get_setting(workspace, "plain").enabled
    card = _card(admin_client.get(PAGE).get_data(as_text=True), "plain")
    assert 'data-status="enabled"' in card and "Disable" in card
    assert admin_client.post("/settings/acme/snapins/plain/disable").status_code == 302
    db.session.expire_all()
    assert not admin.get_setting(workspace, "plain").enabled
    assert "Plain is disabled." in admin_client.get(PAGE).get_data(as_text=True)


def test_needs_attention_shows_the_last_error_and_re_enable_clears_it(admin_client, workspace, enable_snapin):
    setting = enable_snapin(workspace, "plain")
    setting.needs_attention = True
    setting.failure_count = 3
    setting.last_error = "TimeoutError: crm.example did not answer"
    commit()
    card = _card(admin_client.get(PAGE).get_data(as_text=True), "plain")
    assert 'data-status="needs_attention"' in card and "Needs attention" in card
    assert "TimeoutError: crm.example did not answer" in card and "failed 3 times" in card
    assert admin_client.post("/settings/acme/snapins/plain", data={"action": "enable"}).status_code == 302
    db.session.expire_all()
    assert not admin.get_setting(workspace, "plain").needs_attention


def test_a_snapin_refusing_to_enable_is_reported_and_stays_off(admin_client, workspace):
    response = admin_client.post("/settings/acme/snapins/refuser", data={"action": "enable"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "the CRM did not answer" in html and 'class="flash flash-error"' in html
    setting = admin.get_setting(workspace, "refuser")
    assert setting is None or not setting.enabled


def test_unknown_snapin_and_unknown_action_are_4xx(admin_client):
    assert admin_client.post("/settings/acme/snapins/nope", data={"action": "enable"}).status_code == 404
    assert admin_client.post("/settings/acme/snapins/plain", data={"action": "explode"}).status_code == 400
    assert admin_client.post("/settings/acme/snapins/future", data={"action": "enable"}).status_code == 409


def test_sign_out_ends_the_session(admin_client):
    response = admin_client.post("/inbox/acme/logout")
    assert response.headers["Location"] == "/inbox/acme/login"
    assert admin_client.get(PAGE).status_code == 302


def test_settings_root_and_nav(admin_client):
    assert admin_client.get("/settings/acme/").headers["Location"] == PAGE
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert 'href="/inbox/acme/"' in html and 'action="/inbox/acme/logout"' in html
    assert 'aria-current="page">Snap-ins' in html
    assert "Portal" in html and "Knowledge base" in html


def test_a_form_posted_after_the_session_ended_leads_to_sign_in_then_the_inbox(client, workspace):
    response = client.post("/settings/acme/snapins/plain", data={"action": "enable"})
    assert response.headers["Location"] == "/inbox/acme/login"
    assert admin.get_setting(workspace, "plain") is None
