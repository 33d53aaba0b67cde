"""Browser test kit: serve an app on loopback and drive Debian's Chromium through Playwright.

Fixtures (re-exported by the snapdesk pytest plugin):

- ``live_server(app=None) -> LiveServer``: serves ``app`` (default: the app of the innermost
  pushed app context, i.e. the last ``make_app(...)``) with Werkzeug on ``127.0.0.1`` and a free
  port, in a background thread, until the test ends. The server uses the very same app object,
  hence the same database as the test's own app context; ``BASE_URL`` is set to the server's URL
  so links in mail point at it. ``server.url("/path")`` builds addresses.
- ``browser``: one headless Chromium for the test session (``/usr/bin/chromium``, or
  ``SNAPDESK_CHROMIUM``). Missing Chromium FAILS the test, naming the Debian package to install;
  the kit never downloads a browser.
- ``page``: a fresh browser context (own cookies) and page per test; more contexts for a second
  person come from ``browser.new_context()``.

Mark such tests ``@pytest.mark.browser``. The server reads and writes through its own database
sessions: what a test wrote must be committed before the browser asks for it, and the test sees
what the browser changed only in a new transaction (``db.session.rollback()`` ends the current
one, whose snapshot predates the browser's writes).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

__all__ = ["CHROMIUM_ARGS", "LiveServer", "_snapdesk_playwright", "browser", "chromium_executable", "live_server", "page", "pytest_configure"]

#: Where Debian's ``chromium`` package puts the browser.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: Flags for a quiet, sandbox-less headless Chromium in containers and CI.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Playwright's wait for an element, a navigation or an ``expect`` assertion, in milliseconds
#: (generous: CI runs on a loaded 2-core machine; passing tests do not wait for it).
DEFAULT_TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    # Registered here so that snap-in projects using the plugin can mark tests under --strict-markers.
    config.addinivalue_line("markers", "browser: drives real headless Chromium through Playwright")


class LiveServer:
    """One app served over HTTP on loopback from a background thread."""

    def __init__(self, app: Any) -> None:
        from flask import got_request_exception
        from werkzeug.serving import make_server

        self.app = app
        #: Exceptions raised by views while serving (a test may assert there were none).
        self.errors: list[BaseException] = []
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        app.config["BASE_URL"] = self.base_url
        runtime = app.extensions.get("snapdesk")
        if runtime is not None and hasattr(runtime.urls, "base"):
            runtime.urls.base = self.base_url
        got_request_exception.connect(self._record, app, weak=False)
        self._thread = threading.Thread(target=self._server.serve_forever, name="snapdesk-live-server", daemon=True)
        self._thread.start()

    def _record(self, sender: Any, exception: BaseException, **extra: Any) -> None:
        self.errors.append(exception)

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def stop(self) -> None:
        from flask import got_request_exception

        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        got_request_exception.disconnect(self._record, self.app)


@pytest.fixture
def live_server() -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def serve(app: Any = None) -> LiveServer:
        if app is None:
            from flask import current_app

            app = current_app._get_current_object()  # type: ignore[attr-defined]
        server = LiveServer(app)
        servers.append(server)
        return server

    yield serve
    for server in reversed(servers):
        server.stop()


def chromium_executable() -> str:
    """The Chromium binary to drive; fails the test (never skips) when it is not installed."""
    path = os.environ.get("SNAPDESK_CHROMIUM") or DEFAULT_CHROMIUM
    if not os.path.exists(path):
        pytest.fail(
            f"Chromium is not installed at {path}: install Debian's package 'chromium' "
            "(apt-get install chromium) or set SNAPDESK_CHROMIUM. Browser tests never download a browser.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def _snapdesk_playwright() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Browser tests need Playwright: pip install 'snapdesk[test]'.", pytrace=False)
    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()


@pytest.fixture(scope="session")
def browser(_snapdesk_playwright: Any) -> Iterator[Any]:
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    executable = chromium_executable()
    chromium = _snapdesk_playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    browser_page = context.new_page()
    yield browser_page
    context.close()
