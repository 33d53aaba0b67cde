"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL.

A model change without a migration makes :func:`test_upgrade_matches_models` fail with the list of
differences; write the missing revision with ``snapdesk db revision -m "..." --autogenerate``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from webapp.testing.plugin import DATABASE_ENV, _postgres_url


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a scratch PostgreSQL database when the run uses one."""
    base = os.environ.get(DATABASE_ENV)
    if not base:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = _postgres_url(base)
    name = f"snapdesk_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def migrated_app(empty_database_url):
    """An app on the empty database, inside its app context (no ``create_all``: migrations only)."""
    from core.db import db
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "SNAPDESK_AUTOLOAD": False,
            "MAIL_URL": "console://",
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _schema_differences() -> list:
    from core.db import db

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models(migrated_app) -> None:
    from flask_migrate import upgrade

    from core.db import db

    upgrade()
    differences = _schema_differences()
    assert differences == [], (
        "The migrations and the models disagree; add a revision with "
        "`snapdesk db revision -m '...' --autogenerate`. Differences: " + repr(differences)
    )
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_constraint_names_follow_the_naming_convention(migrated_app) -> None:
    from flask_migrate import upgrade

    from core.db import db

    upgrade()
    inspector = inspect(db.engine)
    assert inspector.get_pk_constraint("contacts")["name"] in ("pk_contacts", None)  # SQLite does not keep PK names
    foreign_keys = {fk["name"] for fk in inspector.get_foreign_keys("contacts")}
    assert "fk_contacts_workspace_id_workspaces" in foreign_keys
    uniques = {uq["name"] for uq in inspector.get_unique_constraints("workspaces")}
    assert "uq_workspaces_slug" in uniques


def test_downgrade_to_base_removes_every_table(migrated_app) -> None:
    from flask_migrate import downgrade, upgrade

    from core.db import db

    upgrade()
    downgrade(revision="base")
    remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    # ...and the chain applies again from scratch.
    upgrade()
    assert _schema_differences() == []
