"""Article pages: SEO head, canonical address, translations with fallback, snap-in page actions."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from kb_fixtures import as_reader, build_kb, set_features

from core.articles import create_article, publish_article
from core.db import commit


@pytest.fixture
def kb(workspace):
    return build_kb(workspace)


@pytest.fixture
def translated(workspace):
    """An English original with a published French translation, and one without any."""
    original = create_article(workspace, title="Reset your password", description="Get back into your account.",
                              body="<p>Use the reset link.</p>")
    publish_article(workspace, original)
    french = create_article(workspace, title="Réinitialiser le mot de passe", description="Retrouvez l’accès.",
                            body="<p>Utilisez le lien.</p>", locale="fr", translation_of_id=original.id)
    publish_article(workspace, french)
    lonely = create_article(workspace, title="Only in English", body="<p>Just English.</p>")
    publish_article(workspace, lonely)
    commit()
    return original, french, lonely


def _head(body: str) -> str:
    return body.split("</head>", 1)[0]


def test_article_head_has_title_description_and_canonical(client, workspace, kb):
    body = client.get(f"/acme/articles/{kb.for_all.id}").get_data(as_text=True)
    head = _head(body)

    assert "<title>Download an invoice</title>" in head
    assert '<meta name="description" content="Download an invoice (description)">' in head
    assert f'<link rel="canonical" href="http://localhost/en/acme/articles/{kb.for_all.id}-download-an-invoice">' in head


def test_canonical_address_serves_the_page(client, workspace, kb):
    response = client.get(f"/en/acme/articles/{kb.for_all.id}-download-an-invoice")

    assert response.status_code == 200
    assert "<title>Download an invoice</title>" in response.get_data(as_text=True)


def test_stale_title_slug_redirects_permanently_to_the_canonical_address(client, workspace, kb):
    for path in (f"/en/acme/articles/{kb.for_all.id}-old-title", f"/en/acme/articles/{kb.for_all.id}"):
        response = client.get(path)
        assert response.status_code == 301
        assert response.headers["Location"] == f"/en/acme/articles/{kb.for_all.id}-download-an-invoice"


def test_locale_not_enabled_is_not_found(client, workspace, kb):
    assert client.get("/de/acme/directories").status_code == 404
    assert client.get(f"/de/acme/articles/{kb.for_all.id}-download-an-invoice").status_code == 404


def test_description_is_escaped_in_meta(client, workspace):
    article = create_article(workspace, title='Quotes "and" <tags>', description='Say "hi" & <b>bye</b>', body="<p>x</p>")
    publish_article(workspace, article)
    commit()

    head = _head(client.get(f"/acme/articles/{article.id}").get_data(as_text=True))

    assert "<title>Quotes &#34;and&#34; &lt;tags&gt;</title>" in head
    assert 'content="Say &#34;hi&#34; &amp; &lt;b&gt;bye&lt;/b&gt;"' in head


def test_translation_is_shown_in_the_page_locale_with_hreflang(client, workspace, translated):
    original, french, _ = translated

    response = client.get(f"/fr/acme/articles/{original.id}-reset-your-password")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/fr/acme/articles/{french.id}-reinitialiser-le-mot-de-passe"

    body = client.get(response.headers["Location"]).get_data(as_text=True)
    head = _head(body)
    assert "<title>Réinitialiser le mot de passe</title>" in head
    assert f'rel="canonical" href="http://localhost/fr/acme/articles/{french.id}-reinitialiser-le-mot-de-passe"' in head
    assert f'hreflang="en" href="http://localhost/en/acme/articles/{original.id}-reset-your-password"' in head
    assert f'hreflang="fr" href="http://localhost/fr/acme/articles/{french.id}-reinitialiser-le-mot-de-passe"' in head
    assert 'hreflang="x-default"' in head
    assert "kb-locale-fallback" not in body


def test_missing_translation_falls_back_to_the_original_with_a_note(client, workspace, translated):
    _, _, lonely = translated

    body = client.get(f"/fr/acme/articles/{lonely.id}-only-in-english").get_data(as_text=True)

    assert "<h1>Only in English</h1>" in body
    assert "Cet article n’est pas disponible en français." in body
    # The canonical address is the original's own.
    assert f'rel="canonical" href="http://localhost/en/acme/articles/{lonely.id}-only-in-english"' in body


def test_missing_translation_note_in_english(client, workspace):
    article = create_article(workspace, title="Seulement en français", body="<p>Oui.</p>", locale="fr")
    publish_article(workspace, article)
    commit()

    body = client.get(f"/acme/articles/{article.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "This article is not available in English." in body


def test_unpublished_translation_is_not_used(client, workspace, translated):
    original, french, _ = translated
    from core.articles import unpublish_article

    unpublish_article(workspace, french)
    commit()

    body = client.get(f"/fr/acme/articles/{original.id}-reset-your-password").get_data(as_text=True)

    assert "<h1>Reset your password</h1>" in body
    assert "Réinitialiser" not in body
    assert "Cet article n’est pas disponible en français." in body


def test_listing_shows_one_entry_per_translation_in_the_page_locale(client, workspace, translated):
    body = client.get("/fr/acme/directories").get_data(as_text=True)

    assert "Réinitialiser le mot de passe" in body
    assert "Reset your password" not in body.split('id="kb-recent"', 1)[1]
    english = client.get("/en/acme/directories").get_data(as_text=True)
    assert "Reset your password" in english
    assert "Réinitialiser le mot de passe" not in english


def test_home_has_hero_welcome_search_and_collections(client, workspace, kb):
    from core.portal_settings import update_settings

    update_settings(workspace, {"appearance": {"hero_title": "Acme help", "welcome_text": "Answers, fast.",
                                               "search_placeholder": "Ask anything"}})
    commit()

    body = client.get("/acme/").get_data(as_text=True)

    assert "<h1>Acme help</h1>" in body
    assert "Answers, fast." in body
    assert 'placeholder="Ask anything"' in body
    assert f'href="/acme/collections/{kb.collection.id}"' in body
    assert re.search(r"Billing</strong>.*?2 articles", body, re.S)  # for_all + linked for an anonymous reader


# -- Page actions from snap-ins -----------------------------------------------------------------


@pytest.fixture
def app(make_app):
    from snapdesk_article_follow import ArticleFollow
    from snapdesk_pdf_download import PdfDownload

    return make_app(snapins={"article-follow": ArticleFollow, "pdf-download": PdfDownload})


@pytest.fixture
def with_actions(workspace, enable_snapin):
    enable_snapin(workspace, "article-follow")
    enable_snapin(workspace, "pdf-download")


def test_no_actions_without_enabled_snapins(client, workspace, kb):
    body = client.get(f"/acme/articles/{kb.for_all.id}").get_data(as_text=True)

    assert "kb-actions" not in body.split("</head>", 1)[1]


def test_signed_out_reader_gets_subscribe_link_and_pdf_link(client, workspace, kb, with_actions):
    body = client.get(f"/acme/articles/{kb.for_all.id}").get_data(as_text=True)

    subscribe = f'/acme/snapins/article-follow/articles/{kb.for_all.id}/subscribe'
    assert re.search(rf'<a href="http://[^"]*{subscribe}" data-action="subscribe">.*?Subscribe</a>', body, re.S)
    assert re.search(rf'<a href="http://[^"]*/acme/snapins/pdf-download/articles/{kb.for_all.id}[^"]*" data-action="download-pdf">.*?Download as PDF</a>', body, re.S)


def test_signed_in_reader_gets_a_subscribe_form_with_csrf_token(make_app, workspace, kb, with_actions):
    from flask import current_app

    current_app.config["WTF_CSRF_ENABLED"] = True
    client = current_app.test_client()
    as_reader(client, workspace, kb.verified)

    body = client.get(f"/acme/articles/{kb.for_all.id}").get_data(as_text=True)

    form = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf_token" value="([^"]+)">\s*<button type="submit" data-action="subscribe">', body)
    assert form is not None
    assert form.group(1).endswith(f"/acme/snapins/article-follow/articles/{kb.for_all.id}/subscribe")
    assert len(form.group(2)) > 20


def test_subscribe_round_trip_shows_a_notice_and_unsubscribe(client, workspace, kb, with_actions):
    as_reader(client, workspace, kb.verified)

    response = client.post(f"/acme/snapins/article-follow/articles/{kb.for_all.id}/subscribe")
    assert response.status_code == 302
    back = urlsplit(response.headers["Location"])  # absolute, on BASE_URL's host: keep the cookie's host
    assert back.path == f"/acme/articles/{kb.for_all.id}"
    body = client.get(f"{back.path}?{back.query}").get_data(as_text=True)

    assert "You are subscribed" in body
    assert 'data-action="unsubscribe"' in body


def test_actions_are_translated_under_fr(client, workspace, kb, with_actions):
    body = client.get(f"/fr/acme/articles/{kb.for_all.id}-download-an-invoice").get_data(as_text=True)

    assert "S’abonner" in body
    assert "Télécharger en PDF" in body


def test_pdf_action_follows_the_portal_switch(client, workspace, kb, with_actions):
    set_features(workspace, pdf_export=False, article_subscriptions=False)

    body = client.get(f"/acme/articles/{kb.for_all.id}").get_data(as_text=True)

    assert 'data-action="download-pdf"' not in body
    assert 'data-action="subscribe"' not in body
