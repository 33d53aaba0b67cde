"""The configuration form of one snap-in: from its schema's fields to inputs and back.

The page is generated from :func:`core.snapins.admin.config_fields`. Inputs are named
``config-<field>``. What the admin typed is parsed here into the mapping the admin service
validates (``admin.configure`` / ``admin.enable``); the schema stays the one judge of validity,
except for JSON text, which must parse before the schema can see it.

Secrets never travel back to the browser: a secret input is always empty, and leaving it empty
keeps the stored value (the admin service's rule).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.snapins.admin import ConfigField

INPUT_PREFIX = "config-"
#: marshmallow's sentence for a missing required field, and what an admin reads instead.
_MISSING = "Missing data for required field."
_REQUIRED = "This field is required."


@dataclass(frozen=True)
class FieldInput:
    """One input as the page renders it."""

    field: ConfigField
    #: Unique in the page: ``<snapin id>-<field name>`` (labels and error ids derive from it).
    input_id: str
    #: Text shown in the input; always "" for a secret.
    value: str = ""
    checked: bool = False
    errors: tuple[str, ...] = ()
    #: A secret field that has a stored value (the page says "leave empty to keep the current value").
    secret_is_set: bool = False

    @property
    def name(self) -> str:
        return INPUT_PREFIX + self.field.name


@dataclass(frozen=True)
class SnapinForm:
    """The configuration form of one snap-in, with errors when a submission failed."""

    snapin_id: str
    inputs: tuple[FieldInput, ...]
    #: Errors not tied to one field (cross-field rules, unknown fields); with the summary message.
    form_errors: tuple[str, ...] = ()
    message: str = ""

    @property
    def has_errors(self) -> bool:
        return bool(self.form_errors) or any(i.errors for i in self.inputs)


def _display(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "json":
        return json.dumps(value, indent=2, ensure_ascii=False)
    return str(value)


def form_from_config(snapin_id: str, fields: list[ConfigField], redacted: Mapping[str, Any]) -> SnapinForm:
    """The form showing stored config (``admin.redacted_config`` output), defaults where unset."""
    inputs = []
    for config_field in fields:
        value = redacted.get(config_field.name, config_field.default)
        if config_field.secret:
            inputs.append(_input(snapin_id, config_field, secret_is_set=bool(redacted.get(config_field.name))))
        elif config_field.kind == "boolean":
            inputs.append(_input(snapin_id, config_field, checked=bool(value)))
        else:
            inputs.append(_input(snapin_id, config_field, value=_display(config_field.kind, value)))
    return SnapinForm(snapin_id=snapin_id, inputs=tuple(inputs))


def _input(snapin_id: str, config_field: ConfigField, **values: Any) -> FieldInput:
    return FieldInput(field=config_field, input_id=f"{snapin_id}-{config_field.name}", **values)


def parse_submission(fields: list[ConfigField], form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Form inputs -> (config for the admin service, errors of fields that could not be parsed).

    An empty input is left out, so the schema's default applies (or, for a required field, the
    schema reports it missing); an empty secret is left out so the stored secret is kept.
    Numbers are passed as text: the schema converts them and words its own errors.
    """
    config: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for config_field in fields:
        name = config_field.name
        raw = form.get(INPUT_PREFIX + name)
        if config_field.kind == "boolean":
            config[name] = raw is not None
            continue
        if raw is None or raw.strip() == "":
            continue
        if config_field.kind == "json":
            try:
                config[name] = json.loads(raw)
            except json.JSONDecodeError as exc:
                errors[name] = [f"This is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."]
            continue
        config[name] = raw.strip() if config_field.kind in ("integer", "number") else raw
    return config, errors


def form_from_submission(
    snapin_id: str,
    fields: list[ConfigField],
    form: Mapping[str, str],
    errors: Mapping[str, list[str]],
    *,
    message: str = "",
    secrets_set: frozenset[str] = frozenset(),
) -> SnapinForm:
    """The form as the admin submitted it (secrets blanked), with ``errors`` placed by field.

    Error keys are field names, or dotted paths into a field (``rules.0.owner``); anything else
    (``_schema``, a name the schema does not know) becomes a form-level error.
    """
    names = {f.name for f in fields}
    by_field: dict[str, list[str]] = {}
    form_errors: list[str] = []
    for key, messages in errors.items():
        head, _, rest = key.partition(".")
        worded = [_REQUIRED if m == _MISSING else m for m in messages]
        if head in names:
            by_field.setdefault(head, []).extend(f"{rest}: {m}" if rest else m for m in worded)
        elif key == "_schema":
            form_errors.extend(worded)
        else:
            form_errors.extend(f"{key}: {m}" for m in worded)
    inputs = []
    for config_field in fields:
        raw = form.get(INPUT_PREFIX + config_field.name)
        field_errors = tuple(by_field.get(config_field.name, ()))
        if config_field.secret:
            inputs.append(
                _input(snapin_id, config_field, errors=field_errors, secret_is_set=config_field.name in secrets_set)
            )
        elif config_field.kind == "boolean":
            inputs.append(_input(snapin_id, config_field, checked=raw is not None, errors=field_errors))
        else:
            inputs.append(_input(snapin_id, config_field, value=raw or "", errors=field_errors))
    return SnapinForm(snapin_id=snapin_id, inputs=tuple(inputs), form_errors=tuple(form_errors), message=message)


def merge_errors(*groups: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Later groups win for a field (a JSON parse error explains a "missing" better than the schema)."""
    merged: dict[str, list[str]] = {}
    for group in groups:
        merged.update({k: list(v) for k, v in group.items()})
    return merged


__all__ = ["FieldInput", "SnapinForm", "form_from_config", "form_from_submission", "merge_errors", "parse_submission"]
