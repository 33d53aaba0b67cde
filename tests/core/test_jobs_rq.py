"""Jobs run by a real RQ worker process (``snapdesk worker --burst``) against Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis

from core.db import commit, db
from core.jobs import RQQueue
from core.people import find_contact_by_email
from core.workspaces import create_workspace

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_queue():
    connection = Redis.from_url(REDIS_URL)
    connection.ping()  # Redis must be running: CI starts it; a failure here is a real failure
    connection.flushdb()
    yield RQQueue(REDIS_URL)
    connection.flushdb()


def run_worker(database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PYTHONPATH": str(ROOT),
        "MAIL_URL": "console://",
    }
    return subprocess.run(
        [sys.executable, "-m", "webapp.cli", "worker", "--burst"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_job_enqueued_after_commit_is_run_by_a_real_worker(make_app, redis_queue, snapdesk_database_url):
    make_app(jobs=redis_queue)
    workspace = create_workspace(slug="one", name="One")
    commit()
    redis_queue.enqueue("tests.core.rq_jobs:create_contact_job", {"workspace_id": workspace.id, "email": "rq@x.test"})
    assert redis_queue.queue.count == 1
    result = run_worker(snapdesk_database_url)
    assert result.returncode == 0, result.stderr
    db.session.rollback()  # end the read snapshot: see what the worker wrote
    assert find_contact_by_email(workspace.id, "rq@x.test") is not None
    assert redis_queue.queue.count == 0


def test_a_failing_job_is_retried_by_the_worker_until_it_succeeds(make_app, redis_queue, snapdesk_database_url, monkeypatch):
    import core.jobs

    # Retries are scheduled by the enqueuing side; no backoff so that a burst worker sees them.
    monkeypatch.setattr(core.jobs, "RETRY_INTERVALS", [0, 0, 0])
    make_app(jobs=redis_queue)
    workspace = create_workspace(slug="one", name="One")
    commit()
    redis_queue.enqueue(
        "tests.core.rq_jobs:flaky_job", {"workspace_id": workspace.id, "email": "flaky@x.test", "fail_times": 2}
    )
    result = run_worker(snapdesk_database_url)
    assert result.returncode == 0, result.stderr
    db.session.rollback()  # end the read snapshot: see what the worker wrote
    from core.snapins.store import SnapinStore

    assert SnapinStore(workspace.id, "rq-test").get("tries", "flaky@x.test") == 3
    assert find_contact_by_email(workspace.id, "flaky@x.test") is not None
