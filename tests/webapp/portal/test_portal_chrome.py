"""The portal's header and footer: tabs, banner, footer links, sign-in link or profile menu."""

from __future__ import annotations

from core.db import commit
from core.people import create_contact
from core.portal_settings import update_settings


def test_header_tabs_follow_appearance_and_features(client, workspace):
    update_settings(workspace, {
        "appearance": {"header_tabs": ["tickets", "home"], "search_placeholder": "Ask us anything",
                       "company_name": "Acme Support", "logo_url": "/static/logo.svg"},
        "features": {"knowledge_base": True},
    })
    commit()
    page = client.get("/acme/login").get_data(as_text=True)
    assert page.index('href="/acme/tickets">Tickets') < page.index('href="/acme/">Home')
    assert "Articles</a>" not in page
    assert 'placeholder="Ask us anything"' in page
    assert "Acme Support" in page and 'src="/static/logo.svg"' in page
    assert ">Sign in</a>" in page


def test_banner_and_footer_links(client, workspace):
    update_settings(workspace, {
        "features": {"banner": True},
        "appearance": {"banner_text": "Maintenance tonight at 22:00", "footer_links": [{"label": "Status", "url": "https://status.example.com"}]},
    })
    commit()
    page = client.get("/acme/login").get_data(as_text=True)
    assert "Maintenance tonight at 22:00" in page
    assert '<a href="https://status.example.com">Status</a>' in page
    update_settings(workspace, {"features": {"banner": False}})
    commit()
    assert "Maintenance tonight" not in client.get("/acme/login").get_data(as_text=True)


def test_profile_menu_for_signed_in_contact(client, workspace, sign_in):
    contact = create_contact(workspace, email="rita@globex.test", name="Rita", verified=True)
    commit()
    sign_in(client, workspace, contact=contact)
    page = client.get("/acme/tickets").get_data(as_text=True)
    assert 'aria-label="Profile menu"' in page and "rita@globex.test" in page
    assert 'action="/acme/logout"' in page
    assert ">Sign in</a>" not in page
