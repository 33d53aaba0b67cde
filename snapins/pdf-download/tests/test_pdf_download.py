"""pdf-download through the real app, with the snapdesk test kit only."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from hooks.testing import assert_valid_snapin
from snapdesk_pdf_download import PdfDownload

BODY = """
<h1>Setting up</h1><h2>Requirements</h2>
<ul><li>An account</li><li>A browser</li></ul>
<table><tr><th>Plan</th><th>Seats</th></tr><tr><td>Team</td><td>10</td></tr></table>
<pre><code>snapdesk run --port 5000</code></pre>
<p>日本語の説明です。設定を保存してください。</p>
"""


def test_contract():
    assert_valid_snapin(PdfDownload)


@pytest.fixture
def desk(make_app, enable_snapin):
    from core.articles import create_article, publish_article
    from core.db import commit
    from core.workspaces import create_workspace

    app = make_app(snapins={"pdf-download": PdfDownload})
    workspace = create_workspace(slug="acme", name="Acme")
    native = create_article(workspace, title="Setting up", body=BODY)
    linked = create_article(workspace, title="Status", external_url="https://status.example.com")
    draft = create_article(workspace, title="Draft", body="<p>secret</p>")
    publish_article(workspace, native)
    publish_article(workspace, linked)
    commit()
    enable_snapin(workspace, "pdf-download")
    return app, workspace, native, linked, draft


def pdf_url(workspace, article):
    return f"/{workspace.slug}/snapins/pdf-download/articles/{article.id}.pdf"


def test_a_native_article_downloads_as_a_readable_pdf(desk):
    app, workspace, native, _, _ = desk
    response = app.test_client().get(pdf_url(workspace, native))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Setting up", "Requirements", "An account", "Seats", "snapdesk run --port 5000", "日本語の説明です"):
        assert expected in text


def test_linked_and_draft_articles_get_no_pdf(desk):
    app, workspace, _, linked, draft = desk
    client = app.test_client()
    assert client.get(pdf_url(workspace, linked)).status_code == 404
    assert client.get(pdf_url(workspace, draft)).status_code == 404


def test_the_portal_switch_and_enablement_turn_it_off(desk):
    from core.db import commit
    from core.portal_settings import update_settings
    from core.snapins import admin

    app, workspace, native, _, _ = desk
    client = app.test_client()
    update_settings(workspace, {"features": {"pdf_export": False}})
    commit()
    assert client.get(pdf_url(workspace, native)).status_code == 404
    update_settings(workspace, {"features": {"pdf_export": True}})
    admin.disable(workspace, "pdf-download")
    commit()
    assert client.get(pdf_url(workspace, native)).status_code == 404


def test_the_action_is_offered_on_native_articles_only(desk):
    from core.runtime import get_runtime
    from core.snapshots import article_info
    from hooks.types import Viewer

    app, workspace, native, linked, _ = desk
    url = lambda a: f"http://portal.test/acme/articles/{a.id}"  # noqa: E731
    collect = lambda article: [  # noqa: E731
        action
        for answer in get_runtime().dispatcher.collect(
            "snapdesk_page_actions", workspace, page="article", subject=article_info(article, url), viewer=Viewer(kind="anonymous")
        )
        for action in answer.value
    ]
    [action] = collect(native)
    assert action.label == "Download as PDF" and action.url.endswith(pdf_url(workspace, native))
    assert collect(linked) == []
