"""Conversations: start on behalf of a contact, list, read, reply, move stage, tag, assign, prioritise."""

from __future__ import annotations

from typing import Any

from core import conversations as service
from core import people
from core.db import commit, get_scoped
from core.models import Contact, Conversation, Message, User, Workspace
from webapp.api.routing import api_route
from webapp.api.schemas.common import page, page_of
from webapp.api.schemas.conversations import (
    AssignRequestSchema,
    ConversationCreateSchema,
    ConversationDetailSchema,
    ConversationQuerySchema,
    ConversationSchema,
    MessageCreateSchema,
    MessageSchema,
    PriorityRequestSchema,
    StageRequestSchema,
    TagRequestSchema,
)
from webapp.api.views.common import ID, WS, referenced

ONE = f"{WS}/conversations/<{ID}:conversation_id>"


def _conversation(workspace: Workspace, conversation_id: int) -> Conversation:
    return get_scoped(Conversation, workspace.id, conversation_id)


@api_route(f"{WS}/conversations", "POST", tag="conversations", body=ConversationCreateSchema,
           response=ConversationDetailSchema, status=201)
def create_conversation(*, workspace: Workspace, user: User, body: dict[str, Any]) -> Conversation:
    """Start a conversation on behalf of a contact.

    Name the contact by ``contact_id`` or ``contact_email`` (an unknown email becomes a new contact).
    The customer's rules apply: spam verdict, routing, priority.
    """
    if "contact_id" in body:
        contact = referenced(Contact, workspace, body["contact_id"], "contact_id")
    else:
        contact = people.find_contact_by_email(workspace.id, body["contact_email"].strip()) or people.create_contact(
            workspace, email=body["contact_email"]
        )
    conversation = service.start_conversation(
        workspace, body=body["body"], title=body["title"], channel=body["channel"], contact=contact
    )
    commit()
    return conversation


@api_route(f"{WS}/conversations", "GET", tag="conversations", query=ConversationQuerySchema,
           response=page_of(ConversationSchema))
def list_conversations(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List conversations, most recently updated first.

    Without ``stage``, Suspended and Archived conversations are left out unless ``include_hidden``.
    """
    rows, total = service.list_conversations(
        workspace.id,
        stages=[query["stage"]] if "stage" in query else None,
        owner_id=query.get("owner_id"),
        tag=query.get("tag"),
        priority=query.get("priority"),
        channel=query.get("channel"),
        account_id=query.get("account_id"),
        contact_id=query.get("contact_id"),
        include_hidden=query["include_hidden"],
        limit=query["limit"],
        offset=query["offset"],
    )
    return page(rows, total, query)


@api_route(ONE, "GET", tag="conversations", response=ConversationDetailSchema)
def get_conversation(*, workspace: Workspace, user: User, conversation_id: int) -> Conversation:
    """Read a conversation with its messages, tags, stage history and time to first response."""
    return _conversation(workspace, conversation_id)


@api_route(f"{ONE}/messages", "POST", tag="conversations", body=MessageCreateSchema, response=MessageSchema, status=201)
def post_message(*, workspace: Workspace, user: User, conversation_id: int, body: dict[str, Any]) -> Message:
    """Reply as the token's agent (or add an internal note); replies move the stage automatically."""
    conversation = _conversation(workspace, conversation_id)
    message = service.post_message(
        workspace, conversation, body=body["body"], author_user=user, internal=body["internal"]
    )
    commit()
    return message


@api_route(f"{ONE}/stage", "POST", tag="conversations", body=StageRequestSchema, response=ConversationSchema)
def change_stage(*, workspace: Workspace, user: User, conversation_id: int, body: dict[str, Any]) -> Conversation:
    """Move the conversation to another stage (409 for a move the stage table does not allow)."""
    conversation = _conversation(workspace, conversation_id)
    service.change_stage(workspace, conversation, body["stage"], by_kind="dev", by_user=user, reason=body["reason"])
    commit()
    return conversation


@api_route(f"{ONE}/tags/<tag>", "PUT", tag="conversations", body=TagRequestSchema, body_optional=True,
           response=ConversationSchema)
def set_tag(*, workspace: Workspace, user: User, conversation_id: int, tag: str, body: dict[str, Any]) -> Conversation:
    """Add a tag (or change its value); ``resolution`` needs a value, the others take none."""
    conversation = _conversation(workspace, conversation_id)
    service.set_tag(workspace, conversation, tag, body["value"])
    commit()
    return conversation


@api_route(f"{ONE}/tags/<tag>", "DELETE", tag="conversations", response=ConversationSchema)
def remove_tag(*, workspace: Workspace, user: User, conversation_id: int, tag: str) -> Conversation:
    """Remove a tag (nothing happens if the conversation does not have it)."""
    conversation = _conversation(workspace, conversation_id)
    service.remove_tag(workspace, conversation, tag)
    commit()
    return conversation


@api_route(f"{ONE}/assign", "POST", tag="conversations", body=AssignRequestSchema, response=ConversationSchema)
def assign(*, workspace: Workspace, user: User, conversation_id: int, body: dict[str, Any]) -> Conversation:
    """Give the conversation to an agent (``owner_id`` null unassigns)."""
    conversation = _conversation(workspace, conversation_id)
    referenced(User, workspace, body["owner_id"], "owner_id")
    service.assign(workspace, conversation, body["owner_id"], reason=body["reason"], by_user=user)
    commit()
    return conversation


@api_route(f"{ONE}/priority", "POST", tag="conversations", body=PriorityRequestSchema, response=ConversationSchema)
def set_priority(*, workspace: Workspace, user: User, conversation_id: int, body: dict[str, Any]) -> Conversation:
    """Set the conversation's priority (p0 most urgent .. p3)."""
    conversation = _conversation(workspace, conversation_id)
    service.set_priority(workspace, conversation, body["priority"])
    commit()
    return conversation
