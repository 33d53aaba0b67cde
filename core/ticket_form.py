"""The workspace's custom ticket form: which custom fields a ticket has, and checking values against it.

Admins define the fields in portal settings (``settings["ticket_form"]["fields"]``, validated by
:mod:`core.portal_settings`): ``{"name", "label", "type", "required", "choices", "show_when"}``.
A field with ``show_when: {"field": F, "equals": V}`` is *active* only while field ``F``'s value,
coerced to its type and compared as text, equals ``V``. Only active fields are kept and only
active fields can be required; a dependent field always depends on a field defined before it,
so one pass in definition order decides every field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from core.errors import ValidationError
from core.models import Workspace
from core.portal_settings import get_settings

#: Longest text a text or textarea field may hold.
MAX_TEXT = 2000
REQUIRED = "This field is required."

_TRUE = frozenset({"true", "on", "1", "yes"})
_FALSE = frozenset({"false", "off", "0", "no"})


class _Invalid(Exception):
    """One field's value could not be coerced; the message is for the person filling the form."""


def form_fields(workspace: Workspace) -> list[dict[str, Any]]:
    """The workspace's custom ticket fields, in the order the admin defined them."""
    return [dict(field) for field in get_settings(workspace)["ticket_form"].get("fields") or []]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _coerce(field: Mapping[str, Any], value: Any) -> Any:
    """The value as the field's type; raises :class:`_Invalid` with a message. ``value`` is not empty."""
    kind = field["type"]
    if kind == "number":
        if isinstance(value, bool):
            raise _Invalid("Enter a number.")
        if isinstance(value, (int, float)):
            number = value
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                raise _Invalid("Enter a number.") from None
        else:
            raise _Invalid("Enter a number.")
        if isinstance(number, float):
            if not math.isfinite(number):
                raise _Invalid("Enter a number.")
            if number.is_integer():
                return int(number)
        return number
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _Invalid("Use true or false.")
    if kind == "choice":
        text = _as_text(value) if isinstance(value, (str, int, float)) else None
        choices = list(field.get("choices") or [])
        if text is None or text not in choices:
            raise _Invalid(f"Choose one of: {', '.join(choices)}.")
        return text
    # text and textarea
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Invalid("Enter text.")
    text = value if isinstance(value, str) else _as_text(value)
    if len(text) > MAX_TEXT:
        raise _Invalid(f"Use at most {MAX_TEXT} characters.")
    return text


def _as_text(value: Any) -> str:
    """How a coerced value compares with ``show_when.equals`` (which admins type as text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _evaluate(
    workspace: Workspace, values: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, list[str]]]:
    """One pass over the form: (active fields, cleaned values, field errors)."""
    if not isinstance(values, Mapping):
        raise ValidationError.field("custom_fields", "Custom fields must be an object of field name to value.")
    definitions = form_fields(workspace)
    known = {field["name"] for field in definitions}
    errors: dict[str, list[str]] = {}
    for name in values:
        if name not in known:
            errors[f"custom_fields.{name}"] = ["Unknown field."]

    active: list[dict[str, Any]] = []
    cleaned: dict[str, Any] = {}
    # name -> coerced value as text, for fields that are active and valid; what show_when compares with.
    decided: dict[str, str | None] = {}
    for field in definitions:
        name = field["name"]
        condition = field.get("show_when")
        if condition:
            controlling = decided.get(condition["field"])
            if controlling is None or controlling != str(condition["equals"]):
                continue  # inactive: its value is dropped and its `required` does not apply
        active.append(field)
        raw = values.get(name)
        if _is_empty(raw):
            decided[name] = None
            if field.get("required"):
                errors[f"custom_fields.{name}"] = [REQUIRED]
            continue
        try:
            value = _coerce(field, raw)
        except _Invalid as exc:
            decided[name] = None
            errors[f"custom_fields.{name}"] = [str(exc)]
            continue
        cleaned[name] = value
        decided[name] = _as_text(value)
    return active, cleaned, errors


def validate_custom_fields(workspace: Workspace, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check ``values`` against the workspace's ticket form and return the cleaned values.

    Keeps only active fields that have a value, coerced to their type (number, boolean, choice,
    text). Raises :class:`ValidationError` with keys ``"custom_fields.<name>"`` for unknown
    fields, values of the wrong type, and active required fields left empty.
    """
    active, cleaned, errors = _evaluate(workspace, values or {})
    if errors:
        raise ValidationError("Some custom fields are not valid.", errors)
    return cleaned


def active_fields(workspace: Workspace, values: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The fields that apply given ``values`` (dependent fields whose condition holds, plus all others).

    Never raises for bad values: a field whose controlling value is missing or invalid is inactive.
    """
    active, _cleaned, _errors = _evaluate(workspace, values if isinstance(values, Mapping) else {})
    return active
