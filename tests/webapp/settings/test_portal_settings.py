"""Settings > Portal through the Flask test client: switches, appearance + preview, locales, domain,
JWT secret, widget; errors inline with the input kept, nothing stored on error."""

from __future__ import annotations

import re

from core.db import db
from core.portal_settings import get_settings

PAGE = "/settings/acme/portal"

APPEARANCE = {
    "appearance-theme": "dark",
    "appearance-company_name": "Acme Help",
    "appearance-logo_url": "https://acme.test/logo.png",
    "appearance-favicon_url": "/favicon.ico",
    "appearance-accent_color": "#ff5500",
    "appearance-header_tabs": ["home", "tickets"],
    "appearance-hero_title": "Hello there",
    "appearance-welcome_text": "We answer fast.",
    "appearance-search_placeholder": "Ask us",
    "appearance-footer_links-0-label": "Status",
    "appearance-footer_links-0-url": "https://status.acme.test",
    "appearance-footer_links-1-label": "",
    "appearance-footer_links-1-url": "",
    "appearance-footer_links-2-label": "Terms",
    "appearance-footer_links-2-url": "/terms",
}


def _fresh(workspace):
    db.session.rollback()
    return get_settings(workspace)


def test_page_shows_every_section(admin_client, workspace):
    response = admin_client.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for anchor in ("features", "appearance", "locales", "domain", "token", "widget"):
        assert f'id="{anchor}"' in html
    assert 'name="features-knowledge_base"' in html and 'name="features-plug_on_portal"' in html
    assert 'type="color"' in html
    assert 'id="portal-preview"' in html
    assert "point a CNAME record" in html and "<code>portal.test</code>" in html
    assert "snapdesk:acme" in html and "HS256" in html
    # The secret is masked, never shown whole.
    assert workspace.app_token_secret not in html
    assert workspace.app_token_secret[:4] + "•" in html


def test_features_are_saved(admin_client, workspace):
    form = {"features-knowledge_base": "on", "features-tickets": "on", "features-banner": "on",
            "appearance-banner_text": "Maintenance tonight"}
    response = admin_client.post(PAGE + "/features", data=form)
    assert response.status_code == 302
    settings = _fresh(workspace)
    assert settings["features"]["knowledge_base"] is True
    assert settings["features"]["knowledge_base_public"] is False  # unchecked = off
    assert settings["features"]["tickets"] is True
    assert settings["features"]["banner"] is True
    assert settings["appearance"]["banner_text"] == "Maintenance tonight"
    assert "The portal features are saved." in admin_client.get(PAGE).get_data(as_text=True)


def test_appearance_is_published(admin_client, workspace):
    response = admin_client.post(PAGE + "/appearance", data=APPEARANCE)
    assert response.status_code == 302, response.get_data(as_text=True)
    look = _fresh(workspace)["appearance"]
    assert look["theme"] == "dark"
    assert look["company_name"] == "Acme Help"
    assert look["accent_color"] == "#ff5500"
    assert look["header_tabs"] == ["home", "tickets"]
    assert look["footer_links"] == [
        {"label": "Status", "url": "https://status.acme.test"},
        {"label": "Terms", "url": "/terms"},
    ]
    # The real portal shows it.
    portal = admin_client.get("/acme/").get_data(as_text=True)
    assert "Acme Help" in portal and "--accent: #ff5500" in portal and 'data-theme="dark"' in portal


def test_appearance_errors_inline_keep_input_and_store_nothing(admin_client, workspace):
    form = dict(APPEARANCE, **{"appearance-accent_color": "red", "appearance-footer_links-2-url": "javascript:alert(1)"})
    response = admin_client.post(PAGE + "/appearance", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was saved" in html
    assert "Use a colour like #4f46e5." in html
    assert "Use an http(s) URL or a path starting with /." in html
    assert 'value="Acme Help"' in html  # what the admin typed is kept
    assert 'value="javascript:alert(1)"' in html
    assert _fresh(workspace)["appearance"]["company_name"] == ""


def test_preview_renders_the_draft_without_storing_it(admin_client, workspace):
    query = {"appearance-theme": "light", "appearance-company_name": "Draft Co", "appearance-accent_color": "#123456",
             "appearance-hero_title": "Draft hero", "appearance-header_tabs": "home",
             "appearance-footer_links-0-label": "Docs", "appearance-footer_links-0-url": "https://docs.acme.test"}
    response = admin_client.get(PAGE + "/preview", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Draft Co" in html and "--accent: #123456" in html and "Draft hero" in html
    assert "https://docs.acme.test" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert _fresh(workspace)["appearance"]["company_name"] == ""
    assert "Draft Co" not in admin_client.get("/acme/").get_data(as_text=True)


def test_preview_ignores_invalid_draft_values(admin_client, workspace):
    # An accent colour that would break out of the <style> block falls back to the stored one.
    query = {"appearance-theme": "light", "appearance-accent_color": "red;}</style><script>x()</script>",
             "appearance-company_name": "Still shown"}
    response = admin_client.get(PAGE + "/preview", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>x()" not in html
    assert "--accent: #4f46e5" in html
    assert "Still shown" in html


def test_preview_without_draft_shows_stored_appearance(admin_client, workspace):
    admin_client.post(PAGE + "/appearance", data=APPEARANCE)
    html = admin_client.get(PAGE + "/preview").get_data(as_text=True)
    assert "Acme Help" in html and "--accent: #ff5500" in html


def test_locales(admin_client, workspace):
    response = admin_client.post(PAGE + "/locales", data={"locales-enabled": ["en", "de"], "locales-extra": "pt-PT",
                                                          "locales-default": "de"})
    assert response.status_code == 302
    assert _fresh(workspace)["locales"] == {"default": "de", "enabled": ["en", "de", "pt-PT"]}
    response = admin_client.post(PAGE + "/locales", data={"locales-enabled": ["en"], "locales-default": "fr"})
    assert response.status_code == 422
    assert "The default locale must be one of the enabled locales." in response.get_data(as_text=True)
    assert _fresh(workspace)["locales"]["default"] == "de"


def test_custom_domain(admin_client, workspace):
    response = admin_client.post(PAGE + "/domain", data={"custom_domain": "Help.Acme.test"})
    assert response.status_code == 302
    db.session.rollback()
    assert workspace.custom_domain == "help.acme.test"
    response = admin_client.post(PAGE + "/domain", data={"custom_domain": "not a domain"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use a host name such as support.example.com." in html
    assert 'value="not a domain"' in html
    db.session.rollback()
    assert workspace.custom_domain == "help.acme.test"
    assert admin_client.post(PAGE + "/domain", data={"custom_domain": ""}).status_code == 302
    db.session.rollback()
    assert workspace.custom_domain is None


def test_custom_domain_taken_by_another_workspace(admin_client, workspace):
    from core.db import commit
    from core.workspaces import create_workspace, set_custom_domain

    other = create_workspace(slug="globex", name="Globex")
    set_custom_domain(other, "help.globex.test")
    commit()
    response = admin_client.post(PAGE + "/domain", data={"custom_domain": "help.globex.test"})
    assert response.status_code == 422
    assert "is used by another workspace" in response.get_data(as_text=True)


def test_rotate_shows_the_new_secret_once(admin_client, workspace):
    old = workspace.app_token_secret
    response = admin_client.post(PAGE + "/token")
    html = response.get_data(as_text=True)
    db.session.rollback()
    new = workspace.app_token_secret
    assert response.status_code == 200
    assert new != old
    assert re.search(r"<code class=\"secret\" data-secret>([^<]+)</code>", html).group(1) == new
    assert response.headers["Cache-Control"] == "no-store"
    assert new not in admin_client.get(PAGE).get_data(as_text=True)


def test_widget(admin_client, workspace):
    form = {"widget-title": "Talk to Acme", "widget-alignment": "left", "widget-spacing_horizontal": "32",
            "widget-spacing_vertical": "", "widget-theme": "dark", "widget-article_search": "on",
            "widget-announcements-0-title": "New release", "widget-announcements-0-body": "v2 is out",
            "widget-announcements-0-url": "https://acme.test/v2"}
    assert admin_client.post(PAGE + "/widget", data=form).status_code == 302
    widget = _fresh(workspace)["widget"]
    assert widget["title"] == "Talk to Acme" and widget["alignment"] == "left"
    assert widget["spacing_horizontal"] == 32 and widget["spacing_vertical"] == 20
    assert widget["article_search"] is True and widget["require_identity"] is False
    assert widget["announcements"] == [{"title": "New release", "body": "v2 is out", "url": "https://acme.test/v2"}]
    response = admin_client.post(PAGE + "/widget", data=dict(form, **{"widget-spacing_horizontal": "9000",
                                                                       "widget-announcements-0-title": ""}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Must be greater than or equal to 0 and less than or equal to 200." in html
    assert "Length must be between 1 and 120." in html  # the announcement without a title
    assert _fresh(workspace)["widget"]["spacing_horizontal"] == 32


def test_agent_is_refused_and_nothing_changes(client, sign_in_as, workspace):
    sign_in_as("agent@acme.test", "agent-pass-1")
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "/preview").status_code == 403
    assert client.post(PAGE + "/appearance", data=APPEARANCE).status_code == 403
    assert client.post(PAGE + "/token").status_code == 403
    assert _fresh(workspace)["appearance"]["company_name"] == ""


def test_settings_menu_links_the_new_sections(admin_client, workspace):
    html = admin_client.get(PAGE).get_data(as_text=True)
    for path in ("/settings/acme/portal", "/settings/acme/knowledge-base", "/settings/acme/accounts"):
        assert f'href="{path}"' in html
    assert "coming soon" not in html
