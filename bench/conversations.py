"""Throughput of the request path that matters most: a customer starting a conversation.

Measures conversations created per second on a SQLite file (embedded default) or DATABASE_URL,
with no snap-ins and then with keyword routing and spam suspension enabled (both decisions run
synchronously on this path), plus the peak Python memory of the run (tracemalloc). Prints figures;
asserts nothing.

    python bench/conversations.py [--count 300]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc


def run(count: int, snapins: dict, config: dict) -> tuple[float, float]:
    from core.conversations import start_conversation
    from core.db import commit, db
    from core.jobs import MemoryQueue
    from core.mail import MemoryMailer
    from core.people import create_account, create_contact, create_user
    from core.snapins import admin
    from core.workspaces import create_workspace
    from webapp import create_app

    directory = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{directory}/bench.db"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SNAPDESK_AUTOLOAD": False, "SECRET_KEY": "bench", "REDIS_URL": None},
        snapin_classes=snapins, jobs=MemoryQueue(), mailer=MemoryMailer(),
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        workspace = create_workspace(slug="bench", name="Bench")
        owner = create_user(workspace, email="owner@bench.test")
        create_user(workspace, email="billing@bench.test")
        create_account(workspace, name="Globex", domains=["globex.test"], default_owner_id=owner.id)
        contacts = [create_contact(workspace, email=f"c{i}@globex.test") for i in range(20)]
        commit()
        for snapin_id, snapin_config in config.items():
            admin.enable(workspace, snapin_id, snapin_config)
        commit()
        bodies = ["I need a refund for my last invoice", "The export page shows an error since this morning",
                  "WINNER! Claim your FREE prize now at http://bit.ly/x", "How do I add a teammate?"]
        started = time.perf_counter()
        for i in range(count):
            start_conversation(workspace, body=bodies[i % 4], title="Help", channel="widget", contact=contacts[i % 20])
            commit()
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return count / seconds, 1000 * seconds / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    from snapdesk_keyword_routing import KeywordRouting
    from snapdesk_spam_suspension import SpamSuspension

    rules = {"rules": [{"keywords": ["refund", "invoice"], "owner": "billing@bench.test"}]}
    cases = [
        ("no snap-ins", {}, {}),
        ("keyword routing + spam suspension", {"keyword-routing": KeywordRouting, "spam-suspension": SpamSuspension},
         {"keyword-routing": rules, "spam-suspension": {}}),
    ]
    print(f"start_conversation + commit, {args.count} conversations each, database: {os.environ.get('DATABASE_URL') or 'SQLite file'}")
    for label, snapins, config in cases:
        run(5, snapins, config)  # warm-up: imports and the spam model load are not what we measure
        tracemalloc.start()
        per_second, ms = run(args.count, snapins, config)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  {label:<36} {per_second:7.1f} conversations/s  {ms:6.2f} ms each  peak Python memory {peak / 2**20:6.1f} MiB")


if __name__ == "__main__":
    main()
