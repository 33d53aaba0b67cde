"""Links snap-ins add to navigation areas (hook ``snapdesk_menu_items``), for the page templates."""

from __future__ import annotations

from core.models import Workspace
from core.runtime import get_runtime
from hooks.types import MenuItem, Viewer

#: The areas pages render; a snap-in's hook receives one of these as ``area``.
AREAS = ("portal_header", "inbox_sidebar")


def menu_items(workspace: Workspace, area: str, viewer: Viewer) -> list[MenuItem]:
    """Every enabled snap-in's items for ``area``, in dispatch order; anything not a MenuItem is ignored."""
    items: list[MenuItem] = []
    for answer in get_runtime().dispatcher.collect("snapdesk_menu_items", workspace, area=area, viewer=viewer):
        items.extend(item for item in answer.value or () if isinstance(item, MenuItem))
    return items
