"""The ``snapdesk`` command line: serve, work, migrate, demo data, snap-ins, workspaces, tokens.

Every command builds the app from the environment (:func:`webapp.create_app`, see
:mod:`webapp.config`) and works inside its app context. Errors the core raises on purpose
(:class:`core.errors.SnapdeskError`) are turned, in one place (``webapp.cli_common.SnapdeskGroup``), into
``Error: <sentence>`` plus one line per field on stderr and exit code 2 - the same code click uses
for wrong arguments.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import click
from flask import Flask

from webapp.cli_common import NO_REDIS, CliError, SnapdeskGroup, app_context, build_app, upgrade_database
from webapp.cli_admin import register_admin_commands

# -- the group ------------------------------------------------------------------------------------


@click.group(cls=SnapdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="snapdesk", prog_name="snapdesk")
def main() -> None:
    """snapdesk: a self-hosted customer-support platform.

    Configuration comes from environment variables (DATABASE_URL, REDIS_URL, MAIL_URL, MAIL_FROM,
    SECRET_KEY, BASE_URL, SNAPDESK_SNAPINS); the defaults are a SQLite file in the current
    directory, in-process jobs and mail printed to the console.
    """


# -- run ------------------------------------------------------------------------------------------


def print_banner(
    base_url: str, *, demo: bool, serving: bool = True, echo: Callable[[str], None] = click.echo
) -> None:
    """The URLs to open and, for the demo workspace, the logins."""
    from core.demo import DEMO

    slug = DEMO.workspace_slug if demo else "<workspace>"
    line = "=" * 72
    echo(line)
    echo("snapdesk is running. Open:" if serving else "Start the server with `snapdesk run`, then open:")
    echo(f"  Customer portal   {base_url}/{slug}/")
    echo(f"  Agent inbox       {base_url}/inbox/{slug}/")
    echo(f"  REST API          {base_url}/api/v1/openapi.json")
    echo(f"  Chat widget demo  {base_url}/widget/demo/{slug}")
    if demo:
        echo("")
        echo(f"Demo workspace '{DEMO.workspace_name}' - logins:")
        echo(f"  Admin             {DEMO.admin_email} / {DEMO.admin_password}")
        for agent in DEMO.agent_emails:
            echo(f"  Agent             {agent} / {DEMO.agent_password}")
        echo(f"  Customer          {DEMO.customer_email} (sign in by email code)")
        echo(f"  Customer admin    {DEMO.customer_admin_email} (sign in by email code)")
        echo("  Mail goes to this console (MAIL_URL=console://): the sign-in code is printed below.")
    echo(line)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--demo/--no-demo", default=True, show_default=True, help="Create the demo workspace if there is no workspace yet.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="More than 1: serve with gunicorn (pip install 'snapdesk[serve]').")
def run(host: str, port: int, demo: bool, workers: int) -> None:
    """Apply migrations, create the demo workspace when the database is empty, and serve."""
    from sqlalchemy import func, select

    from core.db import db
    from core.models import Workspace

    base_url = f"http://{_display_host(host)}:{port}"
    config = {} if os.environ.get("BASE_URL") else {"BASE_URL": base_url}
    app = build_app(config)
    with app.app_context():
        click.echo("Applying database migrations...")
        upgrade_database()
        if demo and not db.session.scalar(select(func.count(Workspace.id))):
            from core.demo import build_demo

            click.echo("Creating the demo workspace...")
            build_demo(progress=lambda step: click.echo(f"  - {step}"))
        from core.demo import demo_exists

        show_demo = demo_exists()
        db.session.remove()
        # Worker processes must not inherit the master's pooled connections.
        db.engine.dispose()
    if not app.config.get("SECRET_KEY_FROM_ENV"):
        click.echo("Note: SECRET_KEY is not set; using the key kept in ./snapdesk-secret.key.", err=True)
    print_banner(base_url, demo=show_demo)
    if workers > 1:
        _serve_gunicorn(app, host, port, workers)
    else:
        # The threaded dev server: the embedded default for one machine and the demo.
        app.run(host=host, port=port, threaded=True, use_reloader=False, debug=False)


def _serve_gunicorn(app: Flask, host: str, port: int, workers: int) -> None:
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise CliError("--workers needs gunicorn: pip install 'snapdesk[serve]'.") from None

    class SnapdeskServer(BaseApplication):  # type: ignore[misc]
        # The app is built once, here, and forked into the workers: they share SECRET_KEY and config.
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")  # threads keep live-update streams from blocking
            self.cfg.set("threads", 8)
            self.cfg.set("accesslog", "-")

        def load(self) -> Flask:
            return app

    SnapdeskServer().run()


# -- worker ---------------------------------------------------------------------------------------


@main.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
def worker(burst: bool) -> None:
    """Run background jobs from Redis (an RQ worker for the snapdesk queue)."""
    app = build_app()
    redis_url = app.config.get("REDIS_URL")
    if not redis_url:
        raise CliError(NO_REDIS)
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import Queue, SimpleWorker

    from core.db import db
    from core.jobs import QUEUE_NAME

    class AppWorker(SimpleWorker):
        """Runs each job in this process (no fork: the app context and DB engine stay valid)."""

        def perform_job(self, job: Any, queue: Any) -> bool:
            try:
                return super().perform_job(job, queue)
            finally:
                # Each job starts with a fresh session; nothing leaks from one job into the next.
                db.session.remove()

    connection = Redis.from_url(redis_url)
    try:
        connection.ping()
    except RedisConnectionError as exc:
        raise CliError(f"Cannot reach Redis at REDIS_URL: {exc}") from None
    with app.app_context():
        rq_worker = AppWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
        # The scheduler moves retries with an interval (core.jobs.RETRY_INTERVALS) back onto the queue.
        rq_worker.work(burst=burst, with_scheduler=True)


# -- db -------------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True, help="Target revision ('heads': the core and every snap-in branch).")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    with app_context():
        upgrade_database(revision)
        click.echo("The database is up to date.")


@db.command("downgrade")
@click.option("--revision", default="-1", show_default=True, help="Target revision ('base' removes every table).")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    from alembic import command
    from alembic.util import CommandError
    from flask import current_app

    with app_context():
        try:
            command.downgrade(current_app.extensions["migrate"].migrate.get_config(), revision)
        except CommandError as exc:
            raise CliError(f"Could not downgrade the database: {exc}") from None


@db.command("current")
def db_current() -> None:
    """Show the database's current revision(s), marking those that are heads."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask import current_app

    from core.db import db as database

    with app_context():
        script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        heads = set(script.get_heads())
        with database.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
        if not current:
            click.echo("The database has no schema revision yet; run: snapdesk db upgrade")
        for revision in current:
            click.echo(f"{revision}{' (head)' if revision in heads else ' (not the newest: run snapdesk db upgrade)'}")


@db.command("stamp")
@click.argument("revision", default="heads")
def db_stamp(revision: str) -> None:
    """Record REVISION as applied without running migrations (for a schema made another way)."""
    from alembic import command
    from alembic.util import CommandError
    from flask import current_app

    with app_context():
        try:
            command.stamp(current_app.extensions["migrate"].migrate.get_config(), revision)
        except CommandError as exc:
            raise CliError(f"Could not stamp the database: {exc}") from None
        click.echo(f"Recorded the database as at revision {revision}.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.option("--autogenerate", is_flag=True, help="Compare the models with the database and write the difference.")
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration (developers; run against an up-to-date database)."""
    from alembic import command
    from alembic.util import CommandError
    from flask import current_app

    with app_context():
        config = current_app.extensions["migrate"].migrate.get_config(opts=["autogenerate"] if autogenerate else None)
        try:
            command.revision(config, message=message, autogenerate=autogenerate)
        except CommandError as exc:
            raise CliError(f"Could not write the revision: {exc}") from None


# -- demo -----------------------------------------------------------------------------------------


@main.command()
@click.option("--reset", is_flag=True, help="Delete the demo workspace first and build it again.")
def demo(reset: bool) -> None:
    """Create the demo workspace (accounts, contacts, agents, conversations, tickets, articles)."""
    from core.demo import build_demo, delete_demo

    with app_context() as app:
        upgrade_database()
        if reset:
            click.echo("Deleting the demo workspace...")
            delete_demo()
        build_demo(progress=lambda step: click.echo(f"  - {step}"))
        print_banner(app.config["BASE_URL"], demo=True, serving=False)


# -- new-snapin -----------------------------------------------------------------------------------


@main.command("new-snapin")
@click.argument("snapin_id")
@click.option("--directory", default=".", show_default=True, type=click.Path(file_okay=False), help="Where to create it.")
def new_snapin(snapin_id: str, directory: str) -> None:
    """Scaffold a snap-in SNAPIN_ID (e.g. auto-tagger) whose own tests pass out of the box."""
    from pathlib import Path

    from webapp.scaffold import ScaffoldError, scaffold

    try:
        target = scaffold(snapin_id, Path(directory))
    except ScaffoldError as exc:
        raise CliError(str(exc)) from None
    click.echo(f"Created {target}. Next: pip install -e {target} && cd {target} && python -m pytest")


register_admin_commands(main)
from webapp.cli_mail import mail_listener  # noqa: E402

main.add_command(mail_listener)


if __name__ == "__main__":  # `python -m webapp.cli`
    main()


__all__: Sequence[str] = ["main", "print_banner"]
