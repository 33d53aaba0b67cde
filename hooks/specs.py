"""The hooks a snap-in may implement. This module is the contract; each docstring says:

- **when** it fires, **kind** (decision: synchronous, on the request path; event: background, after
  commit), and whether it is **first-result** (the first non-None answer wins, in dispatch order)
  or **collecting** (every answer is used);
- its arguments (every hook gets ``context``; an implementation may accept any subset of the
  arguments, so hooks can grow arguments without breaking old snap-ins) and its return.
  Event hooks also get ``event_id``: unique per event and the same on every retry of its job, so
  side effects can be made idempotent (e.g. ``context.mail.send(..., idempotency_key=event_id + ...)``).

Hooks are called with keyword arguments only. Dispatch reaches only the snap-ins enabled in the
workspace, ordered by admin-set priority, then id. An exception in one snap-in is logged and
counted against it; it never fails the request nor loses the customer's data.
"""

from __future__ import annotations

import pluggy

from hooks.context import Context
from hooks.types import (
    ArticleInfo,
    CommentInfo,
    ContactInfo,
    ConversationInfo,
    MenuItem,
    MessageInfo,
    PageAction,
    ProvisionDecision,
    Route,
    RoutingDecision,
    SpamVerdict,
    StageChangeInfo,
    TicketInfo,
    Viewer,
)

PROJECT = "snapdesk"
hookspec = pluggy.HookspecMarker(PROJECT)

# -- Decisions (synchronous, on the request path) -----------------------------------------------


@hookspec(firstresult=True)
def snapdesk_spam_verdict(
    context: Context, conversation: ConversationInfo, message: MessageInfo, contact: ContactInfo | None
) -> SpamVerdict | None:
    """Judge whether a new conversation is spam.

    When: a customer starts a conversation (any channel), before it is routed.
    Kind: decision, first-result. Return a :class:`SpamVerdict`, or None to abstain. A verdict with
    ``is_spam=True`` moves the conversation to Suspended with the verdict's reason; it is then
    neither routed nor shown in the inbox's default views. ``contact`` is None for anonymous visitors.
    """


@hookspec(firstresult=True)
def snapdesk_route_conversation(
    context: Context, conversation: ConversationInfo, message: MessageInfo, contact: ContactInfo | None
) -> RoutingDecision | None:
    """Choose the owner of a new conversation.

    When: a customer starts a conversation that was not judged spam.
    Kind: decision, first-result. Return a :class:`RoutingDecision` (owner, reason for the
    history, optional tags/priority), or None to leave it to the core's default: the account's
    default owner.
    """


@hookspec(firstresult=True)
def snapdesk_provision_identity(
    context: Context, email: str, name: str | None, method: str, claims: dict
) -> ProvisionDecision | None:
    """Decide whether an email that is not a verified contact may sign in to the portal/widget.

    When: a sign-in by ``method`` ("otp", "jwt", later "saml") for an email with no verified contact.
    Kind: decision, first-result. Return ``ProvisionDecision(allow=True, ...)`` to create (or verify)
    the contact and let it in, ``allow=False`` to refuse with ``reason``, None to abstain. With no
    answer, only verified contacts sign in. ``claims`` holds the verified JWT claims ({} for OTP).
    """


@hookspec
def snapdesk_page_actions(context: Context, page: str, subject: ArticleInfo | TicketInfo, viewer: Viewer) -> list[PageAction]:
    """Add buttons/links to a portal page.

    When: rendering ``page`` ("article" with an :class:`ArticleInfo` subject; "ticket" with a
    :class:`TicketInfo`). Kind: decision, collecting. Return a list of :class:`PageAction`
    (possibly empty). Called per page view: keep it fast (no network).
    """


@hookspec
def snapdesk_menu_items(context: Context, area: str, viewer: Viewer) -> list[MenuItem]:
    """Add links to a navigation area: "portal_header" (the portal's tabs) or "inbox_sidebar" (the agents' main navigation).

    Kind: decision, collecting. Return a list of :class:`MenuItem`.
    """


@hookspec
def snapdesk_routes() -> list[Route]:
    """Declare the snap-in's own URLs (see :class:`hooks.types.Route`).

    When: once, at app start-up (the only hook without ``context``: routes exist for every
    workspace, and answer 404 where the snap-in is disabled). Kind: collecting.
    """


# -- Events (background, after commit) ----------------------------------------------------------


@hookspec
def snapdesk_conversation_created(context: Context, conversation: ConversationInfo, message: MessageInfo, event_id: str) -> None:
    """A conversation was created (after spam verdict and routing), with its first message.

    Kind: event (background job after commit; retried with backoff; return ignored).
    """


@hookspec
def snapdesk_message_posted(context: Context, conversation: ConversationInfo, message: MessageInfo, event_id: str) -> None:
    """A message was added to an existing conversation (customer, agent or internal note).

    Kind: event (background, after commit).
    """


@hookspec
def snapdesk_stage_changed(context: Context, conversation: ConversationInfo, change: StageChangeInfo, event_id: str) -> None:
    """A conversation moved between stages (e.g. an agent marked it "not spam": suspended -> new).

    Kind: event (background, after commit).
    """


@hookspec
def snapdesk_ticket_created(context: Context, ticket: TicketInfo, event_id: str) -> None:
    """A ticket was created (portal, API or agent). Kind: event (background, after commit)."""


@hookspec
def snapdesk_comment_added(context: Context, ticket: TicketInfo, comment: CommentInfo, event_id: str) -> None:
    """A comment was added to a ticket (external or internal). Kind: event (background, after commit)."""


@hookspec
def snapdesk_article_published(context: Context, article: ArticleInfo, notify: bool, comment: str | None, event_id: str) -> None:
    """An article was published or re-published ("Publish" or "Publish & Notify").

    ``notify`` is True for "Publish & Notify"; ``comment`` is the author's note for subscribers.
    Kind: event (background, after commit).
    """


@hookspec
def snapdesk_contact_created(context: Context, contact: ContactInfo, event_id: str) -> None:
    """A contact (rev user) was created, by an agent, the API, JIT provisioning or a new visitor.

    Kind: event (background, after commit).
    """


#: Decision hooks: called synchronously by the core on the request path.
DECISION_HOOKS = (
    "snapdesk_spam_verdict",
    "snapdesk_route_conversation",
    "snapdesk_provision_identity",
    "snapdesk_page_actions",
    "snapdesk_menu_items",
    "snapdesk_routes",
)

#: Event hooks, keyed by the core's event name: called in background jobs after commit.
EVENT_HOOKS = {
    "conversation_created": "snapdesk_conversation_created",
    "message_posted": "snapdesk_message_posted",
    "stage_changed": "snapdesk_stage_changed",
    "ticket_created": "snapdesk_ticket_created",
    "comment_added": "snapdesk_comment_added",
    "article_published": "snapdesk_article_published",
    "contact_created": "snapdesk_contact_created",
}
