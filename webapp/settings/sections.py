"""From settings form posts to :func:`core.portal_settings.update_settings` and back.

Inputs are named ``<section>-<field>``; repeated rows (footer links, announcements, ticket
fields) are ``<section>-<field>-<index>-<key>``. The section's marshmallow schema stays the one
judge of validity: this module only shapes what the admin typed, and flattens the schema's
nested messages to dotted keys (``footer_links.0.url``) so the page can put each message beside
its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE

from core.errors import ValidationError
from core.models import Workspace
from core.portal_settings import SECTIONS, update_settings

Errors = dict[str, list[str]]

#: The header tabs the portal knows, in the order they show.
HEADER_TABS: tuple[tuple[str, str], ...] = (("home", "Home"), ("articles", "Articles"), ("tickets", "Tickets"))
APPEARANCE_TEXT = (
    "theme", "company_name", "logo_url", "favicon_url", "accent_color", "hero_title", "welcome_text", "search_placeholder",
)
_MISSING = "Missing data for required field."


def flatten(messages: Any, prefix: str = "") -> Errors:
    """marshmallow's nested messages -> ``{"footer_links.0.url": [...]}``."""
    if isinstance(messages, Mapping):
        flat: Errors = {}
        for key, value in messages.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix: ["This field is required." if m == _MISSING else m for m in messages]}
    if isinstance(messages, list):
        flat = {}
        for index, value in enumerate(messages):
            flat.update(flatten(value, f"{prefix}.{index}"))
        return flat
    return {prefix: [str(messages)]}


def save_sections(workspace: Workspace, changes: Mapping[str, Mapping[str, Any]]) -> Errors:
    """Validate and store ``changes`` (flushes through ``update_settings``; the caller commits).

    Returns ``{}`` on success, else errors keyed ``<section>.<dotted field>``; nothing is stored then.
    """
    errors: Errors = {}
    for section, values in changes.items():
        nested = SECTIONS[section](unknown=RAISE).validate(dict(values))
        errors.update({f"{section}.{key}": messages for key, messages in flatten(nested).items()})
    if errors:
        return errors
    try:
        update_settings(workspace, changes)
    except ValidationError as exc:
        return {key: list(messages) for key, messages in exc.fields.items()}
    return {}


def rows(form: Mapping[str, Any], prefix: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows ``<prefix>-<i>-<key>`` in index order, blank rows left out."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d{{1,4}})-({'|'.join(map(re.escape, keys))})$")
    found: dict[int, dict[str, str]] = {}
    for name in form:
        match = pattern.match(name)
        if match:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = str(form.get(name) or "")
    result = []
    for index in sorted(found):
        row = {key: found[index].get(key, "").strip() for key in keys}
        if any(row.values()):
            result.append(row)
    return result


def _checked(form: Mapping[str, Any], name: str) -> bool:
    return form.get(name) is not None


def features_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    from core.portal_settings import DEFAULTS

    return {name: _checked(form, f"features-{name}") for name in DEFAULTS["features"]}


def appearance_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """The appearance section as typed (also the preview's draft). Missing text inputs are left
    out, so a partial draft keeps the stored values for the rest."""
    values: dict[str, Any] = {}
    for name in APPEARANCE_TEXT:
        raw = form.get(f"appearance-{name}")
        if raw is not None:
            values[name] = str(raw).strip()
    chosen = form.getlist("appearance-header_tabs") if hasattr(form, "getlist") else []
    values["header_tabs"] = [key for key, _label in HEADER_TABS if key in chosen]
    values["footer_links"] = rows(form, "appearance-footer_links", ("label", "url"))
    return values


def widget_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("title", "launcher_logo_url", "brand_logo_url", "alignment", "theme"):
        raw = form.get(f"widget-{name}")
        if raw is not None:
            values[name] = str(raw).strip()
    for name in ("spacing_horizontal", "spacing_vertical"):
        raw = str(form.get(f"widget-{name}") or "").strip()
        if raw:
            values[name] = raw  # the schema converts and words its own errors
    for name in ("article_search", "require_identity"):
        values[name] = _checked(form, f"widget-{name}")
    values["announcements"] = rows(form, "widget-announcements", ("title", "body", "url"))
    return values


def locales_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    enabled: list[str] = []
    raw_enabled = form.getlist("locales-enabled") if hasattr(form, "getlist") else []
    extra = str(form.get("locales-extra") or "")
    for code in [*raw_enabled, *re.split(r"[\s,]+", extra)]:
        code = code.strip()
        if code and code not in enabled:
            enabled.append(code)
    return {"default": str(form.get("locales-default") or "").strip(), "enabled": enabled}


def check_locales(values: Mapping[str, Any]) -> Errors:
    """The form's own rule: the default locale is one of the enabled ones."""
    if values["default"] and values["default"] not in values["enabled"]:
        return {"locales.default": ["The default locale must be one of the enabled locales."]}
    return {}


__all__ = [
    "HEADER_TABS", "appearance_from_form", "check_locales", "features_from_form", "flatten", "locales_from_form",
    "rows", "save_sections", "widget_from_form",
]
