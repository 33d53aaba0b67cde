"""Live updates across processes: two gunicorn servers share events through Redis pub/sub.

A visitor's message posted through process A, and an agent's reply committed by the test process
itself, both reach an SSE stream opened on process B. Needs a Redis server (``REDIS_URL``, default
redis://127.0.0.1:6379/0) - a missing one fails the test, as the issue requires this to work.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(method: str, url: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.loads(response.read())


class Gunicorn:
    """One ``gunicorn -k gthread`` process serving ``webapp:create_app()``."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "8", "-w", "1",
             "-b", f"127.0.0.1:{self.port}", "--timeout", "60", "webapp:create_app()"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError(f"gunicorn on {self.base} did not start: {Path(self.log.name).read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _read_events(url: str, events: queue.Queue, ready: threading.Event) -> None:
    """Read an SSE stream, putting each (event, data) on ``events``; set ``ready`` once connected."""
    with urllib.request.urlopen(url, timeout=30) as response:
        name = None
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line == ": connected":
                ready.set()
            elif line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.put((name, json.loads(line[6:])))


def _next_message(events: queue.Queue, body: str, seen: list, timeout: float = 15) -> dict:
    """Wait for the message_posted event carrying ``body``; every event read is appended to ``seen``."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no live message {body!r} arrived on process B"
        name, data = events.get(timeout=remaining)
        seen.append((name, data))
        if name == "message_posted" and data.get("message", {}).get("body") == body:
            return data


def test_a_message_posted_on_process_a_reaches_a_stream_on_process_b(make_app, snapdesk_database_url, tmp_path):
    from redis import Redis

    Redis.from_url(REDIS_URL).ping()  # fails loudly without Redis
    from core import conversations
    from core.db import commit, db
    from core.models import Conversation
    from core.people import create_user
    from core.workspaces import create_workspace

    make_app(REDIS_URL=REDIS_URL)  # this process publishes through Redis too
    slug = f"live{uuid.uuid4().hex[:8]}"
    workspace = create_workspace(slug=slug, name="Live")
    agent = create_user(workspace, email="agent@live.test", name="Alan Agent")
    commit()

    env = {**os.environ, "DATABASE_URL": snapdesk_database_url, "REDIS_URL": REDIS_URL,
           "SECRET_KEY": "shared-secret-of-both-processes", "MAIL_URL": "console://",
           # Load no installed snap-in (a filter naming none): this test is about the core's live path.
           "SNAPDESK_SNAPINS": "none"}
    servers = [Gunicorn(env, tmp_path / "a.log"), Gunicorn(env, tmp_path / "b.log")]
    try:
        a, b = servers
        for server in servers:
            server.wait_ready(f"/widget/api/{slug}/config")
        api_a, api_b = f"{a.base}/widget/api/{slug}", f"{b.base}/widget/api/{slug}"
        token = _call("POST", f"{api_a}/session", {})["token"]
        conversation_id = _call("POST", f"{api_a}/conversations", {"body": "Hello from A"}, token)["conversation"]["id"]

        events: queue.Queue = queue.Queue()
        connected = threading.Event()
        stream_url = f"{api_b}/conversations/{conversation_id}/events?token={token}"
        threading.Thread(target=_read_events, args=(stream_url, events, connected), daemon=True).start()
        assert connected.wait(15), "the stream on process B did not open"

        _call("POST", f"{api_a}/conversations/{conversation_id}/messages", {"body": "Second message via A"}, token)
        seen: list = []
        data = _next_message(events, "Second message via A", seen)
        assert data["conversation"] == {"id": conversation_id, "stage": "new"}

        # A third process (this test) commits an agent reply and an internal note: only the reply reaches B.
        db.session.rollback()
        conversation = db.session.get(Conversation, conversation_id)
        conversations.post_message(workspace, conversation, body="internal note", author_user=agent, internal=True)
        conversations.post_message(workspace, conversation, body="Agent reply", author_user=agent)
        commit()
        reply = _next_message(events, "Agent reply", seen)
        assert reply["message"]["author_kind"] == "dev" and reply["conversation"]["stage"] == "waiting_on_user"
        time.sleep(0.3)  # anything published after the reply would be here by now
        while not events.empty():
            seen.append(events.get_nowait())
        assert any(n == "stage_changed" for n, _d in seen)
        assert all(d.get("message", {}).get("body") != "internal note" for _n, d in seen)
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch):
    # The child processes get their configuration explicitly; nothing from a developer's shell leaks.
    monkeypatch.delenv("BASE_URL", raising=False)
