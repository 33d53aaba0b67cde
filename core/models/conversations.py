"""Conversations (widget, email, portal chats), their messages, tags and stage history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, WorkspaceScoped, db, utcnow
from core.models.people import Account, Contact, User


class Conversation(WorkspaceScoped, db.Model):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_ws_stage", "workspace_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    #: "widget", "email" or "portal".
    channel: Mapped[str] = mapped_column(String(16))
    #: Who started it: "rev" (customer), "dev" (agent) or "system".
    creator_kind: Mapped[str] = mapped_column(String(8))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    #: A :class:`core.stages.Stage` value; changed only by core.conversations.change_stage.
    stage: Mapped[str] = mapped_column(String(24))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: A :data:`core.conversations.PRIORITIES` value.
    priority: Mapped[str] = mapped_column(String(8), default="p2")
    #: Which snap-in (or "core") chose the owner, and why; shown in the history.
    routed_by: Mapped[str | None] = mapped_column(String(200))
    #: Root Message-ID of the email thread, for appending replies by thread headers.
    email_thread_id: Mapped[str | None] = mapped_column(String(500), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Ticket this conversation waits on while in Hold.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))

    contact: Mapped[Contact | None] = relationship()
    account: Mapped[Account | None] = relationship()
    owner: Mapped[User | None] = relationship()
    messages: Mapped[list["Message"]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )
    tags: Mapped[list["ConversationTag"]] = relationship(
        back_populates="conversation", order_by="ConversationTag.tag", cascade="all, delete-orphan"
    )
    stage_changes: Mapped[list["StageChange"]] = relationship(
        back_populates="conversation", order_by="StageChange.id", cascade="all, delete-orphan"
    )


class Message(WorkspaceScoped, db.Model):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    #: "rev", "dev" or "system".
    author_kind: Mapped[str] = mapped_column(String(8))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    #: Internal notes are seen by agents only.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(16))
    email_message_id: Mapped[str | None] = mapped_column(String(500), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author_user: Mapped[User | None] = relationship()
    author_contact: Mapped[Contact | None] = relationship()


class ConversationTag(WorkspaceScoped, db.Model):
    """A tag on a conversation; ``value`` is used by valued tags such as ``resolution``."""

    __tablename__ = "conversation_tags"
    __table_args__ = (UniqueConstraint("conversation_id", "tag"), Index("ix_conversation_tags_ws_tag", "workspace_id", "tag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(200))

    conversation: Mapped[Conversation] = relationship(back_populates="tags")


class StageChange(WorkspaceScoped, db.Model):
    """One recorded stage change (the first row has ``from_stage`` None: the creation)."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(24))
    to_stage: Mapped[str] = mapped_column(String(24))
    #: "rev", "dev", "system" or "snapin".
    by_kind: Mapped[str] = mapped_column(String(8))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    by_snapin: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="stage_changes")
