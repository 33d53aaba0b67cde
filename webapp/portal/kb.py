"""The knowledge base on the portal: home, collections, article pages, search.

Every view is registered twice: on ``portal`` (``/<slug>/...``, the locale negotiated from the
contact and the browser) and on ``portal_locale`` (``/<locale>/<slug>/...``, the SEO addresses,
locale pinned by the URL; see :mod:`webapp.portal.seo`). Who may read what is
:func:`core.articles.can_view`; this module only adds the portal's doors:

- knowledge base off: a page that says so (404 on every page but the home page);
- knowledge base private: anonymous visitors are sent to sign in (``portal.login``) and back;
- public: anyone reads and searches what is visible to ``all``.

Articles show in the page's locale when a published translation exists, else in their own locale
with a note. Linked articles redirect to their external URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from werkzeug.routing import BuildError

from core.articles import article_in_locale, can_view, list_collections, translations, viewable_articles
from core.db import db, get_scoped
from core.errors import NotFound
from core.models import Article, Collection
from core.runtime import get_runtime
from core.search import search_articles
from core.snapshots import article_info
from hooks.types import PageAction
from webapp.auth import safe_next
from webapp.i18n import language_name, page_locale
from webapp.portal import blueprint, feature_enabled
from webapp.portal.seo import blueprint as locale_blueprint
from webapp.portal.seo import canonical_article_url, home_url, title_slug

#: How many articles the home page lists as "recent".
RECENT_ARTICLES = 8
#: How many search results a page shows.
SEARCH_RESULTS = 20
#: Longer queries are cut (no one types more; it bounds the work per request).
MAX_QUERY = 200


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here (the template translates it)."""
    return message


#: The labels first-party snap-ins give their page actions; article.html translates action labels,
#: so these must be in the catalog.
SNAPIN_ACTION_LABELS = (N_("Subscribe"), N_("Unsubscribe"), N_("Download as PDF"))


# -- Doors --------------------------------------------------------------------------------------


def sign_in_url(next_url: str | None = None) -> str:
    """The portal's sign-in page, coming back to ``next_url`` (default: this page)."""
    target = safe_next(next_url or _here(), default=url_for("portal.home"))
    try:
        return url_for("portal.login", next=target)
    except BuildError:  # the sign-in views are not registered (an app without them)
        return get_runtime().urls.sign_in(g.workspace.slug, target)


def _here() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path


def _closed_door() -> Any | None:
    """None when the visitor may read the knowledge base; else the response to give instead."""
    if not feature_enabled("knowledge_base"):
        return render_template("portal/kb/off.html"), 404
    if not feature_enabled("knowledge_base_public") and g.contact is None:
        return redirect(sign_in_url())
    return None


# -- Listing in the page's locale ----------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """One article of a listing: the version to show and its whole (viewable) translation family."""

    article: Article
    family: tuple[Article, ...]

    def in_collection(self, collection_id: int) -> bool:
        return any(member.collection_id == collection_id for member in self.family)


def readable_articles() -> list[Listed]:
    """What the viewer may read, one entry per translation family, newest first; each in the page's
    locale when that translation is viewable, else the original (else any viewable member)."""
    locale = page_locale()
    families: dict[int, list[Article]] = {}
    for article in db.session.scalars(viewable_articles(g.workspace, g.contact)):
        families.setdefault(article.translation_of_id or article.id, []).append(article)
    listed = []
    for root_id, members in families.items():
        chosen = (
            next((m for m in members if m.locale == locale), None)
            or next((m for m in members if m.id == root_id), None)
            or members[0]
        )
        listed.append(Listed(chosen, tuple(members)))
    return listed


def article_url(article: Article) -> str:
    """Where a listing links an article: the locale-prefixed page on locale pages, else ``/<slug>/articles/<id>``."""
    if g.get("url_locale"):
        return url_for("portal_locale.article", article_id=article.id, title_slug=title_slug(article.title))
    return url_for("portal.article", article_id=article.id)


def kb_url(name: str, **values: Any) -> str:
    """A knowledge-base page (``home``, ``search``, ``collection``) in the current address scheme."""
    if g.get("url_locale"):
        return url_for("portal_locale." + ("directories" if name == "home" else name), **values)
    return url_for("portal." + name, **values)


def appearance_text(key: str) -> str:
    """An appearance text (hero title, search placeholder): the admin's words as written, or, when
    the admin kept the default, the default in the page's language."""
    from flask_babel import gettext

    from core.portal_settings import DEFAULTS

    value = (g.get("portal_settings") or DEFAULTS)["appearance"].get(key) or ""
    default = DEFAULTS["appearance"].get(key)
    return gettext(default) if value == default and default else value


#: The appearance defaults (core/portal_settings.py) that :func:`appearance_text` translates.
APPEARANCE_DEFAULTS = (N_("How can we help?"), N_("Search articles"))


def _kb_context() -> dict[str, Any]:
    return {"kb_url": kb_url, "article_url": article_url, "appearance_text": appearance_text}


blueprint.context_processor(_kb_context)
locale_blueprint.context_processor(_kb_context)


# -- Pages --------------------------------------------------------------------------------------


@blueprint.get("/", endpoint="home")
@locale_blueprint.get("/directories", endpoint="directories")
def home() -> Any:
    """Hero, search box, collections grid and recent articles. With the knowledge base off the
    home page still answers (200): the portal may offer tickets."""
    if not feature_enabled("knowledge_base"):
        return render_template("portal/kb/off.html", on_home=True)
    closed = _closed_door()
    if closed is not None:
        return closed
    listed = readable_articles()
    collections = [
        (collection, sum(1 for entry in listed if entry.in_collection(collection.id)))
        for collection in list_collections(g.workspace, parent_id=None)
    ]
    return render_template(
        "portal/kb/home.html",
        collections=collections,
        recent=[entry.article for entry in listed[:RECENT_ARTICLES]],
        alternates=_home_alternates(),
        canonical=home_url(g.get("url_locale") or page_locale()),
    )


def _home_alternates() -> list[tuple[str, str]]:
    from webapp.i18n import enabled_locales

    return [(locale, home_url(locale)) for locale in enabled_locales(g.portal_settings)]


@blueprint.get("/collections/<int:collection_id>", endpoint="collection")
@locale_blueprint.get("/collections/<int:collection_id>", endpoint="collection")
def collection(collection_id: int) -> Any:
    closed = _closed_door()
    if closed is not None:
        return closed
    current = get_scoped(Collection, g.workspace.id, collection_id)
    parent = db.session.get(Collection, current.parent_id) if current.parent_id else None
    listed = readable_articles()
    return render_template(
        "portal/kb/collection.html",
        collection=current,
        parent=parent if parent is not None and parent.workspace_id == g.workspace.id else None,
        children=list_collections(g.workspace, parent_id=current.id),
        articles=[entry.article for entry in listed if entry.in_collection(current.id)],
    )


@blueprint.get("/search", endpoint="search")
@locale_blueprint.get("/search", endpoint="search")
def search() -> Any:
    """Ranked keyword search over what the viewer may read; matches wrapped in ``<mark>``."""
    closed = _closed_door()
    if closed is not None:
        return closed
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    hits = search_articles(g.workspace, query, contact=g.contact, limit=SEARCH_RESULTS) if query else []
    return render_template("portal/kb/search.html", query=query, hits=hits)


@blueprint.get("/articles/<int:article_id>", endpoint="article")
@locale_blueprint.get("/articles/<int:article_id>", endpoint="article_by_id")
@locale_blueprint.get("/articles/<int:article_id>-<title_slug>", endpoint="article")
def article(article_id: int, title_slug: str | None = None) -> Any:
    """An article page (see the module docstring for the locale and the doors).

    On locale-prefixed addresses a stale or missing title slug, or a translation in the URL's
    locale, redirects (301) to the one canonical address of what is shown.
    """
    closed = _closed_door()
    if closed is not None:
        return closed
    try:
        requested = get_scoped(Article, g.workspace.id, article_id)
    except NotFound:
        abort(404, description=_unreadable())
    if not can_view(g.workspace, requested, g.contact):
        if g.contact is None and requested.status == "published":
            return redirect(sign_in_url())  # maybe for signed-in customers only
        abort(404, description=_unreadable())
    locale = page_locale()
    shown = article_in_locale(g.workspace, requested, locale)
    if shown.id != requested.id and not can_view(g.workspace, shown, g.contact):
        shown = requested
    if g.get("url_locale"):
        wanted_slug = _title_slug(shown)
        if shown.id != requested.id or title_slug != wanted_slug:
            query = {k: v for k, v in request.args.items() if k not in ("slug", "locale", "article_id", "title_slug")}
            target = url_for("portal_locale.article", article_id=shown.id, title_slug=wanted_slug, **query)
            return redirect(target, 301)
    if not shown.is_native:
        return redirect(shown.external_url or url_for("portal.home"))
    family = [m for m in translations(g.workspace, shown) if can_view(g.workspace, m, g.contact)]
    return render_template(
        "portal/kb/article.html",
        article=shown,
        collection=_collection_of(shown, family),
        canonical=canonical_article_url(shown),
        alternates=[(m.locale, canonical_article_url(m)) for m in family],
        x_default=canonical_article_url(family[0]) if family else None,
        missing_language=language_name(locale) if shown.locale != locale else None,
        actions=page_actions(shown),
        notice=_notice(),
    )


def _title_slug(article: Article) -> str:
    return title_slug(article.title)


def _unreadable() -> str:
    from flask_babel import gettext

    return gettext("This article does not exist, or you cannot read it.")


def _collection_of(article: Article, family: list[Article]) -> Collection | None:
    for member in [article, *family]:
        if member.collection_id is not None:
            found = db.session.get(Collection, member.collection_id)
            if found is not None and found.workspace_id == g.workspace.id:
                return found
    return None


def _notice() -> str | None:
    """What a snap-in's round trip came back to say (article-follow adds ?subscribed=1)."""
    from flask_babel import gettext

    if request.args.get("subscribed") == "1":
        return gettext("You are subscribed: we will email you when this article is updated.")
    if request.args.get("unsubscribed") == "1":
        return gettext("You are unsubscribed from this article.")
    return None


def page_actions(shown: Article) -> list[PageAction]:
    """The buttons and links enabled snap-ins add to this article's page (hook ``snapdesk_page_actions``)."""
    urls = get_runtime().urls
    info = article_info(shown, lambda a: urls.article(g.workspace.slug, a.id))
    answers = get_runtime().dispatcher.collect(
        "snapdesk_page_actions", g.workspace, page="article", subject=info, viewer=g.viewer
    )
    actions: list[PageAction] = []
    for answer in answers:
        for action in answer.value or []:
            # A snap-in's bad answer is dropped, never rendered half-way.
            if isinstance(action, PageAction) and action.method in ("GET", "POST"):
                actions.append(action)
    return actions

