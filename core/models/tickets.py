"""Tickets (the two trackers) and their threaded comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Table, Column, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, WorkspaceScoped, db, utcnow
from core.models.people import Account, Contact, User

#: Who reported a ticket; verified customers see the tickets they are in.
ticket_reporters = Table(
    "ticket_reporters",
    db.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Ticket(WorkspaceScoped, db.Model):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_ws_tracker_stage", "workspace_id", "tracker", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    #: "blocker", "high", "medium", "low".
    severity: Mapped[str] = mapped_column(String(16), default="medium")
    priority: Mapped[str] = mapped_column(String(8), default="p2")
    category: Mapped[str | None] = mapped_column(String(100))
    #: A core.tickets.TicketStage value.
    stage: Mapped[str] = mapped_column(String(32))
    #: "no_code_change" (Active Ticket Tracker) or "needs_code_change" (Product Assist Tracker).
    tracker: Mapped[str] = mapped_column(String(24), default="no_code_change")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Values of the workspace's custom ticket fields, validated by core.ticket_form.
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    account: Mapped[Account | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    reported_by: Mapped[list[Contact]] = relationship(secondary=ticket_reporters, order_by="Contact.id")
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="ticket", order_by="Comment.id", cascade="all, delete-orphan"
    )


class Comment(WorkspaceScoped, db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    #: Reply-to comment (threads); None for a top-level comment.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_kind: Mapped[str] = mapped_column(String(8))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    #: "external" (customer-visible) or "internal" (agents only).
    visibility: Mapped[str] = mapped_column(String(8), default="external")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="comments")
    author_user: Mapped[User | None] = relationship()
    author_contact: Mapped[Contact | None] = relationship()
