"""Per-workspace portal, widget and ticket-form settings: defaults, validation, and the one reader.

Stored in ``Workspace.settings`` as JSON, in sections. :func:`get_settings` returns the stored
values layered over :data:`DEFAULTS`; :func:`update_settings` validates a partial change with the
section's marshmallow schema (unknown keys are errors) and stores it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, fields, validate
from marshmallow import ValidationError as MarshmallowError

from core.errors import ValidationError
from core.models import Workspace

DEFAULTS: dict[str, dict[str, Any]] = {
    "features": {
        "knowledge_base": True,
        "knowledge_base_public": True,
        "tickets": True,
        "tickets_public": False,
        "banner": False,
        "ai_search": False,
        "pdf_export": True,
        "article_subscriptions": True,
        "plug_on_portal": False,
    },
    "appearance": {
        "theme": "light",
        "company_name": "",
        "logo_url": "",
        "favicon_url": "",
        "accent_color": "#4f46e5",
        "header_tabs": ["home", "articles", "tickets"],
        "hero_title": "How can we help?",
        "welcome_text": "",
        "search_placeholder": "Search articles",
        "banner_text": "",
        "footer_links": [],
    },
    "locales": {"default": "en", "enabled": ["en", "fr"]},
    "widget": {
        "title": "Chat with us",
        "launcher_logo_url": "",
        "brand_logo_url": "",
        "alignment": "right",
        "spacing_horizontal": 20,
        "spacing_vertical": 20,
        "theme": "light",
        "article_search": True,
        "require_identity": False,
        "announcements": [],
    },
    # Custom ticket fields: [{"name", "label", "type", "required", "choices", "show_when": {"field", "equals"}}]
    "ticket_form": {"fields": []},
}

_HEX = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="Use a colour like #4f46e5.")
_URLISH = validate.Regexp(r"^(|https?://\S+|/\S*)$", error="Use an http(s) URL or a path starting with /.")


class FeaturesSchema(Schema):
    knowledge_base = fields.Boolean()
    knowledge_base_public = fields.Boolean()
    tickets = fields.Boolean()
    tickets_public = fields.Boolean()
    banner = fields.Boolean()
    ai_search = fields.Boolean()
    pdf_export = fields.Boolean()
    article_subscriptions = fields.Boolean()
    plug_on_portal = fields.Boolean()


class FooterLinkSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=80))
    url = fields.String(required=True, validate=_URLISH)


class AppearanceSchema(Schema):
    theme = fields.String(validate=validate.OneOf(["light", "dark"]))
    company_name = fields.String(validate=validate.Length(max=200))
    logo_url = fields.String(validate=_URLISH)
    favicon_url = fields.String(validate=_URLISH)
    accent_color = fields.String(validate=_HEX)
    header_tabs = fields.List(fields.String(validate=validate.OneOf(["home", "articles", "tickets"])))
    hero_title = fields.String(validate=validate.Length(max=200))
    welcome_text = fields.String(validate=validate.Length(max=2000))
    search_placeholder = fields.String(validate=validate.Length(max=120))
    banner_text = fields.String(validate=validate.Length(max=500))
    footer_links = fields.List(fields.Nested(FooterLinkSchema), validate=validate.Length(max=12))


class LocalesSchema(Schema):
    default = fields.String(validate=validate.Length(min=2, max=16))
    enabled = fields.List(fields.String(validate=validate.Length(min=2, max=16)), validate=validate.Length(min=1))


class AnnouncementSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=120))
    body = fields.String(load_default="", validate=validate.Length(max=500))
    url = fields.String(load_default="", validate=_URLISH)


class WidgetSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=80))
    launcher_logo_url = fields.String(validate=_URLISH)
    brand_logo_url = fields.String(validate=_URLISH)
    alignment = fields.String(validate=validate.OneOf(["left", "right"]))
    spacing_horizontal = fields.Integer(validate=validate.Range(min=0, max=200))
    spacing_vertical = fields.Integer(validate=validate.Range(min=0, max=200))
    theme = fields.String(validate=validate.OneOf(["light", "dark"]))
    article_search = fields.Boolean()
    require_identity = fields.Boolean()
    announcements = fields.List(fields.Nested(AnnouncementSchema), validate=validate.Length(max=10))


class ShowWhenSchema(Schema):
    field = fields.String(required=True)
    equals = fields.String(required=True)


class TicketFieldSchema(Schema):
    name = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="Use lowercase letters, digits and _."))
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.OneOf(["text", "textarea", "number", "choice", "boolean"]))
    required = fields.Boolean(load_default=False)
    choices = fields.List(fields.String(), load_default=list)
    show_when = fields.Nested(ShowWhenSchema, allow_none=True, load_default=None)


class TicketFormSchema(Schema):
    fields_ = fields.List(fields.Nested(TicketFieldSchema), data_key="fields")


SECTIONS: dict[str, type[Schema]] = {
    "features": FeaturesSchema,
    "appearance": AppearanceSchema,
    "locales": LocalesSchema,
    "widget": WidgetSchema,
    "ticket_form": TicketFormSchema,
}


def get_settings(workspace: Workspace) -> dict[str, dict[str, Any]]:
    stored = workspace.settings or {}
    merged = copy.deepcopy(DEFAULTS)
    for section, values in stored.items():
        if section in merged and isinstance(values, dict):
            merged[section].update(values)
    return merged


def feature_switches(workspace: Workspace) -> dict[str, bool]:
    return dict(get_settings(workspace)["features"])


def update_settings(workspace: Workspace, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Validate and store partial changes (``{"features": {"tickets": False}}``); caller commits."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for section, values in changes.items():
        schema_cls = SECTIONS.get(section)
        if schema_cls is None:
            errors[section] = [f"Unknown settings section; use one of: {', '.join(SECTIONS)}."]
            continue
        try:
            loaded = schema_cls(unknown=RAISE).load(dict(values))
        except MarshmallowError as exc:
            for field, messages in exc.normalized_messages().items():
                errors[f"{section}.{field}"] = messages if isinstance(messages, list) else [str(messages)]
            continue
        if section == "ticket_form":
            loaded = {"fields": loaded.get("fields_", [])}
            errors.update(_check_ticket_form(loaded["fields"]))
        cleaned[section] = loaded
    if errors:
        raise ValidationError("Some settings are not valid.", errors)
    stored = copy.deepcopy(workspace.settings or {})
    for section, values in cleaned.items():
        stored.setdefault(section, {}).update(values)
    workspace.settings = stored  # reassign: JSON columns do not track in-place changes
    return get_settings(workspace)


def _check_ticket_form(form_fields: list[dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    names = [f["name"] for f in form_fields]
    for index, field in enumerate(form_fields):
        where = f"ticket_form.fields.{index}"
        if names.count(field["name"]) > 1:
            errors[f"{where}.name"] = [f"The field name '{field['name']}' is used twice."]
        if field["type"] == "choice" and not field["choices"]:
            errors[f"{where}.choices"] = ["A choice field needs at least one choice."]
        condition = field.get("show_when")
        if condition:
            if condition["field"] not in names[:index]:
                errors[f"{where}.show_when"] = ["A dependent field must depend on a field defined before it."]
    return errors
