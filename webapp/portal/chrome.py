"""What the portal's header and footer need on every portal page (``portal`` and ``portal_locale``).

:func:`portal_chrome` is an app-wide context processor that does nothing outside the portal
(it needs ``g.portal_settings``, which only portal requests set): the header tabs, the search
address, and the profile menu's workspace picker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from webapp.portal import blueprint


@dataclass(frozen=True)
class HeaderTab:
    key: str
    label: str
    url: str
    current: bool


def endpoint_url(endpoint: str, **values: Any) -> str | None:
    """``url_for(endpoint)`` when that endpoint exists and can be built here, else None."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _current_area() -> str:
    endpoint = request.endpoint or ""
    if endpoint == "portal.home":
        return "home"
    if endpoint.startswith("portal.ticket"):
        return "tickets"
    if endpoint.startswith("portal_locale.") or endpoint in ("portal.article", "portal.collection", "portal.search"):
        return "articles"
    return ""


def header_tabs(settings: dict[str, Any]) -> list[HeaderTab]:
    """The tabs the admin chose (appearance.header_tabs), minus those whose feature is off."""
    features = settings.get("features", {})
    area = _current_area()
    labels = {"home": _("Home"), "articles": _("Articles"), "tickets": _("Tickets")}
    tabs = []
    for key in settings.get("appearance", {}).get("header_tabs") or []:
        if key == "home":
            url = endpoint_url("portal.home")
        elif key == "articles":
            if not features.get("knowledge_base"):
                continue
            url = endpoint_url("portal_locale.directories") or endpoint_url("portal.home")
        elif key == "tickets":
            if not features.get("tickets"):
                continue
            url = endpoint_url("portal.tickets")
        else:
            continue
        if url is not None:
            tabs.append(HeaderTab(key, labels[key], url, area == key))
    return tabs


@blueprint.app_context_processor
def portal_chrome() -> dict[str, Any]:
    settings = g.get("portal_settings")
    workspace = g.get("workspace")
    if settings is None or workspace is None:
        return {}
    from webapp.menus import menu_items
    from webapp.portal.auth import workspace_choices

    features = settings.get("features", {})
    return {
        "header_tabs": header_tabs(settings),
        "search_url": endpoint_url("portal.search") if features.get("knowledge_base") else None,
        "tickets_on": bool(features.get("tickets")),
        "new_ticket_url": endpoint_url("portal.ticket_new") if features.get("tickets") else None,
        "sign_in_url": endpoint_url("portal.login", next=_here()),
        "workspace_choices": workspace_choices(workspace) if g.get("contact") is not None else [],
        "current_area": _current_area(),
        "portal_menu": menu_items(workspace, "portal_header", g.viewer) if g.get("viewer") is not None else [],
    }


def _here() -> str | None:
    if request.method != "GET" or (request.endpoint or "").startswith("portal.login"):
        return None
    return request.full_path.rstrip("?") if request.query_string else request.path
