"""Administration commands of the ``snapdesk`` CLI: snap-ins, workspaces, API tokens.

Each command changes data through the same core services as the settings pages and the API
(:mod:`core.snapins.admin`, :mod:`core.workspaces`, :mod:`core.identity`) and commits once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from webapp.cli_common import CliError, app_context, find_workspace

STATUS_WORDS = {
    "enabled": "enabled",
    "disabled": "disabled",
    "broken": "broken",
    "needs_attention": "needs attention",
}


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [headers, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _status_text(row: dict[str, Any]) -> str:
    status = STATUS_WORDS.get(row["status"], row["status"])
    if row["status"] == "broken" and row.get("broken_reason"):
        return f"broken: {row['broken_reason']}"
    if row["status"] == "needs_attention" and row.get("last_error"):
        return f"needs attention: {row['last_error']}"
    return status


def parse_value(text: str) -> Any:
    """A ``--set`` value: JSON when it parses (numbers, true/false, lists, objects), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _load_config(config_json: str | None, config_file: str | None) -> dict[str, Any] | None:
    if config_json is not None and config_file is not None:
        raise CliError("Give the configuration either with --config or with --config-file, not both.")
    source = config_json
    if config_file is not None:
        try:
            source = Path(config_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"Cannot read the configuration file {config_file}: {exc.strerror}.") from None
    if source is None:
        return None
    try:
        config = json.loads(source)
    except ValueError as exc:
        raise CliError(f"The configuration is not valid JSON: {exc}.") from None
    if not isinstance(config, dict):
        raise CliError('The configuration must be a JSON object, like {"threshold": 0.9}.')
    return config


def register_admin_commands(main: click.Group) -> None:
    """Attach the ``snapins``, ``workspace`` and ``token`` groups to the CLI."""
    main.add_command(snapins)
    main.add_command(workspace)
    main.add_command(token)


# -- snapins --------------------------------------------------------------------------------------


@click.group()
def snapins() -> None:
    """Installed snap-ins and their enablement per workspace."""


@snapins.command("list")
@click.option("--workspace", "slug", help="Show the status in this workspace.")
def snapins_list(slug: str | None) -> None:
    """List installed snap-ins: id, version, status, hooks."""
    from flask import current_app

    from core.snapins import admin

    with app_context():
        if slug is not None:
            rows = admin.overview(find_workspace(slug))
        else:
            rows = [
                {
                    "id": s.id, "version": s.version, "hooks": list(s.hooks),
                    "status": "broken" if s.broken else "installed", "broken_reason": s.broken_reason,
                }
                for s in sorted(current_app.extensions["snapdesk"].registry.installed.values(), key=lambda s: s.id)
            ]
        if not rows:
            click.echo("No snap-ins are installed. Install one with: pip install ./snapins/<name>")
            return
        table = [[r["id"], r["version"], _status_text(r), ", ".join(r["hooks"]) or "-"] for r in rows]
        click.echo(_table(["ID", "VERSION", "STATUS", "HOOKS"], table))


@snapins.command("enable")
@click.argument("snapin_id")
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@click.option("--config", "config_json", help="Configuration as a JSON object.")
@click.option("--config-file", type=click.Path(dir_okay=False), help="Configuration from a JSON file.")
@click.option("--priority", type=int, help="Order among enabled snap-ins (lower runs first; default 100).")
def snapins_enable(snapin_id: str, slug: str, config_json: str | None, config_file: str | None, priority: int | None) -> None:
    """Enable SNAPIN_ID in a workspace (with its configuration, validated by the snap-in)."""
    from core.db import commit
    from core.snapins import admin

    config = _load_config(config_json, config_file)
    with app_context():
        admin.enable(find_workspace(slug), snapin_id, config, priority=priority)
        commit()
        click.echo(f"Enabled '{snapin_id}' in workspace '{slug}'.")


@snapins.command("disable")
@click.argument("snapin_id")
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
def snapins_disable(snapin_id: str, slug: str) -> None:
    """Disable SNAPIN_ID in a workspace (its configuration is kept)."""
    from core.db import commit
    from core.snapins import admin

    with app_context():
        admin.disable(find_workspace(slug), snapin_id)
        commit()
        click.echo(f"Disabled '{snapin_id}' in workspace '{slug}'.")


@snapins.command("config")
@click.argument("snapin_id")
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help="Set one field (JSON values allowed); repeat.")
def snapins_config(snapin_id: str, slug: str, assignments: tuple[str, ...]) -> None:
    """Show, or change with --set, the configuration of SNAPIN_ID in a workspace (secrets hidden)."""
    from core.db import commit
    from core.snapins import admin

    changes: dict[str, Any] = {}
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key.strip():
            raise CliError(f"'{assignment}' is not KEY=VALUE; for example --set threshold=0.9.")
        changes[key.strip()] = parse_value(value)
    with app_context():
        workspace = find_workspace(slug)
        snapin = admin.installed_snapin(snapin_id)
        setting = admin.get_setting(workspace, snapin_id)
        if changes:
            setting = admin.configure(workspace, snapin_id, {**((setting.config if setting else None) or {}), **changes})
            commit()
            click.echo(f"Saved the configuration of '{snapin_id}' in workspace '{slug}'.")
        shown = admin.redacted_config(snapin, admin.load_stored_config(snapin_id, setting.config if setting else {}))
        click.echo(json.dumps(shown, indent=2, sort_keys=True, default=str))


# -- workspace ------------------------------------------------------------------------------------


@click.group()
def workspace() -> None:
    """Workspaces (tenants)."""


@workspace.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="Display name, e.g. 'Acme Cloud'.")
@click.option("--admin-email", required=True, help="Email of the first admin.")
@click.option("--admin-password", required=True, help="Password of the first admin (8+ characters).")
def workspace_create(slug: str, name: str, admin_email: str, admin_password: str) -> None:
    """Create workspace SLUG with its first admin."""
    from core.db import commit
    from core.workspaces import create_workspace

    with app_context() as app:
        created = create_workspace(slug=slug, name=name, admin_email=admin_email, admin_password=admin_password)
        commit()
        click.echo(f"Created workspace '{created.slug}'. Portal: {app.config['BASE_URL']}/{created.slug}/")


@workspace.command("list")
def workspace_list() -> None:
    """List workspaces."""
    from sqlalchemy import select

    from core.db import db
    from core.models import Workspace

    with app_context():
        rows = [[w.slug, w.name] for w in db.session.scalars(select(Workspace).order_by(Workspace.slug))]
        click.echo(_table(["SLUG", "NAME"], rows) if rows else "No workspaces yet.")


# -- token ----------------------------------------------------------------------------------------


@click.group()
def token() -> None:
    """API tokens for agents."""


@token.command("create")
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@click.option("--email", required=True, help="The agent's email.")
@click.option("--name", default="cli", show_default=True, help="A label for the token.")
def token_create(slug: str, email: str, name: str) -> None:
    """Create an API token for an agent and print it (shown once)."""
    from core.db import commit
    from core.identity import issue_api_token
    from core.people import find_user_by_email

    with app_context():
        found = find_workspace(slug)
        user = find_user_by_email(found.id, email)
        if user is None:
            raise CliError(f"No agent with email {email} in workspace '{slug}'.")
        value = issue_api_token(user, name)
        commit()
        click.echo(value)
        click.echo("Keep it safe: it is shown only once. Send it as 'Authorization: Bearer <token>'.", err=True)
