"""Knowledge-base search on the portal: ranked, highlighted, and never showing what the reader may not read."""

from __future__ import annotations

import re

import pytest
from kb_fixtures import as_reader, build_kb, set_features


@pytest.fixture
def kb(workspace):
    return build_kb(workspace)


def _result_titles(body: str) -> list[str]:
    block = body.split('<ol class="kb-articles kb-results">', 1)
    if len(block) < 2:
        return []
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<a href="[^"]*">(.*?)</a>', block[1].split("</ol>")[0], re.S)]


def test_anonymous_search_highlights_matches(client, workspace, kb):
    response = client.get("/acme/search?q=invoice")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>invoice</mark>" in body.lower()
    assert "Download an <mark>invoice</mark>" in body
    assert set(_result_titles(body)) == {"Download an invoice", "Invoice portal guide"}


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("unverified", {"Download an invoice", "Invoice portal guide"}),
        ("verified", {"Download an invoice", "Invoice portal guide", "Invoice disputes"}),
        ("customer_admin", {"Download an invoice", "Invoice portal guide", "Invoice disputes", "Invoice settings for admins"}),
    ],
)
def test_search_respects_visible_to(client, workspace, kb, reader, expected):
    as_reader(client, workspace, getattr(kb, reader))

    body = client.get("/acme/search?q=invoice").get_data(as_text=True)

    assert set(_result_titles(body)) == expected
    assert "secret" not in body.lower()  # the draft matches but is never quoted


def test_search_never_leaks_hidden_titles_or_text(client, workspace, kb):
    body = client.get("/acme/search?q=disputes+admins+secret").get_data(as_text=True)

    assert _result_titles(body) == []
    for hidden in (kb.for_verified, kb.for_admins, kb.draft):
        assert hidden.title not in body
    assert "0 results" in body


def test_search_ranks_title_matches_first(client, workspace, kb):
    as_reader(client, workspace, kb.customer_admin)

    titles = _result_titles(client.get("/acme/search?q=settings").get_data(as_text=True))

    assert titles[0] == "Invoice settings for admins"


def test_search_escapes_the_query(client, workspace, kb):
    body = client.get("/acme/search", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_empty_and_long_queries_are_fine(client, workspace, kb):
    assert client.get("/acme/search").status_code == 200
    assert client.get("/acme/search?q=").status_code == 200
    assert client.get("/acme/search", query_string={"q": "invoice " * 500}).status_code == 200


def test_locale_prefixed_search_links_stay_in_the_locale(client, workspace, kb):
    body = client.get("/fr/acme/search?q=invoice").get_data(as_text=True)

    assert f'href="/fr/acme/articles/{kb.for_all.id}-download-an-invoice"' in body


def test_private_search_needs_sign_in_and_then_works(client, workspace, kb):
    set_features(workspace, knowledge_base_public=False)

    assert client.get("/acme/search?q=invoice").status_code == 302
    as_reader(client, workspace, kb.verified)
    body = client.get("/acme/search?q=invoice").get_data(as_text=True)
    assert "Invoice disputes" in _result_titles(body)
