"""The ``snapdesk`` CLI, driven through click's runner against a SQLite file named by DATABASE_URL."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

import marshmallow
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

import webapp
from hooks import Snapin, hookimpl
from webapp.cli import main


class GreeterConfig(marshmallow.Schema):
    greeting = marshmallow.fields.String(required=True, validate=marshmallow.validate.Length(min=1))
    limit = marshmallow.fields.Integer(load_default=3, validate=marshmallow.validate.Range(min=1, max=10))
    api_key = marshmallow.fields.String(load_default="", metadata={"secret": True})


class Greeter(Snapin):
    title = "Greeter"
    description = "A test snap-in with a configuration."
    config_schema = GreeterConfig

    @hookimpl
    def snapdesk_contact_created(self, context, contact, event_id):  # pragma: no cover - not fired here
        return None


@pytest.fixture
def database_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("MAIL_URL", "console://")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("BASE_URL", "http://snapdesk.test")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("SNAPDESK_SNAPINS", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


@pytest.fixture
def with_greeter(monkeypatch) -> None:
    """Every app the CLI builds has exactly the Greeter test snap-in (no entry points)."""
    real_create_app = webapp.create_app

    def create_app(config: dict[str, Any] | None = None, **kwargs: Any):
        return real_create_app({**(config or {}), "SNAPDESK_AUTOLOAD": False}, snapin_classes={"greeter": Greeter})

    monkeypatch.setattr(webapp, "create_app", create_app)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def query(path: Path, statement):
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            return session.execute(statement).all()
    finally:
        engine.dispose()


@pytest.fixture
def acme(database_path, with_greeter) -> Path:
    assert invoke("db", "upgrade").exit_code == 0
    result = invoke(
        "workspace", "create", "acme", "--name", "Acme", "--admin-email", "admin@acme.test", "--admin-password", "admin-pass-1"
    )
    assert result.exit_code == 0, result.output
    return database_path


# -- db ---------------------------------------------------------------------------------------------


def test_db_upgrade_on_an_empty_sqlite_file_creates_every_table(database_path) -> None:
    from core.db import db

    result = invoke("db", "upgrade")
    assert result.exit_code == 0, result.output
    engine = create_engine(f"sqlite:///{database_path}")
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables
    current = invoke("db", "current")
    assert current.exit_code == 0
    assert "(head)" in current.output


def test_db_downgrade_to_base_drops_the_tables(database_path) -> None:
    invoke("db", "upgrade")
    assert invoke("db", "downgrade", "--revision", "base").exit_code == 0
    engine = create_engine(f"sqlite:///{database_path}")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


# -- wrong arguments --------------------------------------------------------------------------------


def test_an_unknown_option_exits_2_with_a_sentence(database_path) -> None:
    result = CliRunner().invoke(main, ["run", "--colour", "blue"])
    assert result.exit_code == 2
    assert "Error: No such option '--colour'." in result.output


def test_a_bad_port_exits_2(database_path) -> None:
    result = CliRunner().invoke(main, ["run", "--port", "99999"])
    assert result.exit_code == 2
    assert "--port" in result.output


def test_an_unknown_workspace_exits_2_and_says_how_to_create_it(acme) -> None:
    result = CliRunner().invoke(main, ["snapins", "enable", "greeter", "--workspace", "nope"])
    assert result.exit_code == 2
    assert "No workspace 'nope'. Create it with: snapdesk workspace create nope" in result.output


def test_validation_errors_exit_2_with_one_line_per_field(database_path) -> None:
    invoke("db", "upgrade")
    result = CliRunner().invoke(
        main, ["workspace", "create", "Bad Slug!", "--name", "X", "--admin-email", "a@b.test", "--admin-password", "long-enough"]
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert "  slug: Use 1-63 lowercase letters" in result.output


def test_worker_without_redis_exits_2_and_explains(database_path) -> None:
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 2
    assert "REDIS_URL is not set: without Redis, jobs run in-process and no worker is needed." in result.output


# -- snap-ins ---------------------------------------------------------------------------------------


def test_snapins_list_prints_every_installed_snapin(database_path) -> None:
    invoke("db", "upgrade")
    result = invoke("snapins", "list")
    assert result.exit_code == 0, result.output
    installed = {ep.name for ep in metadata.entry_points(group="snapdesk.snapins")}
    if installed:
        assert result.output.splitlines()[0].split() == ["ID", "VERSION", "STATUS", "HOOKS"]
        for snapin_id in installed:
            assert snapin_id in result.output
    else:
        assert "No snap-ins are installed" in result.output


def test_snapins_list_in_a_workspace_shows_status_and_hooks(acme) -> None:
    result = invoke("snapins", "list", "--workspace", "acme")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("greeter"))
    assert "disabled" in row and "snapdesk_contact_created" in row


def test_enable_validates_config_then_enables_and_disable_disables(acme) -> None:
    bad = CliRunner().invoke(main, ["snapins", "enable", "greeter", "--workspace", "acme", "--config", '{"limit": 50}'])
    assert bad.exit_code == 2
    assert "  greeting: Missing data for required field." in bad.output
    assert "  limit: " in bad.output

    good = invoke("snapins", "enable", "greeter", "--workspace", "acme", "--config", '{"greeting": "Hi", "api_key": "s3cret"}', "--priority", "5")
    assert good.exit_code == 0, good.output
    listed = invoke("snapins", "list", "--workspace", "acme").output
    assert "enabled" in next(line for line in listed.splitlines() if line.startswith("greeter"))

    from core.models import SnapinSetting

    (setting,) = query(acme, select(SnapinSetting.enabled, SnapinSetting.priority, SnapinSetting.config))
    assert setting.enabled is True and setting.priority == 5 and setting.config["greeting"] == "Hi"

    assert invoke("snapins", "disable", "greeter", "--workspace", "acme").exit_code == 0
    (setting,) = query(acme, select(SnapinSetting.enabled))
    assert setting.enabled is False


def test_enable_reads_a_config_file_and_rejects_bad_json(acme, tmp_path) -> None:
    config_file = tmp_path / "greeter.json"
    config_file.write_text(json.dumps({"greeting": "Hello"}))
    assert invoke("snapins", "enable", "greeter", "--workspace", "acme", "--config-file", str(config_file)).exit_code == 0
    broken = CliRunner().invoke(main, ["snapins", "enable", "greeter", "--workspace", "acme", "--config", "{nope"])
    assert broken.exit_code == 2
    assert "not valid JSON" in broken.output


def test_config_set_changes_fields_keeps_the_rest_and_hides_secrets(acme) -> None:
    invoke("snapins", "enable", "greeter", "--workspace", "acme", "--config", '{"greeting": "Hi", "api_key": "s3cret"}')
    result = invoke("snapins", "config", "greeter", "--workspace", "acme", "--set", "limit=7")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output[result.output.index("{"):])
    assert shown == {"greeting": "Hi", "limit": 7, "api_key": "********"}
    assert "s3cret" not in result.output

    wrong = CliRunner().invoke(main, ["snapins", "config", "greeter", "--workspace", "acme", "--set", "limit=0", "--set", "colour=red"])
    assert wrong.exit_code == 2
    assert "  limit: " in wrong.output and "  colour: Unknown field." in wrong.output
    malformed = CliRunner().invoke(main, ["snapins", "config", "greeter", "--workspace", "acme", "--set", "limit"])
    assert malformed.exit_code == 2 and "is not KEY=VALUE" in malformed.output


def test_an_unknown_snapin_exits_2(acme) -> None:
    result = CliRunner().invoke(main, ["snapins", "enable", "nothing-here", "--workspace", "acme"])
    assert result.exit_code == 2
    assert "No snap-in 'nothing-here' is installed." in result.output


# -- workspaces and tokens ---------------------------------------------------------------------------


def test_token_create_prints_a_token_that_authenticates(acme) -> None:
    result = CliRunner().invoke(main, ["token", "create", "--workspace", "acme", "--email", "admin@acme.test"])
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[0].strip()
    assert len(token) >= 20

    from core.identity import user_for_api_token
    from webapp.cli_common import app_context

    with app_context():
        user = user_for_api_token(token)
        assert user is not None and user.email == "admin@acme.test"
    unknown = CliRunner().invoke(main, ["token", "create", "--workspace", "acme", "--email", "nobody@acme.test"])
    assert unknown.exit_code == 2 and "No agent with email nobody@acme.test" in unknown.output


def test_a_taken_slug_exits_2(acme) -> None:
    result = CliRunner().invoke(
        main, ["workspace", "create", "acme", "--name", "Again", "--admin-email", "x@acme.test", "--admin-password", "admin-pass-1"]
    )
    assert result.exit_code == 2
    assert "The slug 'acme' is taken." in result.output


# -- demo -------------------------------------------------------------------------------------------


def test_demo_builds_the_workspace_prints_logins_and_is_idempotent(database_path) -> None:
    from core.models import Article, Contact, Conversation, Ticket, User, Workspace

    result = invoke("demo")
    assert result.exit_code == 0, result.output
    for text in ("admin@acme.test / demo-admin-pass", "alice@acme.test / demo-agent-pass", "carol@globex.test",
                 "http://snapdesk.test/acme/", "http://snapdesk.test/inbox/acme/", "/api/v1/openapi.json",
                 "conversations in every stage"):
        assert text in result.output

    stages = {row.stage for row in query(database_path, select(Conversation.stage))}
    assert {"new", "needs_response", "waiting_on_user", "hold", "resolved", "suspended"} <= stages
    trackers = {row.tracker for row in query(database_path, select(Ticket.tracker))}
    assert trackers == {"no_code_change", "needs_code_change"}
    published = query(database_path, select(Article.locale, Article.visible_to, Article.external_url).where(Article.status == "published"))
    assert {"fr"} <= {a.locale for a in published}
    assert any(a.external_url for a in published) and any(a.visible_to == "verified" for a in published)

    def counts() -> tuple:
        return tuple(
            query(database_path, select(func.count()).select_from(model))[0][0]
            for model in (Workspace, User, Contact, Conversation, Ticket, Article)
        )

    before = counts()
    again = invoke("demo")
    assert again.exit_code == 0 and "exists already" in again.output
    assert counts() == before

    reset = invoke("demo", "--reset")
    assert reset.exit_code == 0, reset.output
    assert counts() == before
    assert query(database_path, select(Workspace.slug)) == [("acme",)]


# -- snap-in migrations -----------------------------------------------------------------------------

SNAPIN_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "greeter_0001"
down_revision = None
branch_labels = ("greeter",)
depends_on = "0001"


def upgrade():
    op.create_table("greeter_notes", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("greeter_notes")
'''


def test_db_upgrade_applies_the_migrations_a_snapin_ships(database_path, tmp_path, monkeypatch) -> None:
    versions = tmp_path / "greeter_migrations"
    versions.mkdir()
    (versions / "greeter_0001_notes.py").write_text(SNAPIN_REVISION)

    class GreeterWithTables(Greeter):
        migrations = str(versions)

    real_create_app = webapp.create_app
    monkeypatch.setattr(
        webapp, "create_app",
        lambda config=None, **kw: real_create_app({**(config or {}), "SNAPDESK_AUTOLOAD": False}, snapin_classes={"greeter": GreeterWithTables}),
    )
    result = invoke("db", "upgrade")
    assert result.exit_code == 0, result.output
    engine = create_engine(f"sqlite:///{database_path}")
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"greeter_notes", "workspaces"} <= tables
    assert "greeter_0001 (head)" in invoke("db", "current").output


def test_new_snapin_scaffolds_a_directory_and_refuses_bad_names(tmp_path) -> None:
    result = invoke("new-snapin", "auto-tagger", "--directory", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "auto-tagger" / "pyproject.toml").is_file()
    bad = CliRunner().invoke(main, ["new-snapin", "Auto Tagger", "--directory", str(tmp_path)])
    assert bad.exit_code == 2 and bad.output.startswith("Error: ")


def test_upgrade_refuses_a_database_without_migration_history_until_stamped(database_path) -> None:
    from core.db import db

    engine = create_engine(f"sqlite:///{database_path}")
    db.metadata.create_all(engine)
    engine.dispose()
    refused = CliRunner().invoke(main, ["db", "upgrade"])
    assert refused.exit_code == 2
    assert "no migration history" in refused.output and "snapdesk db stamp heads" in refused.output
    assert invoke("db", "stamp").exit_code == 0
    assert invoke("db", "upgrade").exit_code == 0
    assert "(head)" in invoke("db", "current").output
