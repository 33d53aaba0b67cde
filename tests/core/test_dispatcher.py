"""Per-workspace dispatch: filtering, order, isolation, health, broken snap-ins, background events."""

from __future__ import annotations

import marshmallow
import pytest
from marshmallow import fields
from sqlalchemy import select

from core.db import commit, db
from core.errors import Conflict, NotFound, ValidationError
from core.models import SnapinRecord, SnapinSetting
from core.people import create_contact
from core.snapins import admin
from core.snapins.dispatcher import ATTENTION_AFTER
from core.workspaces import create_workspace
from hooks import ConfigError, MenuItem, Snapin, hookimpl
from hooks.types import Viewer


class Alpha(Snapin):
    title = "Alpha"
    description = "Adds an Alpha menu item."

    @hookimpl
    def snapdesk_menu_items(self, context, area):
        return [MenuItem(label=f"alpha:{context.workspace.slug}:{area}", url="/alpha")]


class Beta(Snapin):
    title = "Beta"

    @hookimpl
    def snapdesk_menu_items(self, context):
        return [MenuItem(label="beta", url="/beta")]


class Crashing(Snapin):
    title = "Crashing"

    @hookimpl
    def snapdesk_menu_items(self, context):
        context.store.put("notes", "half-done", {"written": True})
        raise RuntimeError("boom")


class WithConfig(Snapin):
    title = "With config"

    class config_schema(marshmallow.Schema):
        greeting = fields.String(load_default="hello", metadata={"label": "Greeting"})
        api_key = fields.String(load_default="", metadata={"secret": True})
        limit = fields.Integer(load_default=3)

    def validate_config(self, config):
        if config["limit"] > 10:
            raise ConfigError({"limit": "Use at most 10."})


class Watcher(Snapin):
    """Records contact_created events in its store (a background hook)."""

    title = "Watcher"

    @hookimpl
    def snapdesk_contact_created(self, context, contact):
        seen = context.store.incr("seen", contact.email)
        context.store.put("last", "email", contact.email)
        if context.config.get("fail"):
            raise RuntimeError(f"failing on purpose ({seen})")

    class config_schema(marshmallow.Schema):
        fail = fields.Boolean(load_default=False)


@pytest.fixture
def setup(make_app):
    app = make_app(snapins={"alpha": Alpha, "beta": Beta, "crashing": Crashing, "with-config": WithConfig, "watcher": Watcher})
    one = create_workspace(slug="one", name="One")
    two = create_workspace(slug="two", name="Two")
    commit()
    return app.extensions["snapdesk"], one, two


def labels(runtime, workspace):
    return [a.value[0].label for a in runtime.dispatcher.collect("snapdesk_menu_items", workspace, area="portal_header", viewer=Viewer(kind="anonymous"))]


def test_calls_reach_only_snapins_enabled_in_that_workspace(setup, enable_snapin):
    runtime, one, two = setup
    assert labels(runtime, one) == []
    enable_snapin(one, "alpha")
    enable_snapin(two, "beta")
    assert labels(runtime, one) == ["alpha:one:portal_header"]
    assert labels(runtime, two) == ["beta"]


def test_enabling_and_disabling_take_effect_without_restart(setup, enable_snapin):
    runtime, one, _ = setup
    enable_snapin(one, "alpha")
    assert labels(runtime, one) == ["alpha:one:portal_header"]
    admin.disable(one, "alpha")
    commit()
    assert labels(runtime, one) == []


def test_order_is_priority_then_id(setup, enable_snapin):
    runtime, one, _ = setup
    enable_snapin(one, "beta")
    enable_snapin(one, "alpha")
    assert labels(runtime, one) == ["alpha:one:portal_header", "beta"]
    enable_snapin(one, "beta", priority=10)
    assert labels(runtime, one) == ["beta", "alpha:one:portal_header"]


def test_a_crashing_snapin_is_isolated_counted_and_flagged(setup, enable_snapin, hook_calls):
    runtime, one, _ = setup
    enable_snapin(one, "alpha")
    enable_snapin(one, "crashing")
    for attempt in range(ATTENTION_AFTER):
        assert labels(runtime, one) == ["alpha:one:portal_header"]
        commit()
        setting = admin.get_setting(one, "crashing")
        assert setting.failure_count == attempt + 1
        assert setting.needs_attention is (attempt + 1 >= ATTENTION_AFTER)
    assert "boom" in setting.last_error
    # Its partial write was undone with its savepoint.
    assert db.session.scalar(select(SnapinRecord).where(SnapinRecord.snapin_id == "crashing")) is None
    assert any(c.failed and c.snapin_id == "crashing" for c in hook_calls)
    statuses = {row["id"]: row["status"] for row in admin.overview(one)}
    assert statuses["crashing"] == "needs_attention"
    # Re-enabling clears the flag.
    enable_snapin(one, "crashing")
    assert admin.get_setting(one, "crashing").needs_attention is False


def test_config_is_validated_with_field_errors_and_secrets_are_not_echoed(setup, enable_snapin):
    _, one, _ = setup
    with pytest.raises(ValidationError) as error:
        enable_snapin(one, "with-config", {"greting": "typo"})
    assert "greting" in error.value.fields
    with pytest.raises(ValidationError) as error:
        enable_snapin(one, "with-config", {"limit": "many"})
    assert "limit" in error.value.fields
    with pytest.raises(ValidationError) as error:
        enable_snapin(one, "with-config", {"limit": 11})
    assert error.value.fields == {"limit": ["Use at most 10."]}
    enable_snapin(one, "with-config", {"api_key": "s3cret", "limit": 5})
    row = next(r for r in admin.overview(one) if r["id"] == "with-config")
    assert row["config"]["api_key"] == admin.SECRET_PLACEHOLDER
    assert "s3cret" not in repr(row)
    # Saving the form with the secret left empty keeps it.
    admin.configure(one, "with-config", {"api_key": "", "greeting": "hi"})
    commit()
    assert admin.get_setting(one, "with-config").config["api_key"] == "s3cret"
    assert admin.get_setting(one, "with-config").config["greeting"] == "hi"


def test_unknown_snapin_is_not_found(setup):
    _, one, _ = setup
    with pytest.raises(NotFound):
        admin.enable(one, "nope")


class NotASnapin:
    title = "x"


class Incompatible(Snapin):
    title = "Too new"
    compatibility = "snapdesk>=99"


class Misspelled(Snapin):
    title = "Misspelled"

    @hookimpl
    def snapdesk_conversation_creatd(self, context):
        pass


class WrongArgument(Snapin):
    title = "Wrong argument"

    @hookimpl
    def snapdesk_menu_items(self, context, not_an_argument):
        return []


def test_broken_snapins_are_recorded_and_skipped_and_the_app_starts(make_app, client_factory=None):
    app = make_app(snapins={"plain": NotASnapin, "too-new": Incompatible, "typo": Misspelled, "wrong-arg": WrongArgument, "alpha": Alpha})
    registry = app.extensions["snapdesk"].registry
    reasons = {s.id: s.broken_reason for s in registry.installed.values()}
    assert "subclass of hooks.Snapin" in reasons["plain"]
    assert "needs snapdesk>=99" in reasons["too-new"]
    assert "snapdesk_conversation_creatd" in reasons["typo"]
    assert "not_an_argument" in reasons["wrong-arg"]
    assert reasons["alpha"] is None
    assert [s.id for s in registry.loaded()] == ["alpha"]
    workspace = create_workspace(slug="one", name="One")
    commit()
    with pytest.raises(Conflict):
        admin.enable(workspace, "typo")
    assert {r["id"]: r["status"] for r in admin.overview(workspace)}["too-new"] == "broken"


def test_a_snapin_that_fails_to_import_is_recorded(make_app, monkeypatch):
    from importlib import metadata

    class FakeEntryPoint:
        name = "ghost"
        dist = None

        def load(self):
            raise ImportError("No module named 'snapdesk_ghost'")

    real = metadata.entry_points
    monkeypatch.setattr(
        metadata, "entry_points", lambda group=None: [FakeEntryPoint()] if group == "snapdesk.snapins" else real(group=group)
    )
    app = make_app(autoload=True, SNAPDESK_SNAPINS=["ghost"])
    ghost = app.extensions["snapdesk"].registry.get("ghost")
    assert ghost.broken and "snapdesk_ghost" in ghost.broken_reason


def test_background_hooks_run_after_commit_once_per_enabled_snapin(setup, enable_snapin, run_jobs, hook_calls):
    runtime, one, two = setup
    enable_snapin(one, "watcher")
    create_contact(one, email="a@x.test")
    create_contact(two, email="b@x.test")  # watcher is not enabled in two
    assert runtime.jobs.pending == []  # nothing before commit
    commit()
    assert len(runtime.jobs.pending) == 1
    run_jobs()
    from core.snapins.store import SnapinStore

    assert SnapinStore(one.id, "watcher").get("last", "email") == "a@x.test"
    assert SnapinStore(two.id, "watcher").items("last") == []
    assert [(c.hook, c.snapin_id) for c in hook_calls] == [("snapdesk_contact_created", "watcher")]


def test_event_jobs_are_idempotent_and_recheck_enablement(setup, enable_snapin, run_jobs):
    runtime, one, _ = setup
    enable_snapin(one, "watcher")
    create_contact(one, email="a@x.test")
    commit()
    job = runtime.jobs.pending[0]
    runtime.jobs.pending.append(job)  # the same job delivered twice (e.g. a retry after a lost ack)
    run_jobs()
    from core.snapins.store import SnapinStore

    assert SnapinStore(one.id, "watcher").get("seen", "a@x.test") == 1
    # Disabled between the event and the job: the job does nothing.
    create_contact(one, email="b@x.test")
    commit()
    admin.disable(one, "watcher")
    commit()
    run_jobs()
    assert SnapinStore(one.id, "watcher").get("seen", "b@x.test") is None


def test_failing_background_hook_is_retried_then_counted_without_losing_data(setup, enable_snapin, run_jobs):
    runtime, one, _ = setup
    enable_snapin(one, "watcher", {"fail": True})
    contact = create_contact(one, email="a@x.test")
    commit()
    run_jobs()
    assert len(runtime.jobs.failed) == 1
    setting = admin.get_setting(one, "watcher")
    assert setting.failure_count == 4  # first try + 3 retries
    assert setting.needs_attention
    # The customer's data is intact; the snap-in's partial writes of each try were rolled back.
    assert db.session.get(type(contact), contact.id).email == "a@x.test"
    from core.snapins.store import SnapinStore

    assert SnapinStore(one.id, "watcher").get("seen", "a@x.test") is None


def test_in_process_jobs_run_right_after_commit(make_app):
    app = make_app(snapins={"watcher": Watcher}, jobs="inprocess")
    workspace = create_workspace(slug="one", name="One")
    commit()
    admin.enable(workspace, "watcher")
    commit()
    create_contact(workspace, email="a@x.test")
    from core.snapins.store import SnapinStore

    assert SnapinStore(workspace.id, "watcher").get("seen", "a@x.test") is None
    commit()
    assert SnapinStore(workspace.id, "watcher").get("seen", "a@x.test") == 1


def test_settings_rows_are_per_workspace(setup, enable_snapin):
    _, one, two = setup
    enable_snapin(one, "alpha")
    rows = db.session.scalars(select(SnapinSetting.workspace_id).where(SnapinSetting.snapin_id == "alpha")).all()
    assert rows == [one.id]
    assert {r["id"]: r["enabled"] for r in admin.overview(two)}["alpha"] is False
