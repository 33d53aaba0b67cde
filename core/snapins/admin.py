"""Enabling, disabling and configuring snap-ins per workspace (the admin page, CLI and API call these).

Config is validated by the snap-in's marshmallow schema (``unknown=RAISE``) and then by its
``validate_config``; what is stored is the schema's dump (JSON-safe). Secret fields are never
returned by :func:`redacted_config`; saving a form that leaves a secret empty keeps the old value.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import marshmallow
from sqlalchemy import select

from core.db import db
from core.errors import Conflict, NotFound, ValidationError
from core.models import SnapinSetting, Workspace
from core.runtime import get_runtime
from core.snapins.registry import InstalledSnapin
from hooks import ConfigError

SECRET_PLACEHOLDER = "********"


@dataclass(frozen=True)
class ConfigField:
    """How the settings page renders one config field."""

    name: str
    label: str
    help: str
    kind: str  # "string", "text", "integer", "number", "boolean", "choice", "json"
    required: bool
    secret: bool
    default: Any
    choices: tuple[str, ...] = ()


def installed_snapin(snapin_id: str) -> InstalledSnapin:
    snapin = get_runtime().registry.get(snapin_id)
    if snapin is None:
        raise NotFound(f"No snap-in '{snapin_id}' is installed.")
    if snapin.broken:
        raise Conflict(f"Snap-in '{snapin_id}' is broken and cannot be used: {snapin.broken_reason}")
    return snapin


def _schema(snapin: InstalledSnapin) -> marshmallow.Schema | None:
    cls = type(snapin.plugin).config_schema if snapin.plugin is not None else None
    return cls(unknown=marshmallow.RAISE) if cls is not None else None


def secret_fields(snapin: InstalledSnapin) -> set[str]:
    schema = _schema(snapin)
    if schema is None:
        return set()
    return {name for name, f in schema.fields.items() if f.metadata.get("secret")}


def validate_config(
    snapin: InstalledSnapin,
    raw: Mapping[str, Any],
    existing: Mapping[str, Any] | None = None,
    workspace: Workspace | None = None,
) -> dict[str, Any]:
    """Return the config to store, or raise :class:`ValidationError` with field messages.

    A snap-in's ``validate_config(config, context)`` gets a context of the workspace (built with
    the candidate config) when it accepts a ``context`` argument, e.g. to check that an agent exists.
    """
    schema = _schema(snapin)
    data = dict(raw)
    for name in secret_fields(snapin):
        # An empty secret (or the placeholder shown in forms) means "keep what is stored".
        if data.get(name) in (None, "", SECRET_PLACEHOLDER) and existing and name in existing:
            data[name] = existing[name]
    if schema is None:
        if data:
            raise ValidationError(
                f"Snap-in '{snapin.id}' takes no configuration.", {k: ["Unknown field."] for k in data}
            )
        return {}
    try:
        loaded = schema.load(data)
    except marshmallow.ValidationError as exc:
        raise ValidationError(
            f"The configuration of '{snapin.id}' is not valid.", _flatten_messages(exc.messages)
        ) from None
    try:
        check = snapin.plugin.validate_config  # type: ignore[union-attr]
        if workspace is not None and "context" in inspect.signature(check).parameters:
            probe = SnapinSetting(workspace_id=workspace.id, snapin_id=snapin.id, config=schema.dump(loaded))
            check(loaded, context=get_runtime().dispatcher.make_context(workspace, probe))
        else:
            check(loaded)
    except ConfigError as exc:
        raise ValidationError(f"The configuration of '{snapin.id}' is not valid.", exc.fields) from None
    return schema.dump(loaded)


def _flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(messages, list):
        return {prefix or "_schema": [str(m) for m in messages]}
    out: dict[str, list[str]] = {}
    for key, value in dict(messages).items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[name] = list(value)
        else:
            out.update(_flatten_messages(value, name))
    return out


def load_stored_config(snapin_id: str, stored: Mapping[str, Any]) -> dict[str, Any]:
    """Stored (dumped) config -> loaded values with defaults filled in."""
    snapin = get_runtime().registry.get(snapin_id)
    if snapin is None or snapin.broken:
        return dict(stored)
    schema = _schema(snapin)
    if schema is None:
        return {}
    try:
        return schema.load(dict(stored))
    except marshmallow.ValidationError:
        # A schema that changed under stored config: give what is stored rather than nothing.
        return dict(stored)


def get_setting(workspace: Workspace, snapin_id: str) -> SnapinSetting | None:
    return db.session.scalar(
        select(SnapinSetting).where(SnapinSetting.workspace_id == workspace.id, SnapinSetting.snapin_id == snapin_id)
    )


def _setting(workspace: Workspace, snapin_id: str) -> SnapinSetting:
    setting = get_setting(workspace, snapin_id)
    if setting is None:
        setting = SnapinSetting(workspace_id=workspace.id, snapin_id=snapin_id, enabled=False, config={})
        db.session.add(setting)
        db.session.flush()
    return setting


def enable(
    workspace: Workspace, snapin_id: str, config: Mapping[str, Any] | None = None, *, priority: int | None = None
) -> SnapinSetting:
    """Enable (or re-enable) with ``config`` (None keeps the stored config). Caller commits."""
    snapin = installed_snapin(snapin_id)
    setting = _setting(workspace, snapin_id)
    stored = setting.config or {}
    setting.config = validate_config(snapin, config if config is not None else stored, existing=stored, workspace=workspace)
    if priority is not None:
        setting.priority = priority
    setting.enabled = True
    setting.needs_attention = False
    setting.consecutive_failures = 0
    db.session.flush()
    _lifecycle(snapin, "on_enable", workspace, setting)
    return setting


def disable(workspace: Workspace, snapin_id: str) -> SnapinSetting:
    snapin = get_runtime().registry.get(snapin_id)
    setting = get_setting(workspace, snapin_id)
    if setting is None or not setting.enabled:
        if snapin is None:
            raise NotFound(f"No snap-in '{snapin_id}' is installed.")
        return setting or _setting(workspace, snapin_id)
    setting.enabled = False
    db.session.flush()
    if snapin is not None and not snapin.broken:
        _lifecycle(snapin, "on_disable", workspace, setting)
    return setting


def configure(workspace: Workspace, snapin_id: str, config: Mapping[str, Any], *, priority: int | None = None) -> SnapinSetting:
    """Validate and store config without changing enablement."""
    snapin = installed_snapin(snapin_id)
    setting = _setting(workspace, snapin_id)
    setting.config = validate_config(snapin, config, existing=setting.config or {}, workspace=workspace)
    if priority is not None:
        setting.priority = priority
    db.session.flush()
    return setting


def _lifecycle(snapin: InstalledSnapin, method: str, workspace: Workspace, setting: SnapinSetting) -> None:
    context = get_runtime().dispatcher.make_context(workspace, setting)
    try:
        getattr(snapin.plugin, method)(context)
    except ConfigError as exc:
        raise ValidationError(f"Snap-in '{snapin.id}' refused: {exc}", exc.fields) from None
    except Exception as exc:  # noqa: BLE001 - report, do not crash the admin page
        raise Conflict(f"Snap-in '{snapin.id}' failed in {method}: {type(exc).__name__}: {exc}") from None


def redacted_config(snapin: InstalledSnapin, config: Mapping[str, Any]) -> dict[str, Any]:
    """Config safe to show: secret fields replaced by a placeholder (or "" when unset)."""
    secrets = secret_fields(snapin)
    return {k: (SECRET_PLACEHOLDER if v else "") if k in secrets else v for k, v in config.items()}


def config_fields(snapin: InstalledSnapin) -> list[ConfigField]:
    schema = _schema(snapin)
    if schema is None:
        return []
    out = []
    for name, field in schema.fields.items():
        meta = field.metadata
        choices: tuple[str, ...] = ()
        for validator in getattr(field, "validators", []) or []:
            if isinstance(validator, marshmallow.validate.OneOf):
                choices = tuple(str(c) for c in validator.choices)
        if meta.get("widget") == "json" or isinstance(field, (marshmallow.fields.List, marshmallow.fields.Nested, marshmallow.fields.Dict)):
            kind = "json"
        elif choices:
            kind = "choice"
        elif isinstance(field, marshmallow.fields.Boolean):
            kind = "boolean"
        elif isinstance(field, marshmallow.fields.Integer):
            kind = "integer"
        elif isinstance(field, marshmallow.fields.Number):
            kind = "number"
        elif meta.get("widget") == "textarea":
            kind = "text"
        else:
            kind = "string"
        default = field.load_default
        out.append(
            ConfigField(
                name=name,
                label=meta.get("label") or name.replace("_", " ").capitalize(),
                help=meta.get("help", ""),
                kind=kind,
                required=field.required,
                secret=bool(meta.get("secret")),
                default=None if default is marshmallow.missing else (default() if callable(default) else default),
                choices=choices,
            )
        )
    return out


def status(snapin: InstalledSnapin, setting: SnapinSetting | None) -> str:
    """"broken", "needs_attention", "enabled" or "disabled"."""
    if snapin.broken:
        return "broken"
    if setting is not None and setting.enabled:
        return "needs_attention" if setting.needs_attention else "enabled"
    return "disabled"


def overview(workspace: Workspace) -> list[dict[str, Any]]:
    """Every installed snap-in with its status in ``workspace`` (settings page, CLI, API)."""
    rows = []
    for snapin in sorted(get_runtime().registry.installed.values(), key=lambda s: s.id):
        setting = get_setting(workspace, snapin.id)
        rows.append(
            {
                "id": snapin.id,
                "title": snapin.title or snapin.id,
                "description": snapin.description,
                "author": snapin.author,
                "version": snapin.version,
                "hooks": list(snapin.hooks),
                "status": status(snapin, setting),
                "broken_reason": snapin.broken_reason,
                "enabled": bool(setting and setting.enabled),
                "priority": setting.priority if setting else 100,
                "failure_count": setting.failure_count if setting else 0,
                "last_error": setting.last_error if setting and setting.needs_attention else None,
                "config": redacted_config(snapin, setting.config or {}) if setting and not snapin.broken else {},
            }
        )
    return rows
