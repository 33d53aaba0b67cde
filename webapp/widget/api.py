"""The widget's JSON API (``/widget/api/<slug>/...``), called cross-origin by ``plug.js``.

Visitors authenticate with the session token from ``POST session`` in ``Authorization: Bearer``
(``?token=`` on the event stream only: EventSource cannot send headers). A session sees only its
own contact's conversations, never those in :data:`core.stages.HIDDEN_FROM_WIDGET`, and never
internal notes. Every visitor message goes through :mod:`core.conversations` (spam verdict,
routing and stage rules apply).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from core import conversations
from core.db import commit, db, get_scoped
from core.errors import LoginError, NotFound, ValidationError
from core.models import Contact, Conversation, Message, Workspace
from core.portal_settings import get_settings
from core.runtime import get_runtime
from core.stages import HIDDEN_FROM_WIDGET, Stage
from webapp.tenancy import workspace_by_slug
from webapp.widget.blueprint import blueprint
from webapp.widget.sessions import BAD_SESSION, WidgetSession, issue_session, read_session, start_session
from webapp.widget.stream import widget_stream

API = "/api/<slug>"
#: Settings the widget needs to draw itself (nothing else of the workspace's settings leaves).
CONFIG_KEYS = (
    "title", "launcher_logo_url", "brand_logo_url", "alignment", "spacing_horizontal", "spacing_vertical", "theme",
    "article_search", "require_identity", "announcements",
)
HIDDEN = frozenset(s.value for s in HIDDEN_FROM_WIDGET)
MAX_BODY = 10_000


# -- helpers --------------------------------------------------------------------------------------


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None and request.get_data():
        raise ValidationError("The request body must be JSON.", {"body": ["Send a JSON object."]})
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object.", {"body": ["Send a JSON object."]})
    return body


def _text_field(body: dict[str, Any], name: str, *, max_length: int) -> str:
    value = body.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError.field(name, "Send text.")
    if len(value) > max_length:
        raise ValidationError.field(name, f"Use at most {max_length} characters.")
    return value


def _session(workspace: Workspace, *, allow_query: bool = False) -> tuple[WidgetSession, Contact]:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    if token is None and allow_query:
        token = request.args.get("token")
    session = read_session(workspace, token)
    contact = db.session.get(Contact, session.contact_id)
    if contact is None or contact.workspace_id != workspace.id:
        raise LoginError(BAD_SESSION)  # the visitor's contact was deleted
    return session, contact


def _visible_conversation(workspace: Workspace, contact: Contact, conversation_id: int) -> Conversation:
    conversation = get_scoped(Conversation, workspace.id, conversation_id)
    # Another visitor's conversation and a hidden one look the same as a missing one.
    if conversation.contact_id != contact.id or conversation.stage in HIDDEN:
        raise NotFound(f"Conversation {conversation_id} not found.")
    return conversation


def _public_messages(conversation: Conversation) -> list[Message]:
    return [m for m in conversation.messages if not m.internal]


def message_json(message: Message, contact: Contact) -> dict[str, Any]:
    if message.author_kind == "dev":
        author = message.author_user.name if message.author_user is not None else "Support"
    elif message.author_kind == "rev":
        author = "You" if message.author_contact_id == contact.id else (message.author_contact.name if message.author_contact else "Customer")
    else:
        author = "Support"
    return {
        "id": message.id,
        "body": message.body,
        "author_kind": message.author_kind,
        "author_name": author,
        "mine": message.author_contact_id == contact.id,
        "created_at": message.created_at.isoformat(),
    }


def conversation_json(conversation: Conversation, contact: Contact, *, with_messages: bool = False) -> dict[str, Any]:
    public = _public_messages(conversation)
    last = public[-1] if public else None
    data: dict[str, Any] = {
        "id": conversation.id,
        "title": conversation.title or (public[0].body[:80] if public else ""),
        "stage": conversation.stage,
        "stage_label": Stage(conversation.stage).label,
        "resolved": conversation.stage == Stage.RESOLVED,
        "channel": conversation.channel,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "last_message": message_json(last, contact) if last is not None else None,
    }
    if with_messages:
        data["messages"] = [message_json(m, contact) for m in public]
    return data


# -- views ----------------------------------------------------------------------------------------


@blueprint.get(f"{API}/config")
def config(slug: str) -> Response:
    """How the widget looks and what it offers (public: no session needed)."""
    workspace = workspace_by_slug(slug)
    widget = get_settings(workspace)["widget"]
    from core.identity import company_name

    body = {key: widget.get(key) for key in CONFIG_KEYS}
    body.update(workspace=workspace.slug, company_name=company_name(workspace))
    return jsonify(body)


@blueprint.post(f"{API}/session")
def create_session(slug: str) -> tuple[Response, int]:
    """Body ``{"user_token"?: str}`` -> ``{"token", "identified", "contact": {"name", "email"}}``.

    A forged or expired user token and an anonymous visitor where identity is required are 401.
    """
    workspace = workspace_by_slug(slug)
    body = _json_body()
    user_token = body.get("user_token")
    if user_token is not None and not isinstance(user_token, str):
        raise ValidationError.field("user_token", "Send the user token as text.")
    contact, identified = start_session(workspace, user_token)
    commit()
    return jsonify({
        "token": issue_session(workspace, contact, identified=identified),
        "identified": identified,
        "contact": {"name": contact.name, "email": contact.email},
    }), 201


@blueprint.get(f"{API}/conversations")
def list_conversations(slug: str) -> Response:
    """The visitor's conversations, newest activity first (resolved ones included, archived not)."""
    workspace = workspace_by_slug(slug)
    _session_, contact = _session(workspace)
    shown = [s.value for s in Stage if s.value not in HIDDEN]
    rows, _total = conversations.list_conversations(workspace.id, contact_id=contact.id, stages=shown, limit=100)
    return jsonify({"conversations": [conversation_json(c, contact) for c in rows]})


@blueprint.post(f"{API}/conversations")
def start_conversation(slug: str) -> tuple[Response, int]:
    """Body ``{"body": str, "title"?: str}``: start a conversation on channel "widget"."""
    workspace = workspace_by_slug(slug)
    _session_, contact = _session(workspace)
    body = _json_body()
    text = _text_field(body, "body", max_length=MAX_BODY)
    title = _text_field(body, "title", max_length=conversations.TITLE_MAX)
    conversation = conversations.start_conversation(workspace, body=text, title=title, channel="widget", contact=contact)
    commit()
    if conversation.stage in HIDDEN:
        # Judged spam: the visitor is not told, but the conversation is not theirs to browse either.
        return jsonify({"conversation": None, "accepted": True}), 202
    return jsonify({"conversation": conversation_json(conversation, contact, with_messages=True)}), 201


@blueprint.get(f"{API}/conversations/<int:conversation_id>")
def get_conversation(slug: str, conversation_id: int) -> Response:
    workspace = workspace_by_slug(slug)
    _session_, contact = _session(workspace)
    conversation = _visible_conversation(workspace, contact, conversation_id)
    return jsonify({"conversation": conversation_json(conversation, contact, with_messages=True)})


@blueprint.post(f"{API}/conversations/<int:conversation_id>/messages")
def post_message(slug: str, conversation_id: int) -> tuple[Response, int]:
    """Body ``{"body": str}``. On a resolved conversation the core reopens it (Needs response)."""
    workspace = workspace_by_slug(slug)
    _session_, contact = _session(workspace)
    conversation = _visible_conversation(workspace, contact, conversation_id)
    text = _text_field(_json_body(), "body", max_length=MAX_BODY)
    message = conversations.post_message(workspace, conversation, body=text, author_contact=contact)
    commit()
    return jsonify({
        "message": message_json(message, contact),
        "conversation": conversation_json(conversation, contact),
    }), 201


@blueprint.get(f"{API}/conversations/<int:conversation_id>/events")
def conversation_events(slug: str, conversation_id: int) -> Response:
    """Server-sent events of one conversation, customer-safe (see :mod:`webapp.widget.stream`)."""
    workspace = workspace_by_slug(slug)
    _session_, contact = _session(workspace, allow_query=True)
    conversation = _visible_conversation(workspace, contact, conversation_id)
    workspace_id, conversation_id = workspace.id, conversation.id
    # The stream may stay open for hours: hand the connection back to the pool first.
    db.session.remove()
    return widget_stream(workspace_id, conversation_id)


@blueprint.get(f"{API}/articles/search")
def search_articles(slug: str) -> Response:
    """``?q=``: public articles matching what the visitor types (when article_search is on)."""
    from core.search import search_articles as search

    workspace = workspace_by_slug(slug)
    if not get_settings(workspace)["widget"].get("article_search"):
        raise NotFound("Article search is turned off for this widget.")
    query = (request.args.get("q") or "").strip()[:200]
    urls = get_runtime().urls
    # Anonymous on purpose: suggestions show only articles anyone may read.
    hits = search(workspace, query, contact=None, limit=5)
    return jsonify({"articles": [
        {"id": h.article.id, "title": h.article.title, "title_html": h.title_html, "snippet_html": h.snippet_html,
         "url": h.article.external_url or urls.article(workspace.slug, h.article.id)}
        for h in hits
    ]})
