"""Per-workspace dispatch of hook calls to enabled snap-ins, each call isolated.

Order: admin-set priority (lower first), then snap-in id. A call reaches only snap-ins enabled in
the workspace *now* (read from the database on each dispatch, so enabling needs no restart and
is shared by every process). Each call runs inside a SAVEPOINT: a snap-in that raises has its
partial writes undone, is logged with its id, and is counted; after
:data:`ATTENTION_AFTER` consecutive failures it is flagged "needs attention" for that workspace.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pluggy
from sqlalchemy import select

from core.db import db, utcnow
from core.events import DomainEvent
from core.jobs import JobQueue, claim_key, is_done
from core.models import SnapinSetting, Workspace
from core.snapins.registry import SnapinRegistry
from hooks import EVENT_HOOKS, Context

log = logging.getLogger("snapdesk.dispatch")

#: Consecutive failures after which an admin sees "needs attention".
ATTENTION_AFTER = 3

ContextFactory = Callable[[Workspace, SnapinSetting], Context]


@dataclass(frozen=True)
class Answer:
    """One snap-in's answer to a decision hook."""

    snapin_id: str
    value: Any


class Dispatcher:
    def __init__(self, registry: SnapinRegistry, jobs: JobQueue, make_context: ContextFactory) -> None:
        self.registry = registry
        self.jobs = jobs
        self.make_context = make_context
        #: Called after every snap-in call as ``observer(hook_name, snapin_id, kwargs, outcome)``
        #: where outcome is the return value or the exception (the test kit's hook recorder).
        self.observers: list[Callable[[str, str, dict[str, Any], Any], None]] = []

    # -- which snap-ins --------------------------------------------------------------------------

    def enabled_settings(self, workspace_id: int) -> list[SnapinSetting]:
        """Enabled, loaded snap-ins of a workspace, in dispatch order."""
        rows = db.session.scalars(
            select(SnapinSetting)
            .where(SnapinSetting.workspace_id == workspace_id, SnapinSetting.enabled.is_(True))
            .order_by(SnapinSetting.priority, SnapinSetting.snapin_id)
        ).all()
        return [row for row in rows if (s := self.registry.get(row.snapin_id)) is not None and not s.broken]

    def _targets(self, hook_name: str, workspace_id: int) -> list[tuple[SnapinSetting, pluggy.HookImpl]]:
        impls = self.registry.implementations(hook_name)
        return [(row, impls[row.snapin_id]) for row in self.enabled_settings(workspace_id) if row.snapin_id in impls]

    # -- decisions (synchronous) -----------------------------------------------------------------

    def first(self, hook_name: str, workspace: Workspace, **kwargs: Any) -> Answer | None:
        """First non-None answer in dispatch order (first-result hooks)."""
        for setting, impl in self._targets(hook_name, workspace.id):
            ok, value = self._call(workspace, setting, impl, hook_name, kwargs)
            if ok and value is not None:
                return Answer(setting.snapin_id, value)
        return None

    def collect(self, hook_name: str, workspace: Workspace, **kwargs: Any) -> list[Answer]:
        """Every non-None answer, in dispatch order (collecting hooks)."""
        answers = []
        for setting, impl in self._targets(hook_name, workspace.id):
            ok, value = self._call(workspace, setting, impl, hook_name, kwargs)
            if ok and value is not None:
                answers.append(Answer(setting.snapin_id, value))
        return answers

    def _call(
        self, workspace: Workspace, setting: SnapinSetting, impl: pluggy.HookImpl, hook_name: str, kwargs: dict[str, Any]
    ) -> tuple[bool, Any]:
        from core import events

        pending = db.session.info.get(events._PENDING, [])
        pending_before = len(pending)
        context = self.make_context(workspace, setting)
        call_kwargs = {**kwargs, "context": context}
        savepoint = db.session.begin_nested()
        try:
            value = impl.function(**{name: call_kwargs[name] for name in impl.argnames})
            savepoint.commit()
        except Exception as exc:  # noqa: BLE001 - one snap-in must never fail the request
            savepoint.rollback()
            # Events the failed call emitted belong to undone writes.
            del db.session.info.get(events._PENDING, [])[pending_before:]
            self.record_failure(setting, hook_name, exc)
            self._observe(hook_name, setting.snapin_id, kwargs, exc)
            return False, None
        self._record_success(setting)
        self._observe(hook_name, setting.snapin_id, kwargs, value)
        return True, value

    def _observe(self, hook_name: str, snapin_id: str, kwargs: dict[str, Any], outcome: Any) -> None:
        for observer in self.observers:
            observer(hook_name, snapin_id, kwargs, outcome)

    # -- health ----------------------------------------------------------------------------------

    def record_failure(self, setting: SnapinSetting, hook_name: str, exc: BaseException) -> None:
        log.error(
            "snap-in %s failed in %s (workspace %s): %s",
            setting.snapin_id, hook_name, setting.workspace_id, exc,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        setting.failure_count = (setting.failure_count or 0) + 1
        setting.consecutive_failures = (setting.consecutive_failures or 0) + 1
        setting.last_error = f"{hook_name}: {type(exc).__name__}: {exc}\n" + "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:]
        )
        setting.last_error_at = utcnow()
        if setting.consecutive_failures >= ATTENTION_AFTER:
            setting.needs_attention = True

    def _record_success(self, setting: SnapinSetting) -> None:
        if setting.consecutive_failures:
            setting.consecutive_failures = 0

    # -- events (background) ---------------------------------------------------------------------

    def on_domain_event(self, sender: str, *, event: DomainEvent) -> None:
        """blinker receiver: one job per enabled snap-in that implements the event's hook."""
        hook_name = EVENT_HOOKS.get(event.name)
        if hook_name is None:
            return
        for setting, _impl in self._targets(hook_name, event.workspace_id):
            self.jobs.enqueue(
                "core.snapins.dispatcher:run_event_hook",
                {
                    "event_id": event.id,
                    "event_name": event.name,
                    "workspace_id": event.workspace_id,
                    "snapin_id": setting.snapin_id,
                    "payload": event.payload,
                },
                job_id=f"hook-{event.id}-{setting.snapin_id}",
            )

    def run_event(self, *, event_id: str, event_name: str, workspace_id: int, snapin_id: str, payload: dict[str, Any]) -> str:
        """Body of an event job. Returns what happened: "done", "skipped: ..." (raises on failure, so RQ retries)."""
        from core.snapins.payloads import hook_arguments

        key = f"hook:{event_id}:{snapin_id}"
        if is_done(key):
            return "skipped: already delivered"
        hook_name = EVENT_HOOKS[event_name]
        # Re-check: the admin may have disabled it between the event and this job.
        setting = db.session.scalar(
            select(SnapinSetting).where(
                SnapinSetting.workspace_id == workspace_id,
                SnapinSetting.snapin_id == snapin_id,
                SnapinSetting.enabled.is_(True),
            )
        )
        impl = self.registry.implementations(hook_name).get(snapin_id)
        if setting is None or impl is None:
            return "skipped: not enabled"
        workspace = db.session.get(Workspace, workspace_id)
        if workspace is None:
            return "skipped: workspace gone"
        kwargs = hook_arguments(event_name, payload)
        kwargs["event_id"] = event_id
        kwargs["context"] = self.make_context(workspace, setting)
        try:
            impl.function(**{name: kwargs[name] for name in impl.argnames})
            self._observe(hook_name, snapin_id, kwargs, None)
            self._record_success(setting)
            from core.db import commit

            commit()
        except Exception as exc:
            db.session.rollback()
            self._observe(hook_name, snapin_id, kwargs, exc)
            setting = db.session.get(SnapinSetting, setting.id)
            if setting is not None:
                self.record_failure(setting, hook_name, exc)
                db.session.commit()
            raise
        claim_key(key, workspace_id)
        return "done"


def run_event_hook(**kwargs: Any) -> str:
    """Job entry point (see :meth:`Dispatcher.run_event`)."""
    from core.runtime import get_runtime

    return get_runtime().dispatcher.run_event(**kwargs)
