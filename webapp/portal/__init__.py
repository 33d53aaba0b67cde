"""The customer portal: ``/<workspace-slug>/...`` (or a custom domain mapped to the workspace).

This package holds one blueprint, ``portal``; its views live in the modules imported at the end:
``auth`` (sign-in by email code or JWT, sign-out, workspace switching), ``tickets`` (list, create,
ticket page with comments), ``kb`` (home, collections, articles, search, sitemap). Every view gets
the workspace from the URL as ``g.workspace``; the viewer (anonymous, customer, agent) is
``g.viewer`` and the signed-in contact ``g.contact``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from core.models import Workspace
from core.portal_settings import get_settings
from webapp.auth import current_contact, current_viewer
from webapp.tenancy import workspace_by_slug

blueprint = Blueprint("portal", __name__, url_prefix="/<slug>")


def load_portal(workspace: Workspace) -> None:
    """Set what every portal view reads: ``g.workspace``, ``g.portal_settings``, ``g.contact``,
    ``g.viewer``. Shared by the blueprints serving the portal (``portal``, ``portal_locale``)."""
    g.workspace = workspace
    g.portal_settings = get_settings(workspace)
    g.contact = current_contact(workspace)
    g.viewer = current_viewer(workspace)


@blueprint.url_value_preprocessor
def _load_workspace(endpoint: str | None, values: dict[str, Any] | None) -> None:
    slug = (values or {}).pop("slug", None)
    if slug is None:
        return
    load_portal(workspace_by_slug(slug))


@blueprint.url_defaults
def _add_slug(endpoint: str, values: dict[str, Any]) -> None:
    if "slug" not in values and g.get("workspace") is not None and endpoint.startswith("portal."):
        values["slug"] = g.workspace.slug


@blueprint.context_processor
def portal_context() -> dict[str, Any]:
    settings = g.get("portal_settings") or {}
    appearance = settings.get("appearance", {})
    workspace = g.get("workspace")
    return {
        "workspace": workspace,
        "portal": settings,
        "features": settings.get("features", {}),
        "appearance": appearance,
        "company_name": appearance.get("company_name") or (workspace.name if workspace else ""),
        "viewer": g.get("viewer"),
        "contact": g.get("contact"),
    }


def feature_enabled(name: str) -> bool:
    return bool(g.portal_settings["features"].get(name))


# Views register themselves on the blueprint when imported.
from webapp.portal import views_index  # noqa: E402,F401
