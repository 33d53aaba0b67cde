"""Jobs that the real-RQ-worker test enqueues (importable by the worker: it runs from the repo root)."""

from __future__ import annotations

from core.db import commit, db
from core.models import Workspace


def create_contact_job(*, workspace_id: int, email: str) -> None:
    from core.people import create_contact

    create_contact(db.session.get(Workspace, workspace_id), email=email, verified=True)
    commit()


def flaky_job(*, workspace_id: int, email: str, fail_times: int) -> None:
    """Fails ``fail_times`` times (counted in the snap-in store), then creates the contact."""
    from core.snapins.store import SnapinStore

    store = SnapinStore(workspace_id, "rq-test")
    tries = store.incr("tries", email)
    commit()
    if tries <= fail_times:
        raise RuntimeError(f"failing on purpose, try {tries}")
    create_contact_job(workspace_id=workspace_id, email=email)
