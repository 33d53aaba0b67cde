"""The context a hook receives: the only door from a snap-in into the core.

Every hook call gets a :class:`Context` built for that workspace and that snap-in: its validated
config, and the services below. The core provides real implementations; the test kit
(``webapp.testing``) provides the same ones over a test app. Services act inside the workspace of
the context only: an id from another workspace is "not found".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from hooks.types import (
    AccountInfo,
    ArticleInfo,
    CommentInfo,
    ContactInfo,
    ConversationInfo,
    MessageInfo,
    TicketInfo,
    UserInfo,
    WorkspaceInfo,
)


class NotFoundError(LookupError):
    """The object does not exist in this workspace."""


class ContactsAPI(Protocol):
    def get(self, contact_id: int) -> ContactInfo:
        """The contact, or :class:`NotFoundError`."""

    def find_by_email(self, email: str) -> ContactInfo | None:
        """Case-insensitive lookup."""

    def create(
        self, *, email: str, name: str = "", account_id: int | None = None, verified: bool = False
    ) -> ContactInfo:
        """Create a contact (fires ``contact_created``); an existing email returns that contact."""

    def account_for_email(self, email: str) -> AccountInfo | None:
        """The account whose email domains contain the email's domain."""

    def get_account(self, account_id: int) -> AccountInfo:
        """The account, or :class:`NotFoundError`."""


class UsersAPI(Protocol):
    def get(self, user_id: int) -> UserInfo:
        """The agent, or :class:`NotFoundError`."""

    def find_by_email(self, email: str) -> UserInfo | None:
        """Case-insensitive lookup of an agent."""

    def list(self) -> list[UserInfo]:
        """All agents and admins of the workspace."""


class ConversationsAPI(Protocol):
    def get(self, conversation_id: int) -> ConversationInfo: ...

    def messages(self, conversation_id: int) -> list[MessageInfo]: ...

    def add_note(self, conversation_id: int, body: str) -> MessageInfo:
        """An internal note by the system, signed with the snap-in's title."""

    def change_stage(self, conversation_id: int, stage: str, *, reason: str) -> ConversationInfo:
        """Move along the transition table; an illegal move raises ``ValueError`` naming the legal ones."""

    def set_tag(self, conversation_id: int, tag: str, value: str | None = None) -> ConversationInfo: ...

    def assign(self, conversation_id: int, owner_id: int, *, reason: str) -> ConversationInfo: ...


class TicketsAPI(Protocol):
    def get(self, ticket_id: int) -> TicketInfo: ...

    def comments(self, ticket_id: int) -> list[CommentInfo]: ...

    def add_comment(self, ticket_id: int, body: str, *, internal: bool = True) -> CommentInfo: ...


class ArticlesAPI(Protocol):
    def get(self, article_id: int) -> ArticleInfo: ...

    def body_html(self, article_id: int) -> str:
        """The sanitized HTML body of a native article ("" for linked ones)."""

    def viewable_by(self, article_id: int, contact_id: int | None) -> bool:
        """Whether that customer (None: anonymous) may read the article on the portal."""


class MailAPI(Protocol):
    def send(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str | None = None,
        sender_name: str | None = None,
        idempotency_key: str | None = None,
    ) -> bool:
        """Send one email. With ``idempotency_key``, a key already sent in this workspace and
        snap-in sends nothing and returns False (jobs may retry). True when sent."""


class JobsAPI(Protocol):
    def enqueue(self, func: Callable[..., None], /, *, job_key: str | None = None, **kwargs: Any) -> None:
        """Run ``func(context, **kwargs)`` in the background (after the current commit).

        ``func`` must be a module-level function of the snap-in's package; ``kwargs`` JSON-safe.
        A ``job_key`` that already ran successfully is not run again.
        """


class UrlsAPI(Protocol):
    def portal(self, path: str = "") -> str:
        """Absolute URL of the workspace's portal, plus ``path``."""

    def article(self, article_id: int) -> str: ...

    def ticket(self, ticket_id: int) -> str: ...

    def conversation(self, conversation_id: int) -> str:
        """The agent's inbox page of the conversation."""

    def snapin_route(self, endpoint: str, **params: Any) -> str:
        """URL of one of this snap-in's own routes (see :class:`hooks.types.Route`)."""

    def sign_in(self, next_url: str) -> str:
        """The portal's sign-in page, coming back to ``next_url`` afterwards."""


class StoreAPI(Protocol):
    """The snap-in's own data, namespaced by workspace and snap-in: ``(collection, key) -> JSON``."""

    def get(self, collection: str, key: str, default: Any = None) -> Any: ...

    def put(self, collection: str, key: str, value: Any) -> None: ...

    def delete(self, collection: str, key: str) -> bool:
        """True when something was deleted."""

    def items(self, collection: str, *, prefix: str = "", limit: int | None = None) -> list[tuple[str, Any]]:
        """Entries of a collection ordered by key, optionally only keys starting with ``prefix``."""

    def count(self, collection: str, *, prefix: str = "") -> int: ...

    def incr(self, collection: str, key: str, amount: int = 1) -> int:
        """Add to an integer entry (missing: 0) and return the new value."""


@dataclass(frozen=True)
class Context:
    """What a hook gets: which workspace, which snap-in, its config, and the services."""

    workspace: WorkspaceInfo
    snapin_id: str
    #: The snap-in's configuration as loaded by its schema (defaults filled in).
    config: Mapping[str, Any]
    contacts: ContactsAPI
    users: UsersAPI
    conversations: ConversationsAPI
    tickets: TicketsAPI
    articles: ArticlesAPI
    mail: MailAPI
    jobs: JobsAPI
    urls: UrlsAPI
    store: StoreAPI
    #: Logger named ``snapdesk.snapin.<id>``; records carry the workspace slug.
    log: logging.LoggerAdapter  # type: ignore[type-arg]
    #: Portal feature switches of the workspace (read-only), e.g. ``{"pdf_export": True}``.
    features: Mapping[str, bool]


__all__ = [
    "ArticlesAPI", "ContactsAPI", "Context", "ConversationsAPI", "JobsAPI", "MailAPI", "NotFoundError",
    "StoreAPI", "TicketsAPI", "UrlsAPI", "UsersAPI",
]

