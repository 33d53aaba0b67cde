"""Conversations, their messages, tags and stage history."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from core.conversations import CHANNELS, PRIORITIES, TAGS, TITLE_MAX
from core.stages import Stage
from webapp.api.schemas.common import MAX_BODY, Choice, Id, PageQuerySchema, QueryId, Text

STAGES = [s.value for s in Stage]


class MessageSchema(Schema):
    id = fields.Integer()
    author_kind = fields.String(metadata={"enum": ["rev", "dev", "system"]})
    author_user_id = fields.Integer(allow_none=True)
    author_contact_id = fields.Integer(allow_none=True)
    body = fields.String()
    internal = fields.Boolean()
    channel = fields.String()
    created_at = fields.DateTime()


class StageChangeSchema(Schema):
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    by_kind = fields.String()
    by_user_id = fields.Integer(allow_none=True)
    by_contact_id = fields.Integer(allow_none=True)
    by_snapin = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    at = fields.DateTime()


class ConversationSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    channel = fields.String(metadata={"enum": list(CHANNELS)})
    creator_kind = fields.String()
    contact_id = fields.Integer(allow_none=True)
    account_id = fields.Integer(allow_none=True)
    stage = fields.String(metadata={"enum": STAGES})
    owner_id = fields.Integer(allow_none=True)
    priority = fields.String(metadata={"enum": list(PRIORITIES)})
    routed_by = fields.String(allow_none=True)
    tags = fields.Method("_tags", metadata={"type": "object", "description": "Tag -> value (null for plain tags)."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    first_response_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)

    def _tags(self, conversation) -> dict[str, str | None]:
        return {t.tag: t.value for t in conversation.tags}


class ConversationDetailSchema(ConversationSchema):
    messages = fields.List(fields.Nested(MessageSchema))
    stage_history = fields.List(fields.Nested(StageChangeSchema), attribute="stage_changes")
    first_response_seconds = fields.Method(
        "_first_response", metadata={"type": "number", "nullable": True, "description": "Created -> first reply."}
    )

    def _first_response(self, conversation) -> float | None:
        from core.conversations import first_response_seconds

        return first_response_seconds(conversation)


class ConversationCreateSchema(Schema):
    """Start a conversation on behalf of a contact (by id, or by email: created if unknown)."""

    contact_id = Id()
    contact_email = Text(320)
    title = Text(TITLE_MAX, load_default="")
    body = Text(MAX_BODY, min_length=1, required=True)
    channel = Choice(CHANNELS, load_default="portal")

    @validates_schema
    def _one_contact(self, data, **kwargs) -> None:
        if ("contact_id" in data) == ("contact_email" in data):
            raise ValidationError("Give either contact_id or contact_email.", "contact_id")


class ConversationQuerySchema(PageQuerySchema):
    stage = Choice(STAGES)
    owner_id = QueryId()
    tag = Choice(list(TAGS))
    priority = Choice(PRIORITIES)
    channel = Choice(CHANNELS)
    account_id = QueryId()
    contact_id = QueryId()
    include_hidden = fields.Boolean(load_default=False, metadata={"description": "Also list Suspended and Archived."})


class MessageCreateSchema(Schema):
    body = Text(MAX_BODY, min_length=1, required=True)
    internal = fields.Boolean(load_default=False, metadata={"description": "An internal note (agents only)."})


class StageRequestSchema(Schema):
    stage = Choice(STAGES, required=True)
    reason = Text(500, allow_none=True, load_default=None)


class TagRequestSchema(Schema):
    value = Text(200, allow_none=True, load_default=None, metadata={"description": "Only for valued tags (resolution)."})


class AssignRequestSchema(Schema):
    owner_id = Id(required=True, allow_none=True, metadata={"description": "An agent of the workspace; null unassigns."})
    reason = Text(200, load_default="")


class PriorityRequestSchema(Schema):
    priority = Choice(PRIORITIES, required=True)


__all__ = [
    "AssignRequestSchema", "ConversationCreateSchema", "ConversationDetailSchema", "ConversationQuerySchema",
    "ConversationSchema", "MessageCreateSchema", "MessageSchema", "PriorityRequestSchema", "StageChangeSchema",
    "StageRequestSchema", "TagRequestSchema",
]
