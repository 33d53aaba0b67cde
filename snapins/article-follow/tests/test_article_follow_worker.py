"""Publish & Notify end to end: a real RQ worker process sends one email per subscriber to a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys

from redis import Redis

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_publish_and_notify_through_a_real_worker_and_smtp(make_app, enable_snapin, smtp_sink, snapdesk_database_url, sign_in):
    from core.articles import create_article, publish_article
    from core.db import commit
    from core.jobs import RQQueue
    from core.people import create_contact
    from core.workspaces import create_workspace
    from snapdesk_article_follow import ArticleFollow

    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    queue = RQQueue(REDIS_URL)
    app = make_app(snapins={"article-follow": ArticleFollow}, jobs=queue)
    workspace = create_workspace(slug="acme", name="Acme")
    subscribers = [create_contact(workspace, email=f"c{i}@globex.test", verified=True) for i in range(3)]
    article = create_article(workspace, title="Reset your password", body="<p>Steps</p>")
    publish_article(workspace, article)
    commit()
    enable_snapin(workspace, "article-follow")
    for contact in subscribers:
        client = app.test_client()
        sign_in(client, workspace, contact=contact)
        assert client.post(f"/acme/snapins/article-follow/articles/{article.id}/subscribe").status_code == 302

    publish_article(workspace, article, notify=True, comment="New: recovery codes.")
    commit()
    assert queue.queue.count == 1  # one job: article_published for article-follow

    env = {
        **os.environ,
        "DATABASE_URL": snapdesk_database_url,
        "REDIS_URL": REDIS_URL,
        "MAIL_URL": smtp_sink.url,
        "BASE_URL": "http://portal.test",
        "SNAPDESK_SNAPINS": "article-follow",
    }
    result = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "worker", "--burst"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    received = smtp_sink.wait_for(3)
    assert sorted(m.envelope_to[0] for m in received) == [c.email for c in subscribers]
    assert {m["Subject"] for m in received} == {"[Acme] Update on Article – Reset your password"}
    # Running the worker again (as a retry would) sends nothing more.
    queue.enqueue(*_same_job(queue, redis))
    subprocess.run([sys.executable, "-m", "webapp.cli", "worker", "--burst"], env=env, capture_output=True, text=True, timeout=120)
    assert len(smtp_sink.messages) == 3
    redis.flushdb()


def _same_job(queue, redis):
    """The finished job's function path and arguments, to enqueue it again."""
    from rq.job import Job
    from rq.registry import FinishedJobRegistry

    [job_id] = FinishedJobRegistry(queue=queue.queue).get_job_ids()
    job = Job.fetch(job_id, connection=redis)
    func_path, kwargs = job.args
    return func_path, kwargs
