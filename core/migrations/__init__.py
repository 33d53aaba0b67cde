"""The schema's Alembic migrations, and the hook that adds snap-ins' migration directories.

The core's revisions live in ``versions/``. A snap-in that ships its own tables (declared through the
``hooks`` contract, names prefixed with its id) ships its revisions too, in its own package, as an
Alembic *branch*: its first revision has ``down_revision = None``, ``branch_labels = ("<snapin-id>",)``
and ``depends_on`` the core revision it builds on. The snap-in names that directory in a class
attribute of its manifest::

    class Snapin(hooks.Snapin):
        migrations = str(Path(__file__).parent / "migrations")

:func:`configure_alembic` (a Flask-Migrate ``configure`` callback) adds those directories to
Alembic's ``version_locations``, so ``snapdesk db upgrade`` (which upgrades to ``heads``) applies the
core's chain and every installed snap-in's branch. It must run before Alembic reads its scripts,
which is why it is a Flask-Migrate callback and not code in ``env.py`` (env.py runs too late).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from alembic.config import Config

    from core.snapins.registry import SnapinRegistry

#: The core's own revisions.
VERSIONS_DIR = Path(__file__).resolve().parent / "versions"


def snapin_version_locations(registry: "SnapinRegistry") -> list[str]:
    """Migration directories of the installed, loaded snap-ins that declare a ``migrations`` attribute."""
    locations = []
    for snapin in registry.loaded():
        location = getattr(type(snapin.plugin), "migrations", None)
        if location and Path(location).is_dir():
            locations.append(str(Path(location).resolve()))
    return locations


def configure_alembic(config: "Config") -> "Config":
    """Flask-Migrate ``configure`` callback: the core's versions plus every snap-in's (app context needed)."""
    from flask import current_app

    runtime = current_app.extensions.get("snapdesk")
    extra = snapin_version_locations(runtime.registry) if runtime is not None else []
    if extra:
        config.set_main_option("version_locations", os.pathsep.join([str(VERSIONS_DIR), *extra]))
    return config


def register(migrate: object) -> None:
    """Register :func:`configure_alembic` on a ``flask_migrate.Migrate`` once (idempotent)."""
    callbacks = getattr(migrate, "configure_callbacks")
    if configure_alembic not in callbacks:
        callbacks.append(configure_alembic)
