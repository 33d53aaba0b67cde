"""The browser test kit itself: the live server shares the test's database; no Chromium is a failure."""

from __future__ import annotations

import os
import urllib.request

import pytest

from core.db import commit
from core.workspaces import create_workspace
from webapp.testing.browser import chromium_executable


def test_live_server_serves_the_tests_app_and_database(app, live_server):
    create_workspace(slug="initech", name="Initech")
    commit()
    server = live_server(app)
    assert server.base_url.startswith("http://127.0.0.1:")
    assert app.config["BASE_URL"] == server.base_url
    assert app.extensions["snapdesk"].urls.portal("initech") == server.url("/initech/")
    with urllib.request.urlopen(server.url("/inbox/initech/login")) as response:
        assert response.status == 200
        assert "Sign in to Initech" in response.read().decode()


def test_live_server_defaults_to_the_current_app(app, live_server):
    assert live_server().app is app


def test_missing_chromium_fails_and_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("SNAPDESK_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.fail.Exception) as failure:
        chromium_executable()
    assert "apt-get install chromium" in str(failure.value)


def test_chromium_is_installed_here():
    # The project's browser tests need it: this machine (and CI) must have Debian's chromium.
    assert os.access(chromium_executable(), os.X_OK)
