"""snapdesk web app: the Flask application factory.

``create_app()`` wires the core (database, runtime, snap-in registry and dispatcher, jobs, mail)
and the blueprints. No import-time side effects: every app is independent, so tests can build
several apps with different snap-ins side by side.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask

import core.models  # noqa: F401 - registers every table
from core.db import db, migrate
from core.jobs import JobQueue, queue_from_url
from core.live import Broker, broker_from_url
from core.mail import Mailer, mailer_from_url
from core.runtime import Runtime
from core.snapins.dispatcher import Dispatcher
from core.snapins.registry import SnapinRegistry
from webapp.config import from_environment

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "core" / "migrations")

log = logging.getLogger("snapdesk")


def create_app(
    config: Mapping[str, Any] | None = None,
    *,
    snapin_classes: Mapping[str, type] | None = None,
    jobs: JobQueue | None = None,
    mailer: Mailer | None = None,
    live: Broker | None = None,
) -> Flask:
    """Build an app.

    ``config`` overrides the environment's settings. ``snapin_classes`` registers snap-in classes
    directly (test kit); with ``SNAPDESK_AUTOLOAD`` False no entry points are loaded. ``jobs`` and
    ``mailer`` replace the queue and mailer chosen from ``REDIS_URL`` and ``MAIL_URL``.
    """
    app = Flask(__name__)
    app.config.update(from_environment())
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        from webapp.config import local_secret_key

        app.config["SECRET_KEY"] = local_secret_key()
    if "DATABASE_URL" in (config or {}):
        from webapp.config import _postgres_driver

        app.config["SQLALCHEMY_DATABASE_URI"] = _postgres_driver(app.config["DATABASE_URL"])

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    from core import migrations

    migrations.register(migrate)  # snap-ins' migration directories, for `snapdesk db` and `flask db`

    registry = SnapinRegistry()
    if app.config["SNAPDESK_AUTOLOAD"]:
        registry.load_entry_points(only=app.config.get("SNAPDESK_SNAPINS"))
    for snapin_id, cls in (snapin_classes or {}).items():
        registry.add(snapin_id, cls, version=getattr(cls, "version", None) or "0")

    from core.snapins.context import make_context
    from webapp.urls import FlaskUrlBuilder

    queue = jobs if jobs is not None else queue_from_url(app.config["REDIS_URL"])
    runtime = Runtime(
        registry=registry,
        dispatcher=Dispatcher(registry, queue, make_context),
        jobs=queue,
        mailer=mailer if mailer is not None else mailer_from_url(app.config["MAIL_URL"], default_sender=app.config["MAIL_FROM"]),
        urls=FlaskUrlBuilder(app),
        secret_key=app.config["SECRET_KEY"],
        live=broker_from_url(app.config["REDIS_URL"]) if live is None else live,
        options={k: app.config[k] for k in app.config if k.startswith("OTP_") or k == "INBOUND_DOMAIN"},
    )
    app.extensions["snapdesk"] = runtime
    _connect_event_subscribers()

    from webapp import blueprints

    blueprints.register(app)
    return app


def _connect_event_subscribers() -> None:
    """Connect the first-party subscribers of the core's event bus (idempotent)."""
    from core.events import domain_event
    from core.snapins.dispatch_events import forward_to_dispatcher

    from core.live import publish_event
    from core.email_channel import send_agent_reply

    domain_event.connect(forward_to_dispatcher)
    domain_event.connect(publish_event)
    domain_event.connect(send_agent_reply)


__all__: Iterable[str] = ["create_app"]
