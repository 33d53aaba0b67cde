"""Admin-only endpoints: snap-ins of the workspace and its portal settings (agents get 403)."""

from __future__ import annotations

from typing import Any

from core.db import commit
from core.errors import NotFound
from core.models import User, Workspace
from core.portal_settings import get_settings, update_settings
from core.snapins import admin
from webapp.api.routing import api_route
from webapp.api.schemas.admin import (
    PortalSettingsSchema,
    PortalSettingsUpdateSchema,
    SnapinConfigSchema,
    SnapinEnableSchema,
    SnapinSchema,
)
from webapp.api.schemas.common import PageQuerySchema, page, page_of
from webapp.api.views.common import WS

ONE = f"{WS}/snapins/<snapin_id>"


def _row(workspace: Workspace, snapin_id: str) -> dict[str, Any]:
    for row in admin.overview(workspace):
        if row["id"] == snapin_id:
            return row
    raise NotFound(f"No snap-in '{snapin_id}' is installed.")


@api_route(f"{WS}/snapins", "GET", tag="snap-ins", access="admin", query=PageQuerySchema, response=page_of(SnapinSchema))
def list_snapins(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List installed snap-ins with their status and (redacted) configuration in this workspace."""
    rows = admin.overview(workspace)
    return page(rows[query["offset"]:query["offset"] + query["limit"]], len(rows), query)


@api_route(f"{ONE}/enable", "POST", tag="snap-ins", access="admin", body=SnapinEnableSchema, body_optional=True,
           response=SnapinSchema)
def enable_snapin(*, workspace: Workspace, user: User, snapin_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Enable a snap-in with its configuration (validated by the snap-in's schema)."""
    admin.enable(workspace, snapin_id, body["config"], priority=body.get("priority"))
    commit()
    return _row(workspace, snapin_id)


@api_route(f"{ONE}/disable", "POST", tag="snap-ins", access="admin", response=SnapinSchema)
def disable_snapin(*, workspace: Workspace, user: User, snapin_id: str) -> dict[str, Any]:
    """Disable a snap-in (its configuration is kept)."""
    admin.disable(workspace, snapin_id)
    commit()
    return _row(workspace, snapin_id)


@api_route(f"{ONE}/config", "PUT", tag="snap-ins", access="admin", body=SnapinConfigSchema, response=SnapinSchema)
def configure_snapin(*, workspace: Workspace, user: User, snapin_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Replace a snap-in's configuration without enabling or disabling it."""
    admin.configure(workspace, snapin_id, body["config"], priority=body.get("priority"))
    commit()
    return _row(workspace, snapin_id)


@api_route(f"{WS}/portal-settings", "GET", tag="portal", access="admin", response=PortalSettingsSchema)
def get_portal_settings(*, workspace: Workspace, user: User) -> dict[str, Any]:
    """Read the portal, widget and ticket-form settings (defaults filled in)."""
    return get_settings(workspace)


@api_route(f"{WS}/portal-settings", "PATCH", tag="portal", access="admin", body=PortalSettingsUpdateSchema,
           response=PortalSettingsSchema)
def update_portal_settings(*, workspace: Workspace, user: User, body: dict[str, Any]) -> dict[str, Any]:
    """Change some settings: ``{"features": {"tickets": false}}``; errors name ``section.field``."""
    settings = update_settings(workspace, body)
    commit()
    return settings
