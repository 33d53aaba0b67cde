"""The portal's locale-prefixed addresses for search engines: ``/<locale>/<slug>/...``.

Blueprint ``portal_locale`` serves the knowledge base under a locale prefix: the SEO home
``/<locale>/<slug>/directories``, collections, search, article pages
``/<locale>/<slug>/articles/<id>-<title-slug>`` (THE canonical form of an article's address) and
``/<locale>/<slug>/sitemap.xml``. It loads the workspace exactly as the ``portal`` blueprint does
(:func:`webapp.portal.load_portal`) and pins the page's locale to the URL's (``g.url_locale``),
which must be one of the workspace's enabled locales (else 404). The views themselves live in
:mod:`webapp.portal.kb`, which registers them on both blueprints. Locale codes can never be
workspace slugs (``core.workspaces.RESERVED_SLUGS``), so ``/fr/...`` is never a portal.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, g, url_for
from werkzeug.routing import BaseConverter

from core.articles import normalize_locale
from core.db import db
from core.models import Article
from webapp.i18n import enabled_locales
from webapp.tenancy import workspace_by_slug

blueprint = Blueprint("portal_locale", __name__, url_prefix="/<locale:locale>/<slug>")

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


class LocaleConverter(BaseConverter):
    """A URL segment shaped like a locale: "fr", "pt-BR", "zh-Hant" (whether enabled is checked later)."""

    regex = r"[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[a-zA-Z]{4}))?"


def _install_converter(state: Any) -> None:
    state.app.url_map.converters.setdefault("locale", LocaleConverter)


blueprint.record_once(_install_converter)


@blueprint.url_value_preprocessor
def _load_workspace(endpoint: str | None, values: dict[str, Any] | None) -> None:
    values = values if values is not None else {}
    slug, locale = values.pop("slug", None), values.pop("locale", None)
    if slug is None or locale is None:
        return
    from webapp.portal import load_portal  # the package imports this module's views: import late

    load_portal(workspace_by_slug(slug))
    wanted = normalize_locale(locale)
    if wanted is None or wanted not in enabled_locales(g.portal_settings):
        abort(404, description=f"This help center is not available in '{locale}'.")
    g.url_locale = wanted


@blueprint.url_defaults
def _add_slug_and_locale(endpoint: str, values: dict[str, Any]) -> None:
    if not endpoint.startswith("portal_locale."):
        return
    if "slug" not in values and g.get("workspace") is not None:
        values["slug"] = g.workspace.slug
    if "locale" not in values:
        from webapp.i18n import page_locale

        values["locale"] = g.get("url_locale") or page_locale()


@blueprint.context_processor
def _portal_context() -> dict[str, Any]:
    from webapp.portal import portal_context

    return portal_context()


# -- Addresses ----------------------------------------------------------------------------------


def title_slug(title: str) -> str:
    """"Reset your password!" -> "reset-your-password" (ASCII; "article" when nothing is left)."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:80].strip("-")
    return slug or "article"


def canonical_article_url(article: Article, *, external: bool = True) -> str:
    """THE address of ``article``: its own locale, id and title slug."""
    return url_for(
        "portal_locale.article",
        slug=g.workspace.slug,
        locale=article.locale,
        article_id=article.id,
        title_slug=title_slug(article.title),
        _external=external,
    )


def home_url(locale: str, *, external: bool = True) -> str:
    return url_for("portal_locale.directories", slug=g.workspace.slug, locale=locale, _external=external)


# -- Sitemap ------------------------------------------------------------------------------------


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """sitemaps.org XML: this locale's home page and every article an anonymous visitor may read.

    A knowledge base that is off or private has nothing for crawlers: 404 (an empty ``urlset`` would
    not be valid, the schema wants at least one ``url``).
    """
    from core.articles import viewable_articles

    features = g.portal_settings["features"]
    if not (features.get("knowledge_base") and features.get("knowledge_base_public")):
        abort(404, description="This help center has no public knowledge base.")
    entries = [(home_url(g.url_locale), None)]
    for article in db.session.scalars(viewable_articles(g.workspace, None)):
        lastmod = article.updated_at or article.published_at
        entries.append((canonical_article_url(article), lastmod.date().isoformat() if lastmod else None))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NAMESPACE}">']
    for loc, lastmod in entries:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(loc)}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{lastmod}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", mimetype="application/xml")

