"""Which workspace a request is for: ``/<slug>/...`` or a custom domain (Host header)."""

from __future__ import annotations

from flask import abort, request
from sqlalchemy import func, select

from core.db import db
from core.models import Workspace


def workspace_by_slug(slug: str) -> Workspace:
    workspace = db.session.scalar(select(Workspace).where(Workspace.slug == slug.lower()))
    if workspace is None:
        abort(404, description=f"There is no workspace '{slug}'.")
    return workspace


def workspace_by_host() -> Workspace | None:
    host = (request.host or "").split(":")[0].lower()
    if not host:
        return None
    return db.session.scalar(select(Workspace).where(func.lower(Workspace.custom_domain) == host))
