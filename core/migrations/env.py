"""Alembic environment of snapdesk (run by Flask-Migrate inside an app context).

The target metadata is ``core.db.db.metadata`` (every model, with the naming convention of
``core.db.NAMING`` so constraint names match on SQLite and PostgreSQL). Columns of the core's
``UTCDateTime`` type are written into revisions as plain ``sa.DateTime(timezone=True)``, so that
revision files never import application code.

Snap-in migrations: their directories are added to ``version_locations`` by
``core.migrations.configure_alembic`` before this file runs (see that module's docstring).
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

import core.models  # noqa: F401 - registers every table on the metadata
from core.db import UTCDateTime

config = context.config

if config.config_file_name is not None and not logging.getLogger().handlers:
    # Only when nobody configured logging (the CLI): never replace the handlers of a host such as
    # pytest, and never disable the app's loggers.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_metadata():
    return current_app.extensions["migrate"].db.metadata


def render_item(type_, obj, autogen_context):
    """Render the core's custom column types as their portable SQLAlchemy equivalents."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """``--sql`` mode: emit SQL for the engine's URL without connecting."""
    context.configure(
        url=get_engine().url.render_as_string(hide_password=False),
        target_metadata=get_metadata(),
        literal_binds=True,
        render_item=render_item,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context, revision, directives):
        # An autogenerate that finds no change writes no empty revision file.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)

    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
