"""Settings > Knowledge base: list and filters, write/upload/link, draft/publish/notify/unpublish,
delete with confirmation, collections; errors inline."""

from __future__ import annotations

import io

from core import articles as kb
from core.db import commit, db
from core.models import Article, Collection

PAGE = "/settings/acme/knowledge-base"


def _article(**values):
    base = {"article-title": "Reset your password", "article-description": "How to reset it",
            "article-source": "write", "article-body_format": "markdown", "article-body": "# Steps\n\n1. Click *Reset*",
            "article-visible_to": "all", "article-locale": "en", "action": "save"}
    base.update(values)
    return base


def _only_article():
    db.session.rollback()
    return db.session.query(Article).one()


def test_create_a_markdown_draft(admin_client, workspace):
    response = admin_client.post(PAGE + "/new", data=_article())
    assert response.status_code == 302
    article = _only_article()
    assert article.status == "draft" and article.body_format == "markdown"
    assert "<h1>Steps</h1>" in article.body_html and "<em>Reset</em>" in article.body_html
    assert response.headers["Location"] == f"{PAGE}/articles/{article.id}"
    listing = admin_client.get(PAGE).get_data(as_text=True)
    assert "Reset your password" in listing and "Draft" in listing


def test_publish_and_notify_passes_notify_and_comment(admin_client, workspace):
    admin_client.post(PAGE + "/new", data=_article())
    article = _only_article()
    from core import events

    published = []
    original = events.emit

    def record(session, name, workspace_id, payload):
        if name == "article_published":
            published.append(payload)
        return original(session, name, workspace_id, payload)

    events.emit = record
    try:
        response = admin_client.post(f"{PAGE}/articles/{article.id}",
                                     data=_article(action="publish_notify", **{"article-comment": "Now with screenshots"}))
    finally:
        events.emit = original
    assert response.status_code == 302
    assert _only_article().status == "published"
    assert published and published[0]["notify"] is True and published[0]["comment"] == "Now with screenshots"
    # Unpublish sends it back to draft.
    admin_client.post(f"{PAGE}/articles/{article.id}", data=_article(action="unpublish"))
    assert _only_article().status == "draft"


def test_publish_without_notify(admin_client, workspace):
    admin_client.post(PAGE + "/new", data=_article(action="publish"))
    article = _only_article()
    assert article.status == "published" and article.published_at is not None
    html = admin_client.get(PAGE + "?status=published").get_data(as_text=True)
    assert "Reset your password" in html
    assert "Reset your password" not in admin_client.get(PAGE + "?status=draft").get_data(as_text=True)


def test_linked_article(admin_client, workspace):
    admin_client.post(PAGE + "/new", data=_article(**{"article-source": "link", "article-external_url": "https://docs.acme.test/x"}))
    article = _only_article()
    assert article.external_url == "https://docs.acme.test/x" and not article.body_html


def test_upload_markdown_file(admin_client, workspace):
    data = _article(**{"article-source": "upload", "article-body": ""})
    data["article-body_file"] = (io.BytesIO("## Uploaded\n\nfrom *disk*".encode()), "guide.md")
    response = admin_client.post(PAGE + "/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    article = _only_article()
    assert article.body_format == "markdown" and "<h2>Uploaded</h2>" in article.body_html


def test_upload_html_file_is_sanitized(admin_client, workspace):
    data = _article(**{"article-source": "upload"})
    data["article-body_file"] = (io.BytesIO(b"<p>Hi</p><script>alert(1)</script>"), "page.HTML")
    admin_client.post(PAGE + "/new", data=data, content_type="multipart/form-data")
    article = _only_article()
    assert article.body_format == "html" and "<p>Hi</p>" in article.body_html and "script" not in article.body_html


def test_upload_refusals(admin_client, workspace):
    cases = [
        ((io.BytesIO(b"x"), "virus.exe"), "Upload a Markdown (.md) or HTML (.html) file."),
        ((io.BytesIO(b"\xff\xfe\x00bad"), "bad.md"), "The file is not UTF-8 text."),
        ((io.BytesIO(b"a" * (512 * 1024 + 1)), "big.md"), "The file is larger than 512 KB."),
    ]
    for upload, message in cases:
        data = _article(**{"article-source": "upload"})
        data["article-body_file"] = upload
        response = admin_client.post(PAGE + "/new", data=data, content_type="multipart/form-data")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    response = admin_client.post(PAGE + "/new", data=_article(**{"article-source": "upload"}))
    assert "Choose a .md or .html file to upload." in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.query(Article).count() == 0


def test_errors_inline_with_input_kept(admin_client, workspace):
    response = admin_client.post(PAGE + "/new", data=_article(**{
        "article-title": "", "article-locale": "not a locale!", "article-visible_to": "everyone",
        "article-description": "Kept description",
    }))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An article needs a title." in html
    assert "Use a locale such as" in html
    assert "Kept description" in html
    db.session.rollback()
    assert db.session.query(Article).count() == 0


def test_bad_ids_are_field_errors(admin_client, workspace):
    response = admin_client.post(PAGE + "/new", data=_article(**{"article-collection_id": "abc",
                                                                 "article-translation_of_id": "999"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose one from the list." in html


def test_publishing_an_empty_article_is_refused_inline(admin_client, workspace):
    response = admin_client.post(PAGE + "/new", data=_article(action="publish", **{"article-body": ""}))
    assert response.status_code == 422
    assert "Write the article before publishing it." in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.query(Article).count() == 0


def test_edit_visibility_locale_translation_and_collection(admin_client, workspace):
    original = kb.create_article(workspace, title="Hello", body="<p>Hi</p>")
    collection = kb.create_collection(workspace, name="Getting started")
    commit()
    admin_client.post(PAGE + "/new", data=_article(**{
        "article-title": "Bonjour", "article-locale": "fr", "article-translation_of_id": str(original.id),
        "article-collection_id": str(collection.id), "article-visible_to": "customer_admins",
    }))
    db.session.rollback()
    translation = db.session.query(Article).filter_by(title="Bonjour").one()
    assert translation.translation_of_id == original.id and translation.locale == "fr"
    assert translation.collection_id == collection.id and translation.visible_to == "customer_admins"
    html = admin_client.get(f"{PAGE}?collection={collection.id}&locale=fr").get_data(as_text=True)
    assert "Bonjour" in html and ">Hello<" not in html


def test_delete_asks_first(admin_client, workspace):
    article = kb.create_article(workspace, title="Old", body="<p>x</p>")
    commit()
    page = admin_client.get(f"{PAGE}/articles/{article.id}/delete")
    assert page.status_code == 200 and "Delete “Old”?" in page.get_data(as_text=True)
    db.session.rollback()
    assert db.session.query(Article).count() == 1
    assert admin_client.post(f"{PAGE}/articles/{article.id}/delete").status_code == 302
    db.session.rollback()
    assert db.session.query(Article).count() == 0


def test_article_of_another_workspace_is_404(admin_client, workspace):
    from core.workspaces import create_workspace

    other = create_workspace(slug="globex", name="Globex")
    foreign = kb.create_article(other, title="Secret", body="<p>x</p>")
    commit()
    assert admin_client.get(f"{PAGE}/articles/{foreign.id}").status_code == 404
    assert admin_client.post(f"{PAGE}/articles/{foreign.id}/delete").status_code == 404
    assert admin_client.post(f"{PAGE}/articles/{foreign.id}", data=_article(action="publish")).status_code == 404
    db.session.rollback()
    assert db.session.get(Article, foreign.id).status == "draft"


def test_collections_crud(admin_client, workspace):
    assert admin_client.post(PAGE + "/collections", data={"new_collection-name": "Billing"}).status_code == 302
    db.session.rollback()
    collection = db.session.query(Collection).one()
    article = kb.create_article(workspace, title="Invoices", body="<p>x</p>", collection_id=collection.id)
    commit()
    admin_client.post(f"{PAGE}/collections/{collection.id}", data={"name": "Billing & invoices", "description": "Money"})
    db.session.rollback()
    assert collection.name == "Billing & invoices" and collection.description == "Money"
    response = admin_client.post(f"{PAGE}/collections/{collection.id}", data={"name": ""})
    assert response.status_code == 422
    assert "A collection needs a name" in response.get_data(as_text=True)
    response = admin_client.post(PAGE + "/collections", data={"new_collection-name": "", "new_collection-description": "kept"})
    assert response.status_code == 422 and 'value="kept"' in response.get_data(as_text=True)
    assert admin_client.post(f"{PAGE}/collections/{collection.id}/delete").status_code == 302
    db.session.rollback()
    assert db.session.query(Collection).count() == 0
    assert db.session.get(Article, article.id).collection_id is None  # the article stays


def test_agent_cannot_write(client, sign_in_as, workspace):
    sign_in_as("agent@acme.test", "agent-pass-1")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE + "/new", data=_article()).status_code == 403
    db.session.rollback()
    assert db.session.query(Article).count() == 0
