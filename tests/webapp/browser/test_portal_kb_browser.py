"""Public knowledge base in real Chromium: search without signing in, open a result, read it."""

from __future__ import annotations

import os
import re

import pytest

from core.articles import create_article, create_collection, publish_article
from core.db import commit
from core.portal_settings import update_settings

pytestmark = pytest.mark.browser


@pytest.fixture
def public_kb(workspace):
    update_settings(workspace, {"appearance": {"hero_title": "Acme help center", "welcome_text": "Guides and answers."}})
    collection = create_collection(workspace, name="Billing", description="Invoices and payments")
    article = create_article(
        workspace,
        title="Download an invoice",
        description="Where to find your invoices and how to save them as PDF.",
        body="## Steps\n\n1. Open **Billing**.\n2. Choose the invoice.\n3. Press *Download*.\n\nInvoices are kept for ten years.",
        body_format="markdown",
        collection_id=collection.id,
    )
    publish_article(workspace, article)
    hidden = create_article(workspace, title="Invoice disputes for verified customers", body="<p>invoice</p>", visible_to="verified")
    publish_article(workspace, hidden)
    commit()
    return article


def test_anonymous_visitor_searches_and_reads_an_article(page, live_server, workspace, public_kb):
    server = live_server()
    page.goto(server.url("/acme/"))

    page.fill("#kb-q", "invoice")
    page.press("#kb-q", "Enter")
    page.wait_for_url(re.compile(r"/acme/search\?q=invoice"))

    results = page.locator("ol.kb-results > li")
    assert results.count() == 1  # the verified-only article stays hidden
    assert page.locator("ol.kb-results mark").first.inner_text().lower() == "invoice"

    results.first.locator("a").click()
    page.wait_for_url(re.compile(rf"/acme/articles/{public_kb.id}$"))
    assert page.title() == "Download an invoice"
    assert page.locator("article h1").inner_text() == "Download an invoice"
    assert page.locator("meta[name=description]").get_attribute("content").startswith("Where to find your invoices")

    shots = os.environ.get("SNAPDESK_SCREENSHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, "portal-kb-article.png"), full_page=True)
    assert not server.errors


def test_french_visitor_sees_the_french_portal(page, live_server, workspace, public_kb):
    server = live_server()

    page.goto(server.url(f"/fr/acme/articles/{public_kb.id}-download-an-invoice"))

    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Cet article n’est pas disponible en français." in page.locator("#kb-locale-fallback").inner_text()
    assert not server.errors
