"""Custom portal domains and ``robots.txt``.

A workspace may map a host name (``Workspace.custom_domain``, e.g. ``support.example.com``) to its
portal. :class:`CustomDomainMiddleware` serves such a host by rewriting the request path onto the
portal's ordinary URLs: ``/tickets`` -> ``/<slug>/tickets``, ``/fr/directories`` ->
``/fr/<slug>/directories``. Paths that already carry the slug, the agents' areas (inbox, settings,
API) and static files pass unchanged, so every link the app builds with ``url_for`` keeps working
on the custom domain. Host lookups are cached for :data:`CACHE_SECONDS` per process (a changed
domain takes effect within that time); an unknown host is served as the main site.

``/robots.txt`` allows the portal, disallows the agents' areas and lists each workspace's
sitemap (the sitemap views belong to the knowledge base, ``webapp/portal/kb.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request
from sqlalchemy import select

from core.db import db
from core.models import Workspace
from core.portal_settings import get_settings
from core.workspaces import get_by_domain

#: How long a host -> workspace lookup is reused, in seconds.
CACHE_SECONDS = 30.0
#: First path segments that never belong to a portal (agents' areas, API, files).
RESERVED_SEGMENTS = frozenset({"static", "inbox", "settings", "api", "widget", "robots.txt", "favicon.ico"})
#: Paths robots must not crawl (the agents' areas and the API).
DISALLOWED_PATHS = ("/inbox/", "/settings/", "/api/")


@dataclass(frozen=True)
class DomainTarget:
    """What a custom domain serves: the workspace's slug and its portal locales."""

    slug: str
    locales: frozenset[str]


class DomainCache:
    """host -> :class:`DomainTarget` (or None for "not a custom domain"), kept briefly."""

    def __init__(self, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, tuple[float, DomainTarget | None]] = {}
        self._lock = threading.Lock()

    def get(self, host: str, load: Callable[[str], DomainTarget | None]) -> DomainTarget | None:
        now = self.clock()
        with self._lock:
            entry = self._entries.get(host)
        if entry is not None and entry[0] > now:
            return entry[1]
        target = load(host)
        with self._lock:
            if len(self._entries) > 10_000:  # many random Host headers must not grow memory for ever
                self._entries.clear()
            self._entries[host] = (now + self.ttl, target)
        return target

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def request_host(environ: dict[str, Any]) -> str:
    """The request's host name, lower case, without port."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
    if host.startswith("["):  # IPv6 literal: never a custom domain
        return ""
    return host.split(":", 1)[0].strip().lower().rstrip(".")


def portal_path(path: str, target: DomainTarget) -> str:
    """The path ``path`` on a custom domain maps to (unchanged when it needs no slug)."""
    segments = path.lstrip("/").split("/")
    first = segments[0]
    if first == target.slug or first in RESERVED_SEGMENTS:
        return path
    if first in target.locales and first:
        # /<locale>/... is the knowledge base's SEO address: /<locale>/<slug>/...
        if len(segments) > 1 and segments[1] == target.slug:
            return path
        rest = "/".join(segments[1:])
        return f"/{first}/{target.slug}/{rest}" if rest else f"/{first}/{target.slug}/directories"
    return f"/{target.slug}/" + "/".join(segments) if first else f"/{target.slug}/"


class CustomDomainMiddleware:
    """WSGI middleware: requests whose Host is a workspace's custom domain reach its portal."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask, cache: DomainCache | None = None) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.cache = cache or DomainCache()

    def _load(self, host: str) -> DomainTarget | None:
        with self.app.app_context():
            try:
                workspace = get_by_domain(host)
                if workspace is None:
                    return None
                locales = get_settings(workspace)["locales"]
                enabled = {str(code) for code in locales.get("enabled") or []} | {str(locales.get("default") or "en")}
                return DomainTarget(workspace.slug, frozenset(enabled))
            finally:
                db.session.remove()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = request_host(environ)
        if host and "." in host and not _is_main_host(self.app, host):
            target = self.cache.get(host, self._load)
            if target is not None:
                environ["snapdesk.custom_domain_slug"] = target.slug
                environ["PATH_INFO"] = portal_path(environ.get("PATH_INFO") or "/", target)
        return self.wsgi_app(environ, start_response)


def _is_main_host(app: Flask, host: str) -> bool:
    base = str(app.config.get("BASE_URL") or "")
    main = base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host == main


def install(app: Flask) -> None:
    """Wrap ``app`` with the custom-domain middleware and add ``/robots.txt`` (once per app)."""
    if not isinstance(app.wsgi_app, CustomDomainMiddleware):
        app.wsgi_app = CustomDomainMiddleware(app.wsgi_app, app)  # type: ignore[method-assign]
    if "robots_txt" not in app.view_functions:
        app.add_url_rule("/robots.txt", "robots_txt", robots_txt)


def _sitemap_line(base: str, slug: str, workspace: Workspace) -> str | None:
    settings = get_settings(workspace)
    features = settings["features"]
    if not (features.get("knowledge_base") and features.get("knowledge_base_public")):
        return None  # a private knowledge base has nothing for crawlers
    locale = settings["locales"].get("default") or "en"
    return f"Sitemap: {base}/{locale}/{slug}/sitemap.xml"


def robots_txt() -> Response:
    """``/robots.txt``: portal pages allowed, agents' areas disallowed, sitemaps listed.

    On a custom domain only that workspace's sitemap is listed, at the custom domain's address.
    """
    from flask import current_app

    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED_PATHS), "Allow: /", ""]
    slug = request.environ.get("snapdesk.custom_domain_slug")
    if slug is not None:
        workspace = db.session.scalar(select(Workspace).where(Workspace.slug == slug))
        line = _sitemap_line(request.host_url.rstrip("/"), slug, workspace) if workspace is not None else None
        lines += [line] if line else []
    else:
        base = str(current_app.config.get("BASE_URL") or request.host_url).rstrip("/")
        for workspace in db.session.scalars(select(Workspace).order_by(Workspace.slug)):
            line = _sitemap_line(base, workspace.slug, workspace)
            if line:
                lines.append(line)
    return Response("\n".join(lines).rstrip("\n") + "\n", mimetype="text/plain")


def _on_register(state: Any) -> None:
    install(state.app)


# The portal blueprint carries the middleware and robots.txt to every app that registers it.
from webapp.portal import blueprint as _portal_blueprint  # noqa: E402

_portal_blueprint.record_once(_on_register)
