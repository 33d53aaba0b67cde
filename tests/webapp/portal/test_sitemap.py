"""``/<locale>/<slug>/sitemap.xml``: valid sitemaps.org XML listing the home page and the public articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_fixtures import build_kb, set_features
from lxml import etree

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "sitemap.xsd")))
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def kb(workspace):
    return build_kb(workspace)


def _sitemap(client, path="/en/acme/sitemap.xml"):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    document = etree.fromstring(response.data)
    return document


def test_sitemap_validates_against_the_sitemaps_org_schema(client, workspace, kb):
    document = _sitemap(client)

    SCHEMA.assertValid(document)


def test_schema_rejects_what_is_not_a_sitemap():
    # The validation above can fail: a url without loc is refused.
    broken = etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2024-01-01</lastmod></url></urlset>')
    assert not SCHEMA.validate(broken)


def test_sitemap_lists_home_and_exactly_the_public_published_articles(client, workspace, kb):
    locs = _sitemap(client).xpath("//s:url/s:loc/text()", namespaces=NS)

    assert locs[0] == "http://localhost/en/acme/directories"
    assert set(locs[1:]) == {
        f"http://localhost/en/acme/articles/{kb.for_all.id}-download-an-invoice",
        f"http://localhost/en/acme/articles/{kb.linked.id}-invoice-portal-guide",
    }


def test_sitemap_has_lastmod_dates(client, workspace, kb):
    lastmods = _sitemap(client).xpath("//s:url/s:lastmod/text()", namespaces=NS)

    assert len(lastmods) == 2
    assert all(len(value) == 10 and value[4] == "-" for value in lastmods)


def test_french_sitemap_has_the_french_home(client, workspace, kb):
    document = _sitemap(client, "/fr/acme/sitemap.xml")

    SCHEMA.assertValid(document)
    assert document.xpath("//s:url/s:loc/text()", namespaces=NS)[0] == "http://localhost/fr/acme/directories"


def test_signed_in_customer_does_not_change_the_sitemap(client, workspace, kb):
    from kb_fixtures import as_reader

    as_reader(client, workspace, kb.customer_admin)

    locs = _sitemap(client).xpath("//s:url/s:loc/text()", namespaces=NS)

    assert len(locs) == 3  # home + the two articles for everyone


@pytest.mark.parametrize("features", [{"knowledge_base_public": False}, {"knowledge_base": False}])
def test_private_or_disabled_knowledge_base_has_no_sitemap(client, workspace, kb, features):
    set_features(workspace, **features)

    response = client.get("/en/acme/sitemap.xml")

    assert response.status_code == 404
    assert kb.for_all.title.encode() not in response.data


def test_unknown_workspace_or_locale_has_no_sitemap(client, workspace, kb):
    assert client.get("/en/nope/sitemap.xml").status_code == 404
    assert client.get("/de/acme/sitemap.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap(client, workspace, kb):
    body = client.get("/robots.txt").get_data(as_text=True)

    assert "/en/acme/sitemap.xml" in body
