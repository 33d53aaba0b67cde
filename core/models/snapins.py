"""Per-workspace snap-in state: enablement and config, the snap-in key/value store, job keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, WorkspaceScoped, db, utcnow


class SnapinSetting(WorkspaceScoped, db.Model):
    """Whether a snap-in is enabled in a workspace, with its validated config and health."""

    __tablename__ = "snapin_settings"
    __table_args__ = (UniqueConstraint("workspace_id", "snapin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapin_id: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Config as validated by the snap-in's schema (``dump`` form: JSON-safe).
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Admin-set order among enabled snap-ins: lower runs first; ties broken by snap-in id.
    priority: Mapped[int] = mapped_column(Integer, default=100)
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SnapinRecord(WorkspaceScoped, db.Model):
    """One entry of a snap-in's store: ``(collection, key) -> value`` for one workspace and snap-in."""

    __tablename__ = "snapin_records"
    __table_args__ = (
        UniqueConstraint("workspace_id", "snapin_id", "collection", "key"),
        Index("ix_snapin_records_lookup", "workspace_id", "snapin_id", "collection"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapin_id: Mapped[str] = mapped_column(String(100))
    collection: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(255))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class JobKey(db.Model):
    """A unit of background work that has been done (or reserved): makes jobs idempotent under retries."""

    __tablename__ = "job_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    workspace_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
