"""The snapdesk pytest plugin (entry point ``pytest11``): test a snap-in, or the core, in isolation.

Fixtures:

- ``make_app(snapins={...}, jobs="memory", **config)``: an app with exactly the listed snap-in
  classes (entry-point autoload off), its tables created, its app context pushed.
- ``app``: ``make_app()`` with no snap-ins. ``client``: its Flask test client.
- ``workspace``: a workspace "acme" with an admin (admin@acme.test / "admin-pass-1") and an agent.
- ``enable_snapin(workspace, snapin_id, config=None)``: enables through the same validation path
  as the admin page, and commits.
- ``hook_calls``: a list of :class:`HookCall` recorded from every snap-in call of the current app.
- ``run_jobs()``: runs queued jobs (the default queue keeps jobs until asked).
- ``outbox``: messages "sent" by the app's mailer (a memory mailer).
- ``smtp_sink``: a real SMTP server on loopback (aiosmtpd).

Database: SQLite in a temporary file per test, or PostgreSQL when ``SNAPDESK_TEST_DATABASE_URL``
is set (a database created for the run; tables emptied between tests).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from webapp.testing.smtp import SmtpSink

DATABASE_ENV = "SNAPDESK_TEST_DATABASE_URL"


@dataclass(frozen=True)
class HookCall:
    hook: str
    snapin_id: str
    kwargs: dict[str, Any]
    outcome: Any

    @property
    def failed(self) -> bool:
        return isinstance(self.outcome, BaseException)


def _postgres_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@pytest.fixture(scope="session")
def _snapdesk_server_database() -> Iterator[str | None]:
    """A PostgreSQL database created for this test run (None: use SQLite files)."""
    base = os.environ.get(DATABASE_ENV)
    if not base:
        yield None
        return
    base = _postgres_url(base)
    name = f"snapdesk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def snapdesk_database_url(tmp_path, _snapdesk_server_database) -> str:
    if _snapdesk_server_database is None:
        return f"sqlite:///{tmp_path / 'snapdesk.db'}"
    return _snapdesk_server_database


def _reset_database(url: str) -> None:
    """Empty every table (PostgreSQL runs share one database across tests)."""
    import core.models  # noqa: F401
    from core.db import db

    engine = create_engine(url)
    db.metadata.create_all(engine)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def hook_calls() -> list[HookCall]:
    return []


@pytest.fixture
def make_app(snapdesk_database_url, hook_calls) -> Iterator[Callable[..., Any]]:
    from core.db import db
    from core.jobs import InProcessQueue, MemoryQueue
    from core.mail import MemoryMailer
    from webapp import create_app

    if snapdesk_database_url.startswith("postgresql"):
        _reset_database(snapdesk_database_url)
    contexts = []
    apps = []

    def factory(
        snapins: Mapping[str, type] | None = None,
        *,
        jobs: Any = "memory",
        autoload: bool = False,
        mailer: Any = None,
        **config: Any,
    ):
        queue = {"memory": MemoryQueue, "inprocess": InProcessQueue}[jobs]() if isinstance(jobs, str) else jobs
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": snapdesk_database_url,
            "SNAPDESK_AUTOLOAD": autoload,
            "SNAPDESK_SNAPINS": None,
            "MAIL_URL": "memory://",
            # Live updates in-process unless a test passes REDIS_URL (the environment's is for CI's own use).
            "REDIS_URL": None,
            "BASE_URL": "http://portal.test",
            "WTF_CSRF_ENABLED": False,
        }
        settings.update(config)
        app = create_app(
            settings, snapin_classes=dict(snapins or {}), jobs=queue, mailer=mailer or MemoryMailer()
        )
        app.extensions["snapdesk"].dispatcher.observers.append(
            lambda hook, snapin_id, kwargs, outcome: hook_calls.append(HookCall(hook, snapin_id, dict(kwargs), outcome))
        )
        ctx = app.app_context()
        ctx.push()
        db.create_all()
        contexts.append(ctx)
        apps.append(app)
        return app

    yield factory
    from core.db import db as _db

    for ctx, app in reversed(list(zip(contexts, apps))):
        _db.session.remove()
        _db.engine.dispose()
        ctx.pop()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runtime(app):
    return app.extensions["snapdesk"]


@pytest.fixture
def run_jobs() -> Callable[[], int]:
    """Run the current app's queued jobs (and those they enqueue); returns how many ran.

    Uses the app of the innermost pushed app context, so it works with ``make_app(...)``.
    """
    from flask import current_app

    def run() -> int:
        queue = current_app.extensions["snapdesk"].jobs
        if not hasattr(queue, "run_all"):
            raise RuntimeError("run_jobs needs make_app(jobs='memory')")
        return queue.run_all()

    return run


class _Outbox:
    """The current app's memory mailer outbox (a live view: always the innermost app's)."""

    def _messages(self) -> list[Any]:
        from flask import current_app

        return current_app.extensions["snapdesk"].mailer.outbox

    def __len__(self) -> int:
        return len(self._messages())

    def __iter__(self):
        return iter(self._messages())

    def __getitem__(self, index):
        return self._messages()[index]

    def clear(self) -> None:
        self._messages().clear()


@pytest.fixture
def outbox() -> _Outbox:
    return _Outbox()


@pytest.fixture
def workspace(app):
    from core.db import commit
    from core.workspaces import create_workspace

    workspace = create_workspace(
        slug="acme", name="Acme", admin_email="admin@acme.test", admin_name="Ada Admin", admin_password="admin-pass-1"
    )
    from core.people import create_user

    create_user(workspace, email="agent@acme.test", name="Alan Agent", role="agent", password="agent-pass-1")
    commit()
    return workspace


@pytest.fixture
def enable_snapin() -> Callable[..., Any]:
    def enable(workspace, snapin_id: str, config: Mapping[str, Any] | None = None, *, priority: int | None = None):
        from core.db import commit
        from core.snapins import admin

        setting = admin.enable(workspace, snapin_id, dict(config) if config is not None else None, priority=priority)
        commit()
        return setting

    return enable


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """``sign_in(client, workspace, contact=c)`` or ``user=u``: a signed-in browser session for the test client."""

    def sign(client, workspace, *, contact=None, user=None) -> None:
        with client.session_transaction() as session:
            if contact is not None:
                session["contacts"] = {**(session.get("contacts") or {}), str(workspace.id): contact.id}
            if user is not None:
                session["users"] = {**(session.get("users") or {}), str(workspace.id): user.id}

    return sign


# Browser test kit (live_server, browser, page); Playwright is imported only when a browser fixture runs.
from webapp.testing.browser import *  # noqa: E402,F401,F403
