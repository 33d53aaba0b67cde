"""Knowledge-base search: ranking, highlighting, accent folding, and never leaking hidden articles."""

from __future__ import annotations

import pytest

from core.articles import create_article, publish_article
from core.db import commit
from core.people import create_contact
from core.portal_settings import update_settings
from core.search import Bm25Index, Tokenizer, highlight, html_to_text, search_articles, snippet
from core.workspaces import create_workspace


def _publish(workspace, title: str, body: str, *, visible_to: str = "all", description: str = "", locale: str = "en"):
    article = create_article(
        workspace, title=title, body=body, visible_to=visible_to, description=description, locale=locale
    )
    publish_article(workspace, article)
    return article


# -- The reusable parts -------------------------------------------------------------------------


def test_tokenizer_folds_accents_and_case():
    assert Tokenizer().tokens("Résumé, CAFÉ & Straße-42") == ["resume", "cafe", "strasse", "42"]


def test_bm25_prefers_rarer_terms_and_weighted_fields():
    index = Bm25Index(weights={"title": 3.0, "body": 1.0})
    index.add("a", {"title": "billing", "body": "the invoice"})
    index.add("b", {"title": "invoices", "body": "billing the"})
    index.add("c", {"title": "other", "body": "the the the"})
    ranked = index.search("billing")
    assert [doc for doc, _score in ranked] == ["a", "b"]  # title weighs more; "c" does not match
    assert index.search("") == [] and index.search("zzz") == []


def test_highlight_escapes_everything_but_marks():
    assert highlight("<b>Résumé</b> tips", {"resume"}, Tokenizer()) == "&lt;b&gt;<mark>Résumé</mark>&lt;/b&gt; tips"


def test_snippet_centres_on_matches():
    text = " ".join(f"w{i}" for i in range(100)) + " refund policy " + " ".join(f"x{i}" for i in range(100))
    result = snippet(text, {"refund"}, Tokenizer(), words=12)
    assert result.startswith("… ") and result.endswith(" …")
    assert "<mark>refund</mark> policy" in result and "w0 " not in result


def test_html_to_text_separates_blocks():
    assert html_to_text("<h1>Hello</h1><p>world &amp; more</p>") == "Hello world & more"


# -- search_articles ----------------------------------------------------------------------------


def test_title_match_ranks_above_body_match(workspace):
    body_match = _publish(workspace, "Getting started", "<p>How to export your invoices to CSV.</p>")
    title_match = _publish(workspace, "Export data", "<p>Download everything as a file.</p>")
    _publish(workspace, "Unrelated", "<p>Nothing to see.</p>")
    commit()
    hits = search_articles(workspace, "export", contact=None)
    assert [h.article for h in hits] == [title_match, body_match]
    assert hits[0].score > hits[1].score
    assert hits[0].title_html == "<mark>Export</mark> data"
    assert "<mark>export</mark> your invoices" in hits[1].snippet_html


def test_snippet_and_title_are_escaped(workspace):
    _publish(workspace, "Use <script> tags?", "<p>Use &lt;script&gt; carefully: script blocks are removed.</p>")
    commit()
    (hit,) = search_articles(workspace, "script", contact=None)
    assert hit.title_html == "Use &lt;<mark>script</mark>&gt; tags?"
    assert "<script>" not in hit.snippet_html and "&lt;<mark>script</mark>&gt;" in hit.snippet_html


def test_accent_insensitive_both_ways(workspace):
    article = _publish(workspace, "Résumé builder", "<p>Crée ton CV.</p>")
    commit()
    assert [h.article for h in search_articles(workspace, "resume", contact=None)] == [article]
    assert [h.article for h in search_articles(workspace, "CREE", contact=None)] == [article]
    assert search_articles(workspace, "RÉSUMÉ", contact=None)[0].title_html == "<mark>Résumé</mark> builder"


def test_never_returns_drafts_or_restricted_articles_to_anonymous(workspace):
    public = _publish(workspace, "Refund basics", "<p>refund</p>")
    verified_only = _publish(workspace, "Refund secrets", "<p>refund internal numbers</p>", visible_to="verified")
    admins_only = _publish(workspace, "Refund for admins", "<p>refund</p>", visible_to="customer_admins")
    create_article(workspace, title="Refund draft", body="<p>refund unreleased</p>")
    verified = create_contact(workspace, email="vic@x.test", verified=True)
    admin = create_contact(workspace, email="ada@x.test", verified=True, is_customer_admin=True)
    commit()
    anonymous_hits = search_articles(workspace, "refund", contact=None)
    assert [h.article for h in anonymous_hits] == [public]
    assert all("secrets" not in h.snippet_html and "unreleased" not in h.snippet_html for h in anonymous_hits)
    assert {h.article for h in search_articles(workspace, "refund", contact=verified)} == {public, verified_only}
    assert {h.article for h in search_articles(workspace, "refund", contact=admin)} == {
        public, verified_only, admins_only,
    }


def test_hidden_articles_do_not_change_scores(workspace):
    _publish(workspace, "Refund basics", "<p>refund</p>")
    commit()
    before = search_articles(workspace, "refund", contact=None)[0].score
    # Hidden articles full of the term would lower its IDF if they were indexed.
    for i in range(5):
        _publish(workspace, f"Refund {i}", "<p>refund refund</p>", visible_to="verified")
    commit()
    assert search_articles(workspace, "refund", contact=None)[0].score == pytest.approx(before)


def test_private_knowledge_base_gives_anonymous_nothing(workspace):
    _publish(workspace, "Refund basics", "<p>refund</p>")
    update_settings(workspace, {"features": {"knowledge_base_public": False}})
    commit()
    assert search_articles(workspace, "refund", contact=None) == []


def test_isolated_across_workspaces(workspace):
    other = create_workspace(slug="umbrella", name="Umbrella")
    theirs = _publish(other, "Refund at Umbrella", "<p>refund</p>")
    stranger = create_contact(other, email="ada@x.test", verified=True, is_customer_admin=True)
    commit()
    assert search_articles(workspace, "refund", contact=None) == []
    assert search_articles(workspace, "refund", contact=stranger) == []
    assert [h.article for h in search_articles(other, "refund", contact=None)] == [theirs]


def test_locale_limit_and_empty_queries(workspace):
    english = [_publish(workspace, f"Billing {i}", "<p>billing</p>") for i in range(3)]
    french = _publish(workspace, "Facturation billing", "<p>facture</p>", locale="fr")
    commit()
    assert [h.article for h in search_articles(workspace, "billing", contact=None, locale="fr")] == [french]
    assert len(search_articles(workspace, "billing", contact=None, limit=2)) == 2
    assert {h.article for h in search_articles(workspace, "billing", contact=None, locale="en")} == set(english)
    assert search_articles(workspace, "", contact=None) == []
    assert search_articles(workspace, "  ?! ", contact=None) == []


def test_description_is_searched_and_quoted(workspace):
    article = _publish(workspace, "Plans", "<p>Compare plans.</p>", description="Pricing for teams and enterprises")
    commit()
    (hit,) = search_articles(workspace, "pricing", contact=None)
    assert hit.article == article and "<mark>Pricing</mark> for teams" in hit.snippet_html
