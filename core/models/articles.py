"""Knowledge-base articles and the collections (directories) that hold them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, WorkspaceScoped, db, utcnow


class Collection(WorkspaceScoped, db.Model):
    """A directory of the knowledge base; may nest."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Article(WorkspaceScoped, db.Model):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_ws_status_locale", "workspace_id", "status", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: The SEO meta description.
    description: Mapped[str] = mapped_column(String(500), default="")
    #: Sanitized HTML (Markdown input is converted on save); empty for linked articles.
    body_html: Mapped[str] = mapped_column(Text, default="")
    #: What the author wrote ("html" or "markdown"), kept for editing.
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[str] = mapped_column(String(10), default="html")
    #: Set for linked (non-native) articles: the portal opens this URL instead of a body.
    external_url: Mapped[str | None] = mapped_column(String(2000))
    #: "draft" or "published".
    status: Mapped[str] = mapped_column(String(10), default="draft")
    #: "all", "verified" or "customer_admins".
    visible_to: Mapped[str] = mapped_column(String(16), default="all")
    locale: Mapped[str] = mapped_column(String(16), default="en")
    #: The article this one translates (same content in another locale), for locale fallback.
    translation_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id", ondelete="SET NULL"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    collection: Mapped[Collection | None] = relationship()

    @property
    def is_native(self) -> bool:
        return not self.external_url
