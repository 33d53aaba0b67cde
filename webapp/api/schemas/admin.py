"""Admin-only resources: snap-ins per workspace and the portal settings."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.portal_settings import SECTIONS


class SnapinSchema(Schema):
    id = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    version = fields.String(allow_none=True)
    hooks = fields.List(fields.String())
    status = fields.String(metadata={"enum": ["enabled", "disabled", "broken", "needs_attention"]})
    broken_reason = fields.String(allow_none=True)
    enabled = fields.Boolean()
    priority = fields.Integer()
    failure_count = fields.Integer()
    last_error = fields.String(allow_none=True)
    config = fields.Dict(keys=fields.String(), metadata={"description": "Secret fields are shown as ********."})


class SnapinEnableSchema(Schema):
    config = fields.Dict(keys=fields.String(), allow_none=True, load_default=None,
                         metadata={"description": "Omit (or null) to keep the stored configuration."})
    priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=10_000),
                              metadata={"description": "Lower runs first among enabled snap-ins."})


class SnapinConfigSchema(Schema):
    config = fields.Dict(keys=fields.String(), required=True,
                         metadata={"description": "Secret fields left empty (or ********) keep their stored value."})
    priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=10_000))


_SECTION_HELP = {
    "features": "Feature switches (knowledge base, tickets, banner, PDF export...).",
    "appearance": "Theme, company name, logo, colours, header tabs, hero, footer.",
    "locales": "Default and enabled locales.",
    "widget": "The PLuG chat widget.",
    "ticket_form": "Custom ticket fields.",
}

#: Every settings section as a free-form object: core.portal_settings validates each one (its errors
#: come back as ``section.field``), so the API does not duplicate those rules.
PortalSettingsSchema = Schema.from_dict(
    {name: fields.Dict(keys=fields.String(), metadata={"description": _SECTION_HELP.get(name, "")}) for name in SECTIONS},
    name="PortalSettingsSchema",
)
PortalSettingsUpdateSchema = Schema.from_dict(
    {name: fields.Dict(keys=fields.String(), metadata={"description": _SECTION_HELP.get(name, "")}) for name in SECTIONS},
    name="PortalSettingsUpdateSchema",
)
