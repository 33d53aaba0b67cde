"""The database handle, the model base, tenant scoping and the one way to commit.

Every row of the domain belongs to one workspace; :class:`WorkspaceScoped` gives it the column and
:func:`get_scoped` is how services fetch by id without crossing tenants.

:func:`commit` is the only way services commit: it commits, then releases the domain events
collected during the transaction (see :mod:`core.events`). Events of a rolled-back transaction
are dropped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TypeVar

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, MetaData, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from core.errors import NotFound

# Constraint names are fixed so that Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use core.db.utcnow()")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class WorkspaceScoped:
    """Mixin: the row belongs to exactly one workspace."""

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )


M = TypeVar("M")


def get_scoped(model: type[M], workspace_id: int, object_id: int | None) -> M:
    """Fetch ``model`` by id inside one workspace; :class:`NotFound` otherwise (also across tenants)."""
    if object_id is None:
        raise NotFound(f"{model.__name__} not found.")
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise NotFound(f"{model.__name__} not found.") from None
    row = db.session.scalar(
        select(model).where(model.id == object_id, model.workspace_id == workspace_id)  # type: ignore[attr-defined]
    )
    if row is None:
        raise NotFound(f"{model.__name__} {object_id} not found.")
    return row


def commit() -> None:
    """Commit the session, then publish the domain events the transaction collected."""
    from core import events  # events imports db; import here to keep the module graph acyclic

    db.session.commit()
    events.release_ready(db.session)


def rollback() -> None:
    db.session.rollback()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # pragma: no cover - driver glue
    # pysqlite's own transaction handling breaks SAVEPOINT (used to isolate each snap-in call);
    # SQLAlchemy's documented recipe: let SQLAlchemy emit BEGIN itself.
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # WAL: readers never block the writer, so a web process and a worker can share the file.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:  # pragma: no cover - driver glue
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")
