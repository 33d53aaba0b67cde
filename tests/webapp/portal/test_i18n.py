"""The portal's locale: URL prefix > signed-in contact's preference > Accept-Language > workspace default."""

from __future__ import annotations

import pytest
from kb_fixtures import as_reader, build_kb

from core.db import commit
from core.portal_settings import update_settings


@pytest.fixture
def kb(workspace):
    return build_kb(workspace)


def _lang(body: str) -> str:
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


def test_default_is_english(client, workspace, kb):
    body = client.get("/acme/").get_data(as_text=True)

    assert _lang(body) == "en"
    assert "Recent articles" in body


def test_accept_language_picks_an_enabled_locale(client, workspace, kb):
    body = client.get("/acme/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)

    assert _lang(body) == "fr"
    assert "Articles récents" in body


def test_accept_language_ignores_locales_the_workspace_has_not_enabled(client, workspace, kb):
    body = client.get("/acme/", headers={"Accept-Language": "de,fr;q=0.5"}).get_data(as_text=True)

    assert _lang(body) == "fr"
    update_settings(workspace, {"locales": {"enabled": ["en"]}})
    commit()
    body = client.get("/acme/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _lang(body) == "en"


def test_contact_preference_beats_accept_language(client, workspace, kb):
    kb.verified.locale = "fr"
    commit()
    as_reader(client, workspace, kb.verified)

    body = client.get("/acme/", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert _lang(body) == "fr"
    assert "Articles récents" in body


def test_url_locale_beats_contact_and_accept_language(client, workspace, kb):
    kb.verified.locale = "fr"
    commit()
    as_reader(client, workspace, kb.verified)

    body = client.get("/en/acme/directories", headers={"Accept-Language": "fr"}).get_data(as_text=True)

    assert _lang(body) == "en"
    assert "Recent articles" in body


def test_french_ui_strings_under_fr(client, workspace, kb):
    home = client.get("/fr/acme/directories").get_data(as_text=True)
    search = client.get("/fr/acme/search?q=zzzz").get_data(as_text=True)
    article = client.get(f"/fr/acme/articles/{kb.for_all.id}-download-an-invoice").get_data(as_text=True)

    assert _lang(home) == "fr"
    for text in ("Comment pouvons-nous vous aider ?", "Parcourir par thème", "Articles récents", "Rechercher"):
        assert text in home, text
    assert "Aucun article ne correspond à votre recherche." in search
    assert "0 résultat pour « zzzz »" in search
    assert "Centre d’aide" in article
    assert "Mis à jour le" in article


def test_workspace_default_locale_when_nothing_else_says(client, workspace, kb):
    update_settings(workspace, {"locales": {"default": "fr", "enabled": ["fr", "en"]}})
    commit()

    body = client.get("/acme/").get_data(as_text=True)

    assert _lang(body) == "fr"


def test_locale_does_not_leak_between_requests(client, workspace, kb):
    assert _lang(client.get("/fr/acme/directories").get_data(as_text=True)) == "fr"
    assert _lang(client.get("/acme/").get_data(as_text=True)) == "en"


def test_language_names():
    from webapp.i18n import language_name

    assert language_name("fr", "en") == "French"
    assert language_name("en", "fr") == "anglais"
    assert language_name("pt-BR", "en") == "Portuguese (Brazil)"
    assert language_name("xx-YY", "en") == "xx-YY"


def test_best_match_by_language():
    from webapp.i18n import _best_match

    assert _best_match(["fr-CA"], ["en", "fr"]) == "fr"
    assert _best_match(["pt"], ["en", "pt-BR"]) == "pt-BR"
    assert _best_match(["de"], ["en", "fr"]) is None
