"""Tickets and their comments."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.tickets import MAX_CATEGORY, MAX_COMMENT, MAX_TITLE, SEVERITIES, TRACKERS, VISIBILITIES, TicketStage
from webapp.api.schemas.common import MAX_BODY, Choice, Id, PageQuerySchema, QueryId, Text

TICKET_STAGES = [s.value for s in TicketStage]


class CommentSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    author_kind = fields.String()
    author_user_id = fields.Integer(allow_none=True)
    author_contact_id = fields.Integer(allow_none=True)
    body = fields.String()
    visibility = fields.String(metadata={"enum": list(VISIBILITIES)})
    created_at = fields.DateTime()


class TicketSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    account_id = fields.Integer(allow_none=True)
    severity = fields.String(metadata={"enum": list(SEVERITIES)})
    priority = fields.String()
    category = fields.String(allow_none=True)
    stage = fields.String(metadata={"enum": TICKET_STAGES})
    tracker = fields.String(metadata={"enum": list(TRACKERS)})
    owner_id = fields.Integer(allow_none=True)
    reported_by = fields.Function(
        lambda ticket: [contact.id for contact in ticket.reported_by],
        metadata={"type": "array", "items": {"type": "integer"}, "description": "Contact ids."},
    )
    custom_fields = fields.Dict(keys=fields.String())
    created_by_contact_id = fields.Integer(allow_none=True)
    created_by_user_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TicketDetailSchema(TicketSchema):
    comments = fields.List(fields.Nested(CommentSchema))


class TicketCreateSchema(Schema):
    title = Text(MAX_TITLE, min_length=1, required=True)
    body = Text(MAX_BODY, load_default="")
    reported_by = fields.List(Id(), load_default=list, validate=validate.Length(max=50),
                              metadata={"description": "Contact ids."})
    account_id = Id(allow_none=True, load_default=None)
    severity = Choice(SEVERITIES, load_default="medium")
    category = Text(MAX_CATEGORY, allow_none=True, load_default=None)
    tracker = Choice(TRACKERS, load_default="no_code_change")
    owner_id = Id(allow_none=True, load_default=None)
    custom_fields = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), load_default=dict,
                                metadata={"description": "Values of the workspace's custom ticket fields."})


class TicketUpdateSchema(Schema):
    title = Text(MAX_TITLE, min_length=1)
    body = Text(MAX_BODY)
    severity = Choice(SEVERITIES)
    category = Text(MAX_CATEGORY, allow_none=True)
    tracker = Choice(TRACKERS)
    owner_id = Id(allow_none=True)
    custom_fields = fields.Dict(keys=fields.String(validate=validate.Length(max=40)))
    stage = Choice(TICKET_STAGES)


class TicketQuerySchema(PageQuerySchema):
    tracker = Choice(TRACKERS)
    stage = Choice(TICKET_STAGES)
    account_id = QueryId()
    owner_id = QueryId()
    q = Text(200)


class CommentCreateSchema(Schema):
    body = Text(MAX_COMMENT, min_length=1, required=True)
    visibility = Choice(VISIBILITIES, load_default="external")
    parent_id = Id(allow_none=True, load_default=None)


class TicketStageRequestSchema(Schema):
    stage = Choice(TICKET_STAGES, required=True)
