"""What the base layout (templates/base.html) needs on every page: the agent navigation.

Views guarded by :func:`webapp.auth.login_required` set ``g.workspace`` and ``g.user``; the
layout shows the navigation only then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, url_for

#: The settings menu: (label, endpoint). Sections whose endpoint is not registered yet are shown
#: as "coming soon" (the portal and knowledge-base settings land with their own issues).
SETTINGS_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("snapins", "Snap-ins", "settings.snapins"),
    ("portal", "Portal", "settings.portal"),
    ("knowledge_base", "Knowledge base", "settings.knowledge_base"),
    ("accounts", "Accounts & contacts", "settings.accounts"),
)


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    #: None: not built yet.
    url: str | None


def _settings_nav(slug: str) -> list[NavItem]:
    items = []
    for key, label, endpoint in SETTINGS_SECTIONS:
        url = url_for(endpoint, slug=slug) if endpoint in current_app.view_functions else None
        items.append(NavItem(key, label, url))
    return items


def layout_context() -> dict[str, Any]:
    workspace = g.get("workspace")
    user = g.get("user")
    if workspace is None or user is None:
        return {"nav_workspace": workspace, "nav_user": None, "settings_nav": []}
    from core.snapshots import user_info
    from hooks.types import Viewer
    from webapp.menus import menu_items

    return {
        "nav_workspace": workspace,
        "nav_user": user,
        "settings_nav": _settings_nav(workspace.slug) if user.is_admin else [],
        "agent_menu": menu_items(workspace, "inbox_sidebar", Viewer(kind="agent", user=user_info(user))),
    }


def init_layout(app: Flask) -> None:
    app.context_processor(layout_context)
    # Block tags on their own lines leave no blank lines behind (readable HTML, smaller pages).
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
