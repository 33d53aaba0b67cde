"""Workspaces (tenants): creation, lookup, the application access token secret."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import func, select

from core.db import db
from core.errors import Conflict, ValidationError
from core.models import Workspace

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
#: Slugs that would shadow the app's own top-level paths.
RESERVED_SLUGS = frozenset({
    "api", "inbox", "inbound", "settings", "widget", "static", "login", "logout", "health", "snapins", "workspaces",
    "robots.txt", "sitemap.xml", "favicon.ico",
    # Locale prefixes of the portal's SEO pages (/<locale>/<slug>/...).
    "en", "fr", "de", "es", "it", "ja", "nl", "pt", "zh",
})


def new_app_token_secret() -> str:
    return secrets.token_urlsafe(32)


def create_workspace(
    *,
    slug: str,
    name: str,
    admin_email: str | None = None,
    admin_name: str = "",
    admin_password: str | None = None,
) -> Workspace:
    """Create a workspace (and its first admin when ``admin_email`` is given). Caller commits."""
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise ValidationError.field("slug", "Use 1-63 lowercase letters, digits or dashes (not at the ends).")
    if slug in RESERVED_SLUGS:
        raise ValidationError.field("slug", f"'{slug}' is reserved; choose another slug.")
    if not (name or "").strip():
        raise ValidationError.field("name", "A workspace needs a name.")
    if db.session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None:
        raise Conflict(f"The slug '{slug}' is taken.")
    workspace = Workspace(slug=slug, name=name.strip(), app_token_secret=new_app_token_secret(), settings={})
    db.session.add(workspace)
    db.session.flush()
    if admin_email:
        from core.people import create_user

        create_user(workspace, email=admin_email, name=admin_name or admin_email, role="admin", password=admin_password)
    return workspace


def get_by_slug(slug: str) -> Workspace | None:
    return db.session.scalar(select(Workspace).where(Workspace.slug == (slug or "").lower()))


def get_by_domain(host: str) -> Workspace | None:
    return db.session.scalar(select(Workspace).where(func.lower(Workspace.custom_domain) == (host or "").lower()))


def set_custom_domain(workspace: Workspace, domain: str | None) -> None:
    domain = (domain or "").strip().lower() or None
    if domain is not None:
        if not re.match(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", domain):
            raise ValidationError.field("custom_domain", "Use a host name such as support.example.com.")
        other = get_by_domain(domain)
        if other is not None and other.id != workspace.id:
            raise Conflict(f"The domain '{domain}' is used by another workspace.")
    workspace.custom_domain = domain


def rotate_app_token_secret(workspace: Workspace) -> str:
    workspace.app_token_secret = new_app_token_secret()
    return workspace.app_token_secret
