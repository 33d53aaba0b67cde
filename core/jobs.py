"""Background jobs: RQ on Redis when ``REDIS_URL`` is set, otherwise run in-process after commit.

A job is a dotted path ``"package.module:function"`` plus JSON-safe keyword arguments, so the same
job runs in an RQ worker process or right here. Jobs must be idempotent: RQ retries them with
backoff; :func:`claim_key` / :func:`once` record work already done.
"""

from __future__ import annotations

import importlib
import os
import logging
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.db import db
from core.models import JobKey

log = logging.getLogger("snapdesk.jobs")

QUEUE_NAME = "snapdesk"
#: Seconds between RQ retries of a failing job (its length is the number of retries);
#: ``SNAPDESK_JOB_RETRY_INTERVALS="5,30,120"`` overrides it.
RETRY_INTERVALS = [int(s) for s in os.environ.get("SNAPDESK_JOB_RETRY_INTERVALS", "5,30,120").split(",")]


class JobQueue(Protocol):
    def enqueue(self, func_path: str, kwargs: dict[str, Any], *, job_id: str | None = None) -> None: ...


def resolve(func_path: str) -> Callable[..., Any]:
    module_name, _, attr = func_path.partition(":")
    if not attr:
        raise ValueError(f"job path {func_path!r} must look like 'package.module:function'")
    return getattr(importlib.import_module(module_name), attr)


def run_job(func_path: str, kwargs: dict[str, Any]) -> None:
    """Entry point of every job (the function RQ imports): run, commit on success, roll back on error."""
    func = resolve(func_path)
    try:
        func(**kwargs)
    except Exception:
        db.session.rollback()
        raise


class InProcessQueue:
    """The embedded default: run each job at once, in this process (callers enqueue after commit)."""

    def enqueue(self, func_path: str, kwargs: dict[str, Any], *, job_id: str | None = None) -> None:
        try:
            run_job(func_path, kwargs)
        except Exception:  # noqa: BLE001 - a failed job must not fail the request that caused it
            log.exception("in-process job %s (%s) failed", func_path, job_id)


class MemoryQueue:
    """Keeps jobs until :meth:`run_all` (the test kit's queue: tests decide when jobs run)."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, dict[str, Any], str | None]] = []
        self.failed: list[tuple[str, dict[str, Any], str | None, Exception]] = []

    def enqueue(self, func_path: str, kwargs: dict[str, Any], *, job_id: str | None = None) -> None:
        self.pending.append((func_path, kwargs, job_id))

    def run_all(self, *, attempts: int = 1 + len(RETRY_INTERVALS)) -> int:
        """Run pending jobs (and jobs they enqueue), each up to ``attempts`` times; return how many ran."""
        ran = 0
        while self.pending:
            func_path, kwargs, job_id = self.pending.pop(0)
            for attempt in range(attempts):
                try:
                    run_job(func_path, kwargs)
                    break
                except Exception as exc:  # noqa: BLE001
                    if attempt == attempts - 1:
                        self.failed.append((func_path, kwargs, job_id, exc))
            ran += 1
        return ran


class RQQueue:
    """Jobs go to Redis; ``snapdesk worker`` runs them."""

    def __init__(self, redis_url: str, name: str = QUEUE_NAME) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(name, connection=self.connection)

    def enqueue(self, func_path: str, kwargs: dict[str, Any], *, job_id: str | None = None) -> None:
        from rq import Retry

        self.queue.enqueue(
            run_job,
            func_path,
            kwargs,
            job_id=job_id,
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            failure_ttl=7 * 24 * 3600,
            description=f"{func_path} {job_id or ''}".strip(),
        )


def queue_from_url(redis_url: str | None) -> JobQueue:
    return RQQueue(redis_url) if redis_url else InProcessQueue()


# -- Idempotency --------------------------------------------------------------------------------


def is_done(key: str) -> bool:
    return db.session.scalar(select(JobKey.id).where(JobKey.key == key)) is not None


def claim_key(key: str, workspace_id: int | None = None) -> bool:
    """Record ``key`` as done, committed on its own; False when another run already recorded it."""
    try:
        with db.session.begin_nested():
            db.session.add(JobKey(key=key, workspace_id=workspace_id))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def release_key(key: str) -> None:
    """Forget ``key`` (the work it stood for failed after being claimed, so a retry may do it)."""
    db.session.execute(delete(JobKey).where(JobKey.key == key))
    db.session.commit()
