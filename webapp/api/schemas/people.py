"""Users (agents), accounts and contacts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from webapp.api.schemas.common import Id, PageQuerySchema, QueryId, Text


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String(metadata={"enum": ["agent", "admin"]})
    created_at = fields.DateTime()


class UserQuerySchema(PageQuerySchema):
    role = fields.String(validate=validate.OneOf(["agent", "admin"]))


class AccountSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    domains = fields.List(fields.String(), attribute="domain_names")
    default_owner_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class AccountCreateSchema(Schema):
    name = Text(200, min_length=1, required=True)
    domains = fields.List(Text(253), load_default=list, validate=validate.Length(max=100))
    default_owner_id = Id(allow_none=True, load_default=None)


class AccountUpdateSchema(Schema):
    name = Text(200, min_length=1)
    domains = fields.List(Text(253), validate=validate.Length(max=100))
    default_owner_id = Id(allow_none=True)


class AccountQuerySchema(PageQuerySchema):
    domain = Text(253, metadata={"description": "Only the account owning this email domain."})


class ContactSchema(Schema):
    id = fields.Integer()
    email = fields.String(allow_none=True)
    name = fields.String()
    account_id = fields.Integer(allow_none=True)
    verified = fields.Boolean()
    is_customer_admin = fields.Boolean()
    locale = fields.String(allow_none=True)
    external_id = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ContactCreateSchema(Schema):
    email = Text(320, required=True)
    name = Text(200, load_default="")
    account_id = Id(allow_none=True, load_default=None)
    verified = fields.Boolean(load_default=False)
    is_customer_admin = fields.Boolean(load_default=False)
    locale = Text(16, min_length=2, allow_none=True, load_default=None)
    external_id = Text(200, allow_none=True, load_default=None)


class ContactUpdateSchema(Schema):
    name = Text(200)
    account_id = Id(allow_none=True)
    verified = fields.Boolean()
    is_customer_admin = fields.Boolean()
    locale = Text(16, min_length=2, allow_none=True)


class ContactQuerySchema(PageQuerySchema):
    account_id = QueryId()
    email = Text(320)


class TokenRequestSchema(Schema):
    email = Text(320, required=True)
    password = Text(1000, required=True)
    name = Text(100, load_default="api", metadata={"description": "A label for the token."})


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Send as Authorization: Bearer <token>."})
    user = fields.Nested(UserSchema)
