"""Articles: sanitizing, Markdown, authoring rules, publishing events, visibility, locale fallback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.articles import (
    article_in_locale,
    can_view,
    create_article,
    create_collection,
    delete_article,
    list_collections,
    publish_article,
    render_markdown,
    sanitize_html,
    translations,
    unpublish_article,
    update_article,
    viewable_articles,
)
from core.db import commit, db, rollback
from core.errors import NotFound, ValidationError
from core.events import DomainEvent, domain_event
from core.people import create_account, create_contact
from core.portal_settings import update_settings
from core.workspaces import create_workspace


@pytest.fixture
def published_events() -> Iterator[list[DomainEvent]]:
    received: list[DomainEvent] = []

    def receiver(sender: str, *, event: DomainEvent) -> None:
        received.append(event)

    domain_event.connect(receiver)
    yield received
    domain_event.disconnect(receiver)


@pytest.fixture
def readers(workspace):
    account = create_account(workspace, name="Globex", domains=["globex.test"])
    other_ws = create_workspace(slug="umbrella", name="Umbrella")
    result = {
        "anonymous": None,
        "unverified": create_contact(workspace, email="uma@globex.test", account_id=account.id),
        "verified": create_contact(workspace, email="vic@globex.test", verified=True),
        "admin": create_contact(workspace, email="ada@globex.test", verified=True, is_customer_admin=True),
        "stranger_admin": create_contact(other_ws, email="ada@globex.test", verified=True, is_customer_admin=True),
    }
    commit()
    return result


# -- Sanitizing and Markdown --------------------------------------------------------------------


def test_sanitize_strips_scripts_handlers_and_javascript_urls():
    dirty = (
        '<h2 onclick="x()">Title</h2><script>alert(1)</script>'
        '<img src="https://cdn.test/a.png" alt="A" width="10" onerror="alert(2)">'
        '<a href="javascript:alert(3)">bad</a> <a href="https://docs.test/x">good</a>'
        '<iframe src="https://evil.test"></iframe><p style="position:fixed">p</p>'
    )
    clean = sanitize_html(dirty)
    for forbidden in ("<script", "alert(1)", "onerror", "onclick", "javascript:", "<iframe", "position"):
        assert forbidden not in clean
    assert "<h2>Title</h2>" in clean
    assert '<img src="https://cdn.test/a.png" alt="A" width="10">' in clean
    assert '<a href="https://docs.test/x" rel="noopener">good</a>' in clean


def test_sanitize_keeps_the_article_subset():
    rich = (
        "<blockquote><p><strong>b</strong> <em>e</em></p></blockquote><hr><ul><li>x</li></ul><ol><li>y</li></ol>"
        "<pre><code>code</code></pre><table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d<br>e</td></tr></tbody></table>"
    )
    assert sanitize_html(rich) == rich


def test_markdown_tables_and_fenced_code_render():
    html = render_markdown("| Plan | Seats |\n|:-----|------:|\n| Pro  | 10    |\n\n```python\nprint('<hi>')\n```\n")
    assert "<table>" in html and "<th style=\"text-align:left\">Plan</th>" in html
    assert "<td style=\"text-align:right\">10</td>" in html
    assert '<pre><code class="language-python">' in html and "&lt;hi&gt;" in html


def test_markdown_raw_html_is_sanitized():
    html = render_markdown("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "<script" not in html and "onerror" not in html


# -- Authoring ----------------------------------------------------------------------------------


def test_create_native_markdown_article(workspace):
    article = create_article(workspace, title=" Getting started ", body="# Hi\n\n*there*", body_format="markdown",
                             description="First steps", locale="pt_br")
    assert article.status == "draft"
    assert article.title == "Getting started"
    assert article.body_source == "# Hi\n\n*there*"
    assert article.body_html == "<h1>Hi</h1>\n<p><em>there</em></p>"
    assert article.locale == "pt-BR"
    assert article.is_native


def test_create_linked_article(workspace):
    article = create_article(workspace, title="Status page", external_url="https://status.acme.test")
    assert not article.is_native and article.body_html == ""


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"title": ""}, {"title"}),
        ({"title": "x" * 301}, {"title"}),
        ({"description": "d" * 501}, {"description"}),
        ({"visible_to": "everyone"}, {"visible_to"}),
        ({"locale": "english"}, {"locale"}),
        ({"body": None}, {"body"}),  # neither body nor external URL
        ({"external_url": "https://x.test"}, {"external_url"}),  # both
        ({"body": None, "external_url": "javascript:alert(1)"}, {"external_url"}),
        ({"body_format": "rst"}, {"body_format"}),
        ({"collection_id": 999}, {"collection_id"}),
        ({"translation_of_id": 999}, {"translation_of_id"}),
    ],
)
def test_article_field_errors(workspace, kwargs, fields):
    values = {"title": "T", "body": "<p>b</p>"}
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        create_article(workspace, **values)
    assert set(caught.value.fields) == fields


def test_update_switches_between_native_and_linked(workspace):
    article = create_article(workspace, title="T", body="<p>b</p>")
    update_article(workspace, article, external_url="https://docs.test/t")
    assert article.external_url == "https://docs.test/t" and article.body_html == "" and not article.is_native
    update_article(workspace, article, body="**now native**", body_format="markdown")
    assert article.external_url is None and article.body_html == "<p><strong>now native</strong></p>"
    with pytest.raises(ValidationError) as caught:
        update_article(workspace, article, status="published")
    assert "status" in caught.value.fields


def test_publish_emits_only_after_commit(workspace, published_events):
    article = create_article(workspace, title="Release notes", body="<p>New</p>")
    commit()
    publish_article(workspace, article, notify=True, comment="  Big release  ")
    assert published_events == []
    commit()
    assert [e.name for e in published_events] == ["article_published"]
    payload = published_events[0].payload
    assert payload["notify"] is True and payload["comment"] == "Big release"
    assert payload["article"]["id"] == article.id and payload["article"]["status"] == "published"
    assert payload["article"]["url"].startswith("http://portal.test/") and str(article.id) in payload["article"]["url"]
    assert article.published_at is not None


def test_publish_dropped_on_rollback_and_first_published_at_kept(workspace, published_events):
    article = create_article(workspace, title="T", body="<p>b</p>")
    commit()
    publish_article(workspace, article)
    rollback()
    commit()
    assert published_events == []
    publish_article(workspace, article)
    commit()
    first = article.published_at
    unpublish_article(workspace, article)
    publish_article(workspace, article, notify=False)
    commit()
    assert article.published_at == first
    assert [e.payload["notify"] for e in published_events] == [False, False]


def test_empty_native_article_cannot_be_published(workspace):
    article = create_article(workspace, title="T", body="")
    with pytest.raises(ValidationError) as caught:
        publish_article(workspace, article)
    assert "body" in caught.value.fields


def test_delete_article_keeps_translations(workspace):
    original = create_article(workspace, title="Hello", body="<p>hi</p>")
    french = create_article(workspace, title="Bonjour", body="<p>salut</p>", locale="fr", translation_of_id=original.id)
    commit()
    delete_article(workspace, original)
    commit()
    assert french.translation_of_id is None


def test_article_of_another_workspace_is_not_found(workspace):
    other = create_workspace(slug="umbrella", name="Umbrella")
    foreign = create_article(other, title="Theirs", body="<p>x</p>")
    with pytest.raises(NotFound):
        publish_article(workspace, foreign)
    with pytest.raises(ValidationError):
        create_article(workspace, title="T", body="<p>b</p>", translation_of_id=foreign.id)


# -- Visibility ---------------------------------------------------------------------------------

# visible_to -> readers who see it when the knowledge base is public.
EXPECTED = {
    "all": {"anonymous", "unverified", "verified", "admin", "stranger_admin"},
    "verified": {"verified", "admin"},
    "customer_admins": {"admin"},
}


def _published(workspace, visible_to: str, **kwargs):
    article = create_article(workspace, title=f"For {visible_to}", body="<p>b</p>", visible_to=visible_to, **kwargs)
    publish_article(workspace, article)
    return article


@pytest.mark.parametrize("visible_to", list(EXPECTED))
def test_visibility_matrix(workspace, readers, visible_to):
    article = _published(workspace, visible_to)
    draft = create_article(workspace, title="Draft", body="<p>b</p>", visible_to=visible_to)
    commit()
    for who, contact in readers.items():
        sees = who in EXPECTED[visible_to]
        assert can_view(workspace, article, contact) is sees, who
        assert can_view(workspace, draft, contact) is False, who
        listed = db.session.scalars(viewable_articles(workspace, contact)).all()
        assert (article in listed) is sees, who
        assert draft not in listed


def test_private_knowledge_base_hides_everything_from_anonymous(workspace, readers):
    article = _published(workspace, "all")
    update_settings(workspace, {"features": {"knowledge_base_public": False}})
    commit()
    assert can_view(workspace, article, None) is False
    assert can_view(workspace, article, readers["stranger_admin"]) is False  # counts as anonymous here
    assert can_view(workspace, article, readers["unverified"]) is True
    assert db.session.scalars(viewable_articles(workspace, None)).all() == []


def test_disabled_knowledge_base_shows_nothing(workspace, readers):
    article = _published(workspace, "all")
    update_settings(workspace, {"features": {"knowledge_base": False}})
    commit()
    assert can_view(workspace, article, readers["admin"]) is False
    assert db.session.scalars(viewable_articles(workspace, readers["admin"])).all() == []


def test_article_of_another_workspace_is_never_viewable(workspace, readers):
    other = create_workspace(slug="umbrella2", name="Umbrella")
    foreign = _published(other, "all")
    commit()
    assert can_view(workspace, foreign, None) is False
    assert foreign not in db.session.scalars(viewable_articles(workspace, None)).all()


def test_viewable_articles_filters_by_locale_and_collection(workspace):
    guides = create_collection(workspace, name="Guides")
    in_guides = _published(workspace, "all", collection_id=guides.id)
    french = _published(workspace, "all", locale="fr")
    commit()
    assert db.session.scalars(viewable_articles(workspace, None, collection_id=guides.id)).all() == [in_guides]
    assert db.session.scalars(viewable_articles(workspace, None, locale="fr")).all() == [french]


# -- Locale fallback ----------------------------------------------------------------------------


def test_article_in_locale_falls_back_to_the_original(workspace):
    original = _published(workspace, "all")
    french = create_article(workspace, title="Bonjour", body="<p>b</p>", locale="fr", translation_of_id=original.id)
    german = create_article(workspace, title="Hallo", body="<p>b</p>", locale="de", translation_of_id=french.id)
    commit()
    assert german.translation_of_id == original.id  # chains point at the original
    assert article_in_locale(workspace, original, "fr") is original  # the translation is still a draft
    publish_article(workspace, french)
    assert article_in_locale(workspace, original, "fr") is french
    assert article_in_locale(workspace, french, "en") is original
    assert article_in_locale(workspace, original, "ja") is original
    assert [a.locale for a in translations(workspace, french)] == ["en", "de", "fr"]
    with pytest.raises(ValidationError) as caught:
        create_article(workspace, title="Encore", body="<p>b</p>", locale="fr", translation_of_id=original.id)
    assert "locale" in caught.value.fields


# -- Collections --------------------------------------------------------------------------------


def test_collections(workspace):
    first = create_collection(workspace, name="Billing")
    second = create_collection(workspace, name="Accounts", description="Sign-in and users")
    child = create_collection(workspace, name="Invoices", parent_id=first.id)
    other = create_workspace(slug="umbrella", name="Umbrella")
    create_collection(other, name="Theirs")
    assert sorted(c.name for c in list_collections(workspace)) == ["Accounts", "Billing", "Invoices"]
    assert list_collections(workspace, parent_id=None) == [first, second]
    assert list_collections(workspace.id, parent_id=first.id) == [child]
    with pytest.raises(ValidationError) as caught:
        create_collection(workspace, name="", parent_id=9999)
    assert set(caught.value.fields) == {"name", "parent_id"}
