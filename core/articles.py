"""Knowledge-base articles and collections: authoring, publishing, and who may read what.

An article is *native* (a sanitized HTML body, written as HTML or Markdown) or *linked* (an
http(s) ``external_url`` and no body). :func:`can_view` and :func:`viewable_articles` are THE
visibility rule for readers (portal, widget, API, search); agents edit through the services here.

Services flush and emit events; the caller commits with :func:`core.db.commit`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import markdown
import nh3
from sqlalchemy import Select, false, func, select

from core import events
from core.db import db, get_scoped, utcnow
from core.errors import NotFound, ValidationError
from core.models import Article, Collection, Contact, User, Workspace
from core.portal_settings import feature_switches
from core.runtime import get_runtime
from core.snapshots import article_info
from hooks.types import to_payload

VISIBLE_TO = ("all", "verified", "customer_admins")
BODY_FORMATS = ("html", "markdown")
STATUSES = ("draft", "published")
MAX_TITLE = 300
MAX_DESCRIPTION = 500
MAX_URL = 2000
MAX_COMMENT = 2000
#: "en", "fr", "pt-BR", "zh-Hant" style tags (language, optional region or script).
LOCALE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|[a-zA-Z]{4}))?$")
EXTERNAL_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

# -- Sanitizing ---------------------------------------------------------------------------------

ALLOWED_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "strong", "b", "em", "i", "u", "s", "del", "sub", "sup", "span", "div",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "a", "img",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    # Python-Markdown writes table alignment as style="text-align: ..."; only that property survives.
    "th": {"colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    # fenced_code marks the language as class="language-x" (for client-side highlighting).
    "code": {"class"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str) -> str:
    """Keep only the article-safe subset of HTML: no scripts, event handlers, styles (except
    table alignment) or ``javascript:`` URLs; links get ``rel="noopener"``."""
    return nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener",
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown (with tables and fenced code) -> sanitized HTML."""
    html = markdown.markdown(text or "", extensions=["tables", "fenced_code"], output_format="html")
    return sanitize_html(html)


def _render(body: str, body_format: str) -> str:
    return render_markdown(body) if body_format == "markdown" else sanitize_html(body)


# -- Authoring ----------------------------------------------------------------------------------


def get_article(workspace: Workspace, article_id: int | str | None) -> Article:
    return get_scoped(Article, workspace.id, article_id)  # type: ignore[arg-type]


def normalize_locale(value: Any) -> str | None:
    """"pt_br" -> "pt-BR", "EN" -> "en"; None if it does not look like a locale."""
    match = LOCALE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    language, rest = match.group(1).lower(), match.group(2)
    if rest is None:
        return language
    return f"{language}-{rest.upper() if len(rest) == 2 else rest.title()}"


def _clean(workspace: Workspace, values: dict[str, Any], article: Article | None) -> dict[str, Any]:
    """Validate the article's would-be state; return column values. Raises one ValidationError."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    title = values["title"].strip() if isinstance(values["title"], str) else ""
    if not title:
        errors["title"] = ["An article needs a title."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Use at most {MAX_TITLE} characters."]
    cleaned["title"] = title
    description = values["description"] if values["description"] is not None else ""
    if not isinstance(description, str) or len(description.strip()) > MAX_DESCRIPTION:
        errors["description"] = [f"Use text of at most {MAX_DESCRIPTION} characters."]
    else:
        cleaned["description"] = description.strip()
    if values["visible_to"] not in VISIBLE_TO:
        errors["visible_to"] = [f"Use one of: {', '.join(VISIBLE_TO)}."]
    cleaned["visible_to"] = values["visible_to"]
    locale = normalize_locale(values["locale"])
    if locale is None:
        errors["locale"] = ['Use a locale such as "en" or "pt-BR".']
    cleaned["locale"] = locale

    body, url, body_format = values["body"], values["external_url"], values["body_format"]
    if body is not None and url is not None:
        errors["external_url"] = ["An article has a body or an external URL, not both."]
    elif body is None and url is None:
        errors["body"] = ["Write a body, or give an external URL for a linked article."]
    elif url is not None:
        if not isinstance(url, str) or not EXTERNAL_URL.match(url.strip()) or len(url.strip()) > MAX_URL:
            errors["external_url"] = ["Use an http(s) URL."]
        else:
            cleaned.update(external_url=url.strip(), body_source="", body_html="", body_format="html")
    else:
        if body_format not in BODY_FORMATS:
            errors["body_format"] = [f"Use one of: {', '.join(BODY_FORMATS)}."]
        elif not isinstance(body, str):
            errors["body"] = ["Enter text."]
        else:
            cleaned.update(external_url=None, body_source=body, body_html=_render(body, body_format), body_format=body_format)

    if values["collection_id"] is not None:
        try:
            cleaned["collection_id"] = get_scoped(Collection, workspace.id, values["collection_id"]).id
        except NotFound:
            errors["collection_id"] = ["No such collection in this workspace."]
    else:
        cleaned["collection_id"] = None

    cleaned["translation_of_id"] = None
    if values["translation_of_id"] is not None:
        try:
            original = _root(get_scoped(Article, workspace.id, values["translation_of_id"]))
        except NotFound:
            errors["translation_of_id"] = ["No such article in this workspace."]
        else:
            if article is not None and original.id == article.id:
                errors["translation_of_id"] = ["An article cannot translate itself."]
            elif locale is not None and locale == original.locale:
                errors["locale"] = ["A translation needs a locale other than its original's."]
            elif locale is not None and _translation(original, locale, published_only=False, exclude=article) is not None:
                errors["locale"] = [f"This article already has a translation in {locale}."]
            cleaned["translation_of_id"] = original.id
    if errors:
        raise ValidationError("The article is not valid.", errors)
    return cleaned


def create_article(
    workspace: Workspace,
    *,
    title: str,
    description: str = "",
    body: str | None = None,
    body_format: str = "html",
    external_url: str | None = None,
    visible_to: str = "all",
    locale: str = "en",
    collection_id: int | None = None,
    author: User | None = None,
    translation_of_id: int | None = None,
) -> Article:
    """Create a draft: native (``body`` as HTML or Markdown, stored sanitized) or linked
    (``external_url``), exactly one of the two. A translation points at its original article."""
    if author is not None and author.workspace_id != workspace.id:
        raise ValidationError.field("author", "No such user in this workspace.")
    cleaned = _clean(
        workspace,
        dict(
            title=title, description=description, body=body, body_format=body_format, external_url=external_url,
            visible_to=visible_to, locale=locale, collection_id=collection_id, translation_of_id=translation_of_id,
        ),
        None,
    )
    article = Article(workspace_id=workspace.id, status="draft", author_user_id=author.id if author else None, **cleaned)
    db.session.add(article)
    db.session.flush()
    return article


#: What :func:`update_article` may change.
UPDATABLE = (
    "title", "description", "body", "body_format", "external_url", "visible_to", "locale", "collection_id",
    "translation_of_id",
)


def update_article(workspace: Workspace, article: Article, **changes: Any) -> Article:
    """Change an article's fields (:data:`UPDATABLE`), draft or published; status is unchanged.

    Giving ``body`` alone turns a linked article native; giving ``external_url`` alone turns a
    native article linked. The result is validated as a whole, as on creation.
    """
    _check_workspace(workspace, article)
    unknown = [name for name in changes if name not in UPDATABLE]
    if unknown:
        raise ValidationError(
            "Some fields cannot be changed.", {name: [f"Use one of: {', '.join(UPDATABLE)}."] for name in unknown}
        )
    values: dict[str, Any] = {
        "title": article.title,
        "description": article.description,
        "body": article.body_source if article.is_native else None,
        "body_format": article.body_format,
        "external_url": article.external_url,
        "visible_to": article.visible_to,
        "locale": article.locale,
        "collection_id": article.collection_id,
        "translation_of_id": article.translation_of_id,
    }
    values.update(changes)
    if changes.get("external_url") is not None and "body" not in changes:
        values["body"] = None
    if changes.get("body") is not None and "external_url" not in changes:
        values["external_url"] = None
    cleaned = _clean(workspace, values, article)
    for name, value in cleaned.items():
        setattr(article, name, value)
    article.updated_at = utcnow()
    db.session.flush()
    return article


def publish_article(
    workspace: Workspace, article: Article, *, notify: bool = False, comment: str | None = None
) -> Article:
    """Publish (or re-publish) and emit ``article_published`` with ``notify`` and the author's
    ``comment`` (snap-ins such as article-follow mail subscribers when ``notify`` is true)."""
    _check_workspace(workspace, article)
    if comment is not None:
        if not isinstance(comment, str) or len(comment.strip()) > MAX_COMMENT:
            raise ValidationError.field("comment", f"Use text of at most {MAX_COMMENT} characters.")
        comment = comment.strip() or None
    if article.is_native and not (article.body_html or "").strip():
        raise ValidationError.field("body", "Write the article before publishing it.")
    now = utcnow()
    article.status = "published"
    if article.published_at is None:
        article.published_at = now
    article.updated_at = now
    db.session.flush()
    urls = get_runtime().urls
    url_fn: Callable[[Article], str] = lambda a: urls.article(workspace.slug, a.id)  # noqa: E731
    events.emit(
        db.session,
        "article_published",
        workspace.id,
        {"article": to_payload(article_info(article, url_fn)), "notify": bool(notify), "comment": comment},
    )
    return article


def unpublish_article(workspace: Workspace, article: Article) -> Article:
    """Back to draft: readers no longer see it (``published_at`` keeps the first publication)."""
    _check_workspace(workspace, article)
    article.status = "draft"
    article.updated_at = utcnow()
    db.session.flush()
    return article


def delete_article(workspace: Workspace, article: Article) -> None:
    """Delete the article; its translations stay, as articles of their own."""
    _check_workspace(workspace, article)
    for translation in db.session.scalars(
        select(Article).where(Article.workspace_id == workspace.id, Article.translation_of_id == article.id)
    ):
        translation.translation_of_id = None
    db.session.delete(article)
    db.session.flush()


def _check_workspace(workspace: Workspace, article: Article) -> None:
    if article.workspace_id != workspace.id:
        raise NotFound("Article not found.")


# -- Who may read what --------------------------------------------------------------------------


def can_view(workspace: Workspace, article: Article, contact: Contact | None) -> bool:
    """THE rule for readers: only published articles of an enabled knowledge base;
    ``all`` -> any contact, and anonymous readers only when the knowledge base is public;
    ``verified`` -> verified contacts; ``customer_admins`` -> verified customer admins.
    A contact of another workspace counts as anonymous."""
    if article.workspace_id != workspace.id or article.status != "published":
        return False
    features = feature_switches(workspace)
    if not features.get("knowledge_base", True):
        return False
    if contact is not None and contact.workspace_id != workspace.id:
        contact = None
    if article.visible_to == "all":
        return contact is not None or bool(features.get("knowledge_base_public", True))
    if contact is None or not contact.verified:
        return False
    if article.visible_to == "verified":
        return True
    return article.visible_to == "customer_admins" and bool(contact.is_customer_admin)


def viewable_articles(
    workspace: Workspace, contact: Contact | None, *, locale: str | None = None, collection_id: int | None = None
) -> Select[tuple[Article]]:
    """:func:`can_view` as a query, newest publication first."""
    query = select(Article).where(Article.workspace_id == workspace.id, Article.status == "published")
    features = feature_switches(workspace)
    if contact is not None and contact.workspace_id != workspace.id:
        contact = None
    if not features.get("knowledge_base", True):
        query = query.where(false())
    elif contact is None:
        audiences = ["all"] if features.get("knowledge_base_public", True) else []
        query = query.where(Article.visible_to.in_(audiences))
    elif not contact.verified:
        query = query.where(Article.visible_to == "all")
    elif not contact.is_customer_admin:
        query = query.where(Article.visible_to.in_(["all", "verified"]))
    else:
        query = query.where(Article.visible_to.in_(VISIBLE_TO))
    if locale is not None:
        query = query.where(Article.locale == (normalize_locale(locale) or locale))
    if collection_id is not None:
        query = query.where(Article.collection_id == collection_id)
    return query.order_by(Article.published_at.desc(), Article.id.desc())


def _root(article: Article) -> Article:
    """The original an article translates (following the chain; guarded against cycles)."""
    seen = {article.id}
    while article.translation_of_id is not None:
        parent = db.session.get(Article, article.translation_of_id)
        if parent is None or parent.id in seen or parent.workspace_id != article.workspace_id:
            break
        seen.add(parent.id)
        article = parent
    return article


def _translation(original: Article, locale: str, *, published_only: bool, exclude: Article | None = None) -> Article | None:
    query = select(Article).where(
        Article.workspace_id == original.workspace_id,
        Article.translation_of_id == original.id,
        Article.locale == locale,
    )
    if published_only:
        query = query.where(Article.status == "published")
    if exclude is not None:
        query = query.where(Article.id != exclude.id)
    return db.session.scalars(query.order_by(Article.id)).first()


def article_in_locale(workspace: Workspace, article: Article, locale: str) -> Article:
    """The published version of ``article`` in ``locale`` (the original or one of its translations),
    else ``article`` itself. The caller still checks :func:`can_view` on the result."""
    _check_workspace(workspace, article)
    wanted = normalize_locale(locale)
    if wanted is None or article.locale == wanted:
        return article
    original = _root(article)
    if original.locale == wanted and original.status == "published":
        return original
    return _translation(original, wanted, published_only=True) or article


def translations(workspace: Workspace, article: Article) -> list[Article]:
    """Every article in the same translation family (original first), any status."""
    _check_workspace(workspace, article)
    original = _root(article)
    others = db.session.scalars(
        select(Article)
        .where(Article.workspace_id == workspace.id, Article.translation_of_id == original.id)
        .order_by(Article.locale, Article.id)
    )
    return [original, *others]


# -- Collections --------------------------------------------------------------------------------


def create_collection(
    workspace: Workspace, *, name: str, description: str = "", parent_id: int | None = None
) -> Collection:
    """A new collection (directory) at the end of its siblings."""
    errors: dict[str, list[str]] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 200:
        errors["name"] = ["A collection needs a name of at most 200 characters."]
    if not isinstance(description, str) or len(description.strip()) > MAX_DESCRIPTION:
        errors["description"] = [f"Use text of at most {MAX_DESCRIPTION} characters."]
    if parent_id is not None:
        try:
            parent_id = get_scoped(Collection, workspace.id, parent_id).id
        except NotFound:
            errors["parent_id"] = ["No such collection in this workspace."]
    if errors:
        raise ValidationError("The collection is not valid.", errors)
    last = db.session.scalar(
        select(func.max(Collection.position)).where(
            Collection.workspace_id == workspace.id,
            Collection.parent_id.is_(None) if parent_id is None else Collection.parent_id == parent_id,
        )
    )
    collection = Collection(
        workspace_id=workspace.id,
        name=name,
        description=description.strip(),
        parent_id=parent_id,
        position=(last if last is not None else -1) + 1,
    )
    db.session.add(collection)
    db.session.flush()
    return collection


def list_collections(workspace: Workspace | int, *, parent_id: int | None | type[...] = ...) -> list[Collection]:
    """The workspace's collections by position (only the children of ``parent_id`` when given;
    ``parent_id=None`` gives the top level)."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.id
    query = select(Collection).where(Collection.workspace_id == workspace_id)
    if parent_id is None:
        query = query.where(Collection.parent_id.is_(None))
    elif parent_id is not ...:
        query = query.where(Collection.parent_id == parent_id)
    return list(db.session.scalars(query.order_by(Collection.position, Collection.name, Collection.id)))


def update_collection(
    workspace: Workspace, collection: Collection, *, name: str | None = None, description: str | None = None
) -> Collection:
    """Rename a collection or change its description."""
    if collection.workspace_id != workspace.id:
        raise NotFound("Collection not found.")
    errors: dict[str, list[str]] = {}
    if name is not None:
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > 200:
            errors["name"] = ["A collection needs a name of at most 200 characters."]
    if description is not None and (not isinstance(description, str) or len(description.strip()) > MAX_DESCRIPTION):
        errors["description"] = [f"Use text of at most {MAX_DESCRIPTION} characters."]
    if errors:
        raise ValidationError("The collection is not valid.", errors)
    if name is not None:
        collection.name = name
    if description is not None:
        collection.description = description.strip()
    db.session.flush()
    return collection


def delete_collection(workspace: Workspace, collection: Collection) -> None:
    """Delete a collection: its articles stay, outside any collection; its sub-collections move up a level."""
    if collection.workspace_id != workspace.id:
        raise NotFound("Collection not found.")
    for article in db.session.scalars(
        select(Article).where(Article.workspace_id == workspace.id, Article.collection_id == collection.id)
    ):
        article.collection_id = None
    for child in db.session.scalars(
        select(Collection).where(Collection.workspace_id == workspace.id, Collection.parent_id == collection.id)
    ):
        child.parent_id = collection.parent_id
    db.session.delete(collection)
    db.session.flush()
