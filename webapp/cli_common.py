"""Shared pieces of the ``snapdesk`` CLI: the error convention, building the app, lookups.

Errors the core raises on purpose (:class:`core.errors.SnapdeskError`) are turned, in one place
(:class:`SnapdeskGroup`), into ``Error: <sentence>`` plus one line per field on stderr and exit
code 2 - the same code click uses for wrong arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import Flask

from core.errors import SnapdeskError, ValidationError

EXIT_USAGE = 2
NO_REDIS = "REDIS_URL is not set: without Redis, jobs run in-process and no worker is needed."


class CliError(click.ClickException):
    """A sentence for the person at the terminal; exit code 2."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}

    def show(self, file: Any = None) -> None:
        out = file or sys.stderr
        click.echo(f"Error: {self.format_message()}", file=out)
        for name, messages in self.fields.items():
            for message in messages:
                click.echo(f"  {name}: {message}", file=out)


class SnapdeskGroup(click.Group):
    """The one place where the core's errors become exit code 2 with a sentence."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SnapdeskError as exc:
            fields = exc.fields if isinstance(exc, ValidationError) else {}
            raise CliError(str(exc), fields) from None


# -- app and lookups ------------------------------------------------------------------------------


def build_app(config: dict[str, Any] | None = None) -> Flask:
    """The app from the environment (create_app makes snap-ins' migration directories known to Alembic)."""
    from webapp import create_app

    return create_app(config)


@contextmanager
def app_context(config: dict[str, Any] | None = None) -> Iterator[Flask]:
    from core.db import db

    app = build_app(config)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()


def find_workspace(slug: str) -> Any:
    from core.workspaces import get_by_slug

    workspace = get_by_slug(slug)
    if workspace is None:
        raise CliError(
            f"No workspace '{slug}'. Create it with: snapdesk workspace create {slug} "
            "--name NAME --admin-email EMAIL --admin-password PASSWORD"
        )
    return workspace


def upgrade_database(revision: str = "heads") -> None:
    """Apply migrations (inside an app context); a failure is an error sentence, not a traceback."""
    from alembic import command
    from alembic.util import CommandError
    from flask import current_app

    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from core.db import db

    with db.engine.connect() as connection:
        untracked = inspect(connection).has_table("workspaces") and not MigrationContext.configure(connection).get_current_heads()
    if untracked:
        raise CliError(
            "The database has snapdesk tables but no migration history (made without migrations?). "
            "Use an empty database, or, if its schema is current, record that with: snapdesk db stamp heads"
        )
    config = current_app.extensions["migrate"].migrate.get_config()
    try:
        command.upgrade(config, revision)
    except CommandError as exc:
        raise CliError(f"Could not upgrade the database: {exc}") from None
