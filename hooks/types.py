"""Plain, frozen data that hooks receive and return.

Snap-ins never see database rows: they get these snapshots, which stay stable when the core's
schema changes, and which travel as JSON to background jobs (:func:`to_payload` / :func:`from_payload`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar, get_type_hints

# -- Snapshots of core objects ------------------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceInfo:
    id: int
    slug: str
    name: str
    #: Shown to customers (portal header, email subjects); defaults to ``name``.
    company_name: str


@dataclass(frozen=True)
class UserInfo:
    """A dev user (agent or admin)."""

    id: int
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class AccountInfo:
    """A customer organisation."""

    id: int
    name: str
    domains: tuple[str, ...]
    default_owner_id: int | None


@dataclass(frozen=True)
class ContactInfo:
    """A rev user (customer person)."""

    id: int
    email: str | None
    name: str
    account_id: int | None
    verified: bool
    is_customer_admin: bool
    locale: str | None


@dataclass(frozen=True)
class ConversationInfo:
    id: int
    title: str
    #: "widget", "email" or "portal".
    channel: str
    #: "rev", "dev" or "system".
    creator_kind: str
    #: A stage value: new, suspended, waiting_on_user, needs_response, hold, resolved, archived.
    stage: str
    owner_id: int | None
    account_id: int | None
    contact_id: int | None
    priority: str
    #: tag -> value (None for plain tags).
    tags: Mapping[str, str | None]
    created_at: datetime


@dataclass(frozen=True)
class MessageInfo:
    id: int
    conversation_id: int
    author_kind: str
    body: str
    internal: bool
    channel: str
    author_contact_id: int | None
    author_user_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class StageChangeInfo:
    conversation_id: int
    from_stage: str | None
    to_stage: str
    by_kind: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class TicketInfo:
    id: int
    title: str
    body: str
    stage: str
    #: "no_code_change" or "needs_code_change".
    tracker: str
    account_id: int | None
    reported_by: tuple[int, ...]
    severity: str
    custom_fields: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class CommentInfo:
    id: int
    ticket_id: int
    parent_id: int | None
    body: str
    #: "external" (customer-visible) or "internal".
    visibility: str
    author_kind: str
    created_at: datetime


@dataclass(frozen=True)
class ArticleInfo:
    id: int
    title: str
    description: str
    #: "draft" or "published".
    status: str
    #: "all", "verified" or "customer_admins".
    visible_to: str
    locale: str
    #: False for linked articles (an external URL instead of a body).
    is_native: bool
    external_url: str | None
    #: The article's page on the portal.
    url: str
    published_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a page: nobody signed in, a customer, or an agent."""

    kind: Literal["anonymous", "contact", "agent"]
    contact: ContactInfo | None = None
    user: UserInfo | None = None


# -- What decision hooks return -----------------------------------------------------------------


@dataclass(frozen=True)
class RoutingDecision:
    """Answer of ``snapdesk_route_conversation``: who owns the new conversation, and why."""

    owner_id: int
    #: Human-readable; recorded in the conversation's history ("rule 2: 'invoice' -> billing").
    reason: str
    #: Tags to add (tag -> value or None).
    tags: Mapping[str, str | None] = field(default_factory=dict)
    #: Priority to set instead of the core's (p0..p3), or None.
    priority: str | None = None


@dataclass(frozen=True)
class SpamVerdict:
    """Answer of ``snapdesk_spam_verdict``."""

    is_spam: bool
    #: Probability-like score in [0, 1].
    score: float
    #: Human-readable; shown to agents on the suspended conversation.
    reason: str


@dataclass(frozen=True)
class ProvisionDecision:
    """Answer of ``snapdesk_provision_identity``: let an unknown email in, and how to create it."""

    allow: bool
    reason: str = ""
    name: str | None = None
    account_id: int | None = None
    verified: bool = True


@dataclass(frozen=True)
class PageAction:
    """A button or link a snap-in adds to a page (e.g. "Subscribe", "Download as PDF")."""

    id: str
    label: str
    url: str
    #: "GET" renders a link; "POST" renders a button in a small form.
    method: Literal["GET", "POST"] = "GET"
    #: Optional icon name from the portal's icon set ("bell", "bell-off", "download").
    icon: str | None = None
    #: Pressed/active state for toggles (e.g. already subscribed).
    active: bool = False


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str


@dataclass(frozen=True)
class RouteRequest:
    """What a snap-in route's view receives about the HTTP request."""

    method: str
    path: str
    args: Mapping[str, str]
    form: Mapping[str, str]
    json: Any
    viewer: Viewer
    #: The session's CSRF token: a form the view renders that POSTs back must carry it as the
    #: hidden field ``csrf_token`` (POST routes are CSRF-protected).
    csrf_token: str = ""


@dataclass(frozen=True)
class RouteResponse:
    """What a snap-in route's view returns."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    #: When set, the response is a redirect to this URL (body ignored).
    redirect_to: str | None = None


@dataclass(frozen=True)
class Route:
    """A URL a snap-in serves under ``/<workspace-slug>/snapins/<snapin-id><rule>``.

    ``view(context, request, **url_params) -> RouteResponse``. The route answers 404 in workspaces
    where the snap-in is not enabled. ``access`` says who may call it: "public", "contact"
    (signed-in customer; anonymous visitors are sent to sign in and back), "agent" or "admin".
    """

    rule: str
    view: Callable[..., RouteResponse]
    endpoint: str
    methods: tuple[str, ...] = ("GET",)
    access: Literal["public", "contact", "agent", "admin"] = "public"


# -- JSON transport for background hooks ---------------------------------------------------------

T = TypeVar("T")


def to_payload(value: Any) -> Any:
    """Turn snapshots (and containers of them) into JSON-safe data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_payload(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_payload(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_payload(v) for v in value]
    return value


def from_payload(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a snapshot dataclass from :func:`to_payload` output."""
    hints = get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        raw = data[f.name]
        hint = str(hints.get(f.name, ""))
        if raw is not None and "datetime" in hint:
            raw = datetime.fromisoformat(raw)
        elif raw is not None and "tuple" in hint:
            raw = tuple(raw)
        elif raw is not None and "ContactInfo" in hint:
            raw = from_payload(ContactInfo, raw)
        elif raw is not None and "UserInfo" in hint:
            raw = from_payload(UserInfo, raw)
        kwargs[f.name] = raw
    return cls(**kwargs)
