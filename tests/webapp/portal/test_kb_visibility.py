"""Who reads which article on the portal: status, visibility and the knowledge-base switches."""

from __future__ import annotations

import pytest
from kb_fixtures import as_reader, build_kb, set_features

READERS = ("anonymous", "unverified", "verified", "customer_admin")
#: reader -> the audiences (visible_to) it may read, knowledge base public.
READS = {
    "anonymous": {"all"},
    "unverified": {"all"},
    "verified": {"all", "verified"},
    "customer_admin": {"all", "verified", "customer_admins"},
}


@pytest.fixture
def kb(workspace):
    return build_kb(workspace)


def _contact(kb, reader):
    return None if reader == "anonymous" else getattr(kb, reader)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("audience", ["all", "verified", "customer_admins"])
def test_article_page_follows_visible_to(client, workspace, kb, reader, audience):
    article = {"all": kb.for_all, "verified": kb.for_verified, "customer_admins": kb.for_admins}[audience]
    as_reader(client, workspace, _contact(kb, reader))

    response = client.get(f"/acme/articles/{article.id}")

    if audience in READS[reader]:
        assert response.status_code == 200
        assert f"<h1>{article.title}</h1>" in response.get_data(as_text=True)
    elif reader == "anonymous":
        # Published but for signed-in customers: sign in first, then come back.
        assert response.status_code == 302
        assert "/acme/login?next=" in response.headers["Location"]
    else:
        assert response.status_code == 404
        assert article.title not in response.get_data(as_text=True)


@pytest.mark.parametrize("reader", READERS)
def test_listings_show_only_readable_articles(client, workspace, kb, reader):
    as_reader(client, workspace, _contact(kb, reader))

    for path in ("/acme/", f"/acme/collections/{kb.collection.id}", "/en/acme/directories"):
        page = client.get(path).get_data(as_text=True)
        shown = {audience for audience, article in
                 (("all", kb.for_all), ("verified", kb.for_verified), ("customer_admins", kb.for_admins))
                 if article.title in page}
        assert shown == READS[reader], path
        assert kb.draft.title not in page


@pytest.mark.parametrize("reader", READERS)
def test_draft_is_never_shown(client, workspace, kb, reader):
    as_reader(client, workspace, _contact(kb, reader))

    response = client.get(f"/acme/articles/{kb.draft.id}")

    assert response.status_code == 404
    assert kb.draft.title not in response.get_data(as_text=True)


def test_article_of_another_workspace_is_not_found(client, workspace, kb):
    from core.db import commit
    from core.workspaces import create_workspace

    create_workspace(slug="other", name="Other")
    commit()

    assert client.get(f"/other/articles/{kb.for_all.id}").status_code == 404
    assert client.get("/nope/articles/1").status_code == 404


def test_private_knowledge_base_sends_anonymous_visitors_to_sign_in(client, workspace, kb):
    set_features(workspace, knowledge_base_public=False)

    for path in ("/acme/", f"/acme/articles/{kb.for_all.id}", "/acme/search?q=invoice",
                 f"/acme/collections/{kb.collection.id}", "/fr/acme/directories"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/acme/login?next="), path


def test_private_knowledge_base_is_read_by_signed_in_customers(client, workspace, kb):
    set_features(workspace, knowledge_base_public=False)
    as_reader(client, workspace, kb.unverified)

    response = client.get(f"/acme/articles/{kb.for_all.id}")

    assert response.status_code == 200
    assert kb.for_all.title in response.get_data(as_text=True)


@pytest.mark.parametrize("reader", READERS)
def test_knowledge_base_off_is_a_clear_page(client, workspace, kb, reader):
    set_features(workspace, knowledge_base=False)
    as_reader(client, workspace, _contact(kb, reader))

    home = client.get("/acme/")
    assert home.status_code == 200
    assert "The knowledge base is not available" in home.get_data(as_text=True)
    for path in (f"/acme/articles/{kb.for_all.id}", "/acme/search?q=invoice", f"/acme/collections/{kb.collection.id}"):
        response = client.get(path)
        assert response.status_code == 404, path
        body = response.get_data(as_text=True)
        assert "The knowledge base is not available" in body
        assert kb.for_all.title not in body


def test_linked_article_redirects_to_its_url(client, workspace, kb):
    response = client.get(f"/acme/articles/{kb.linked.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == "https://docs.example.com/invoices"


def test_linked_article_on_locale_address_redirects_to_its_url(client, workspace, kb):
    response = client.get(f"/en/acme/articles/{kb.linked.id}-invoice-portal-guide")

    assert response.status_code == 302
    assert response.headers["Location"] == "https://docs.example.com/invoices"


def test_unknown_ids_are_not_found(client, workspace, kb):
    assert client.get("/acme/articles/999999").status_code == 404
    assert client.get("/acme/collections/999999").status_code == 404
    assert client.get("/en/acme/articles/999999-x").status_code == 404
