"""Sign-in state: email one-time codes and used JWT ids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, WorkspaceScoped, db, utcnow


class OtpChallenge(WorkspaceScoped, db.Model):
    """A mailed 6-digit code. Only a keyed hash of the code is stored."""

    __tablename__ = "otp_challenges"
    __table_args__ = (Index("ix_otp_ws_email", "workspace_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    code_hash: Mapped[str] = mapped_column(String(128))
    ip: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UsedToken(WorkspaceScoped, db.Model):
    """The ``jti`` of a customer JWT that has been used: each token signs in once."""

    __tablename__ = "used_tokens"
    __table_args__ = (UniqueConstraint("workspace_id", "jti"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
