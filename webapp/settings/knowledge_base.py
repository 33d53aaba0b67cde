"""Settings > Knowledge base: articles (write, upload or link; draft/published) and collections.

``GET       /settings/<slug>/knowledge-base``                        articles (filters) and collections
``GET/POST  /settings/<slug>/knowledge-base/new``                    create (``action`` save | publish | publish_notify)
``GET/POST  /settings/<slug>/knowledge-base/articles/<id>``          edit (``action`` save | publish | publish_notify | unpublish)
``GET/POST  /settings/<slug>/knowledge-base/articles/<id>/delete``   confirm, then delete
``POST      /settings/<slug>/knowledge-base/collections``            create a collection
``POST      /settings/<slug>/knowledge-base/collections/<id>``       rename / describe
``POST      /settings/<slug>/knowledge-base/collections/<id>/delete``

An article's body is written (Markdown or HTML), uploaded (a .md/.html file read here, at most
:data:`MAX_UPLOAD` bytes, UTF-8), or replaced by an external link. Everything goes through
:mod:`core.articles`; its field errors show beside the inputs, with the input kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from core import articles as kb
from core.db import commit, db, get_scoped
from core.errors import ValidationError
from core.models import Article, Collection, Workspace
from core.runtime import get_runtime
from core.snapshots import article_info, user_info
from hooks.types import PageAction, Viewer
from webapp.auth import login_required
from webapp.settings.blueprint import blueprint

#: Largest article file an admin may upload.
MAX_UPLOAD = 512 * 1024
UPLOAD_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
VISIBILITY = (("all", "Everyone"), ("verified", "Verified customers"), ("customer_admins", "Customer admins"))
ACTIONS = ("save", "publish", "publish_notify", "unpublish")
Errors = dict[str, list[str]]


# -- Reading the form ---------------------------------------------------------------------------


def _optional_id(form: Mapping[str, Any], name: str, errors: Errors) -> int | None:
    raw = str(form.get(f"article-{name}") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        errors[f"article.{name}"] = ["Choose one from the list."]
        return None
    return int(raw)


def _read_upload(upload: FileStorage | None, errors: Errors) -> tuple[str, str] | None:
    """(text, body_format) of an uploaded article file, or None with a message in ``errors``."""
    if upload is None or not upload.filename:
        errors["article.body_file"] = ["Choose a .md or .html file to upload."]
        return None
    name = upload.filename.lower()
    extension = name[name.rfind("."):] if "." in name else ""
    if extension not in UPLOAD_FORMATS:
        errors["article.body_file"] = ["Upload a Markdown (.md) or HTML (.html) file."]
        return None
    data = upload.stream.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        errors["article.body_file"] = [f"The file is larger than {MAX_UPLOAD // 1024} KB."]
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors["article.body_file"] = ["The file is not UTF-8 text."]
        return None
    return text, UPLOAD_FORMATS[extension]


def article_from_form(form: Mapping[str, Any], files: Mapping[str, FileStorage]) -> tuple[dict[str, Any], dict[str, Any], Errors]:
    """(values for ``create_article``/``update_article``, what the form shows again, parse errors)."""
    errors: Errors = {}
    source = str(form.get("article-source") or "write")
    shown: dict[str, Any] = {
        name: str(form.get(f"article-{name}") or "")
        for name in ("title", "description", "body", "body_format", "external_url", "visible_to", "locale",
                     "collection_id", "translation_of_id", "comment")
    }
    shown["source"] = source if source in ("write", "upload", "link") else "write"
    values: dict[str, Any] = {
        "title": shown["title"],
        "description": shown["description"],
        "visible_to": shown["visible_to"] or "all",
        "locale": shown["locale"] or "en",
        "collection_id": _optional_id(form, "collection_id", errors),
        "translation_of_id": _optional_id(form, "translation_of_id", errors),
    }
    if shown["source"] == "link":
        values.update(external_url=shown["external_url"].strip(), body=None)
    elif shown["source"] == "upload":
        read = _read_upload(files.get("article-body_file"), errors)
        if read is not None:
            # From here on the uploaded text is the body: a failed save shows it for editing.
            shown.update(body=read[0], body_format=read[1], source="write")
            values.update(body=read[0], body_format=read[1], external_url=None)
    else:
        values.update(body=shown["body"], body_format=shown["body_format"] or "markdown", external_url=None)
    return values, shown, errors


def _shown_from_article(article: Article | None) -> dict[str, Any]:
    if article is None:
        return {"source": "write", "body_format": "markdown", "visible_to": "all", "locale": "en"}
    return {
        "title": article.title,
        "description": article.description,
        "source": "write" if article.is_native else "link",
        "body": article.body_source,
        "body_format": article.body_format,
        "external_url": article.external_url or "",
        "visible_to": article.visible_to,
        "locale": article.locale,
        "collection_id": str(article.collection_id or ""),
        "translation_of_id": str(article.translation_of_id or ""),
        "comment": "",
    }


# -- Pages --------------------------------------------------------------------------------------


def _article_page(article: Article | None, shown: dict[str, Any], errors: Errors, status: int = 200) -> tuple[str, int]:
    workspace: Workspace = g.workspace
    others = db.session.scalars(
        select(Article).where(Article.workspace_id == workspace.id).order_by(Article.title, Article.id)
    )
    return render_template(
        "settings/kb_article.html",
        active_section="knowledge_base",
        article=article,
        shown=shown,
        errors=errors,
        collections=kb.list_collections(workspace),
        originals=[a for a in others if article is None or a.id != article.id],
        visibility=VISIBILITY,
        max_upload_kb=MAX_UPLOAD // 1024,
        page_actions=agent_page_actions(article) if article is not None else [],
    ), status


def agent_page_actions(article: Article) -> list[PageAction]:
    """What enabled snap-ins show agents for this article (e.g. article-follow's "Subscribers (N)")."""
    workspace: Workspace = g.workspace
    urls = get_runtime().urls
    info = article_info(article, lambda a: urls.article(workspace.slug, a.id))
    answers = get_runtime().dispatcher.collect(
        "snapdesk_page_actions", workspace, page="article", subject=info,
        viewer=Viewer(kind="agent", user=user_info(g.user)),
    )
    return [action for answer in answers for action in (answer.value or []) if isinstance(action, PageAction)]


@blueprint.route("/knowledge-base")
@login_required(role="admin")
def knowledge_base(slug: str) -> tuple[str, int]:
    workspace: Workspace = g.workspace
    filters = {name: str(request.args.get(name) or "").strip() for name in ("q", "status", "visible_to", "locale", "collection")}
    query = select(Article).where(Article.workspace_id == workspace.id)
    if filters["q"]:
        query = query.where(Article.title.ilike(f"%{filters['q'][:200]}%"))
    if filters["status"] in kb.STATUSES:
        query = query.where(Article.status == filters["status"])
    if filters["visible_to"] in kb.VISIBLE_TO:
        query = query.where(Article.visible_to == filters["visible_to"])
    if filters["locale"]:
        query = query.where(Article.locale == (kb.normalize_locale(filters["locale"]) or filters["locale"]))
    if filters["collection"] == "none":
        query = query.where(Article.collection_id.is_(None))
    elif filters["collection"].isdigit():
        query = query.where(Article.collection_id == int(filters["collection"]))
    listed = list(db.session.scalars(query.order_by(Article.updated_at.desc(), Article.id.desc()).limit(500)))
    locales = sorted(set(db.session.scalars(select(Article.locale).where(Article.workspace_id == workspace.id))))
    return render_template(
        "settings/knowledge_base.html",
        active_section="knowledge_base",
        articles=listed,
        filters=filters,
        locales=locales,
        collections=kb.list_collections(workspace),
        visibility=dict(VISIBILITY),
        errors=g.pop("collection_errors", {}),
    ), 200


def _action() -> str:
    action = str(request.form.get("action") or "save")
    return action if action in ACTIONS else "save"


def _publish_as_asked(workspace: Workspace, article: Article, action: str, comment: str) -> str:
    if action == "publish":
        kb.publish_article(workspace, article)
        return f"“{article.title}” is published."
    if action == "publish_notify":
        kb.publish_article(workspace, article, notify=True, comment=comment or None)
        return f"“{article.title}” is published and subscribers are notified."
    if action == "unpublish":
        kb.unpublish_article(workspace, article)
        return f"“{article.title}” is back to draft: readers no longer see it."
    return f"“{article.title}” is saved ({article.status})."


def _with_prefix(fields: Mapping[str, list[str]]) -> Errors:
    return {f"article.{name}": list(messages) for name, messages in fields.items()}


@blueprint.route("/knowledge-base/new", methods=["GET", "POST"])
@login_required(role="admin")
def kb_new(slug: str) -> Response | tuple[str, int]:
    workspace: Workspace = g.workspace
    if request.method == "GET":
        return _article_page(None, _shown_from_article(None), {})
    values, shown, errors = article_from_form(request.form, request.files)
    action = _action()
    if errors:
        return _article_page(None, shown, errors, 422)
    try:
        article = kb.create_article(workspace, author=g.user, **values)
        message = _publish_as_asked(workspace, article, action, shown["comment"])
    except ValidationError as exc:
        db.session.rollback()
        return _article_page(None, shown, _with_prefix(exc.fields), 422)
    commit()
    flash(message, "success")
    return redirect(url_for("settings.kb_edit", slug=workspace.slug, article_id=article.id))


@blueprint.route("/knowledge-base/articles/<int:article_id>", methods=["GET", "POST"])
@login_required(role="admin")
def kb_edit(slug: str, article_id: int) -> Response | tuple[str, int]:
    workspace: Workspace = g.workspace
    article = kb.get_article(workspace, article_id)
    if request.method == "GET":
        return _article_page(article, _shown_from_article(article), {})
    values, shown, errors = article_from_form(request.form, request.files)
    action = _action()
    if errors:
        return _article_page(article, shown, errors, 422)
    try:
        kb.update_article(workspace, article, **values)
        message = _publish_as_asked(workspace, article, action, shown["comment"])
    except ValidationError as exc:
        db.session.rollback()
        return _article_page(kb.get_article(workspace, article_id), shown, _with_prefix(exc.fields), 422)
    commit()
    flash(message, "success")
    return redirect(url_for("settings.kb_edit", slug=workspace.slug, article_id=article.id))


@blueprint.route("/knowledge-base/articles/<int:article_id>/delete", methods=["GET", "POST"])
@login_required(role="admin")
def kb_delete(slug: str, article_id: int) -> Response | tuple[str, int]:
    workspace: Workspace = g.workspace
    article = kb.get_article(workspace, article_id)
    if request.method == "GET":
        return render_template("settings/kb_delete.html", active_section="knowledge_base", article=article), 200
    title = article.title
    kb.delete_article(workspace, article)
    commit()
    flash(f"“{title}” is deleted.", "success")
    return redirect(url_for("settings.knowledge_base", slug=workspace.slug))


# -- Collections --------------------------------------------------------------------------------


def _collection_failed(exc: ValidationError, prefix: str) -> tuple[str, int]:
    db.session.rollback()
    g.collection_errors = {f"{prefix}.{name}": list(messages) for name, messages in exc.fields.items()}
    g.collection_form = dict(request.form)
    html, _status = knowledge_base(slug=g.workspace.slug)
    return html, 422


def _back_to_collections() -> Response:
    return redirect(url_for("settings.knowledge_base", slug=g.workspace.slug) + "#collections")


@blueprint.route("/knowledge-base/collections", methods=["POST"])
@login_required(role="admin")
def kb_collection_create(slug: str) -> Response | tuple[str, int]:
    try:
        collection = kb.create_collection(
            g.workspace,
            name=str(request.form.get("new_collection-name") or ""),
            description=str(request.form.get("new_collection-description") or ""),
        )
    except ValidationError as exc:
        return _collection_failed(exc, "new_collection")
    commit()
    flash(f"The collection “{collection.name}” is created.", "success")
    return _back_to_collections()


@blueprint.route("/knowledge-base/collections/<int:collection_id>", methods=["POST"])
@login_required(role="admin")
def kb_collection_update(slug: str, collection_id: int) -> Response | tuple[str, int]:
    collection = get_scoped(Collection, g.workspace.id, collection_id)
    try:
        kb.update_collection(
            g.workspace, collection,
            name=str(request.form.get("name") or ""),
            description=str(request.form.get("description") or ""),
        )
    except ValidationError as exc:
        return _collection_failed(exc, f"collection_{collection_id}")
    commit()
    flash(f"The collection “{collection.name}” is saved.", "success")
    return _back_to_collections()


@blueprint.route("/knowledge-base/collections/<int:collection_id>/delete", methods=["POST"])
@login_required(role="admin")
def kb_collection_delete(slug: str, collection_id: int) -> Response:
    collection = get_scoped(Collection, g.workspace.id, collection_id)
    name = collection.name
    kb.delete_collection(g.workspace, collection)
    commit()
    flash(f"The collection “{name}” is deleted; its articles are kept.", "success")
    return _back_to_collections()
