"""The tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow


class Workspace(db.Model):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL name of the portal: ``/<slug>/``. Lowercase letters, digits and dashes.
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Host name that serves this workspace's portal (matched against the Host header).
    custom_domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    #: Secret the company's app signs customer JWTs with ("application access token"). Never shown back.
    app_token_secret: Mapped[str] = mapped_column(String(128))
    #: Portal, widget and ticket-form settings; read and written only through core.portal_settings.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Workspace {self.slug}>"
