"""Custom portal domains (Host header -> workspace portal) and robots.txt."""

from __future__ import annotations

import pytest

from core.db import commit
from core.portal_settings import update_settings
from core.workspaces import create_workspace, set_custom_domain
from webapp.portal.domains import DomainCache, DomainTarget, portal_path


@pytest.fixture
def mapped(workspace):
    set_custom_domain(workspace, "support.acme.example")
    commit()
    return workspace


def test_custom_domain_serves_the_workspace_portal(client, mapped):
    response = client.get("/login", headers={"Host": "support.acme.example"})
    assert response.status_code == 200
    assert "Sign in to Acme" in response.get_data(as_text=True)
    # Paths that already carry the slug work too (links built by url_for).
    assert client.get("/acme/login", headers={"Host": "support.acme.example"}).status_code == 200
    # The port does not matter; case does not either.
    assert client.get("/login", headers={"Host": "Support.Acme.Example:8443"}).status_code == 200


def test_custom_domain_root_is_the_portal_home_and_agents_areas_pass(client, mapped):
    root = client.get("/", headers={"Host": "support.acme.example"})
    assert root.status_code in (200, 302)  # the knowledge base home (or its sign-in door)
    tickets = client.get("/tickets", headers={"Host": "support.acme.example"})
    assert tickets.status_code == 302 and tickets.location.startswith("/acme/login")
    inbox = client.get("/inbox/acme/login", headers={"Host": "support.acme.example"})
    assert inbox.status_code == 200 and "Sign in to Acme" in inbox.get_data(as_text=True)


def test_unknown_host_is_the_main_site(client, mapped):
    assert client.get("/login", headers={"Host": "elsewhere.example"}, follow_redirects=True).status_code == 404
    assert client.get("/acme/login", headers={"Host": "elsewhere.example"}).status_code == 200


def test_unknown_slug_is_404_page(client, workspace):
    response = client.get("/nobody/tickets")
    assert response.status_code == 404
    assert "There is no workspace" in response.get_data(as_text=True)


def test_path_mapping():
    target = DomainTarget("acme", frozenset({"en", "fr"}))
    assert portal_path("/", target) == "/acme/"
    assert portal_path("/tickets/3", target) == "/acme/tickets/3"
    assert portal_path("/acme/tickets", target) == "/acme/tickets"
    assert portal_path("/fr/directories", target) == "/fr/acme/directories"
    assert portal_path("/en/acme/sitemap.xml", target) == "/en/acme/sitemap.xml"
    assert portal_path("/en/sitemap.xml", target) == "/en/acme/sitemap.xml"
    assert portal_path("/static/portal.css", target) == "/static/portal.css"
    assert portal_path("/api/v1/tickets", target) == "/api/v1/tickets"
    assert portal_path("/robots.txt", target) == "/robots.txt"


def test_lookups_are_cached_briefly():
    now = [0.0]
    loads = []
    cache = DomainCache(ttl=30, clock=lambda: now[0])

    def load(host):
        loads.append(host)
        return DomainTarget("acme", frozenset())

    cache.get("a.example", load)
    cache.get("a.example", load)
    assert loads == ["a.example"]
    now[0] = 31
    cache.get("a.example", load)
    assert loads == ["a.example", "a.example"]


def test_robots_txt_on_the_main_host(client, workspace):
    other = create_workspace(slug="umbrella", name="Umbrella")
    update_settings(other, {"features": {"knowledge_base_public": False}})
    commit()
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "User-agent: *" in body
    for path in ("/inbox/", "/settings/", "/api/"):
        assert f"Disallow: {path}" in body
    assert "Allow: /" in body
    assert "Sitemap: http://portal.test/en/acme/sitemap.xml" in body
    assert "umbrella" not in body  # a private knowledge base has no public sitemap


def test_robots_txt_on_a_custom_domain_lists_only_that_workspace(client, mapped):
    create_workspace(slug="umbrella", name="Umbrella")
    commit()
    body = client.get("/robots.txt", headers={"Host": "support.acme.example"}).get_data(as_text=True)
    assert "Sitemap: http://support.acme.example/en/acme/sitemap.xml" in body
    assert "umbrella" not in body
