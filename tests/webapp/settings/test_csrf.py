"""Forms need the session's CSRF token; the bearer-token API does not."""

from __future__ import annotations

import re

import pytest

from settings_snapins import SNAPINS

from core.snapins import admin
from webapp.csrf import STALE_FORM


@pytest.fixture
def app(make_app):
    return make_app(snapins=SNAPINS, WTF_CSRF_ENABLED=True)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_sign_in_and_settings_forms_need_the_token(client, workspace):
    login = client.get("/inbox/acme/login").get_data(as_text=True)
    refused = client.post("/inbox/acme/login", data={"email": "admin@acme.test", "password": "admin-pass-1"})
    assert refused.status_code == 400 and STALE_FORM in refused.get_data(as_text=True)
    data = {"email": "admin@acme.test", "password": "admin-pass-1", "csrf_token": _token(login)}
    assert client.post("/inbox/acme/login", data=data).status_code == 302

    assert client.post("/settings/acme/snapins/plain", data={"action": "enable"}).status_code == 400
    assert admin.get_setting(workspace, "plain") is None
    token = _token(client.get("/settings/acme/snapins").get_data(as_text=True))
    assert client.post("/settings/acme/snapins/plain", data={"action": "enable", "csrf_token": token}).status_code == 302
    assert admin.get_setting(workspace, "plain").enabled


def test_api_is_exempt(client, workspace):
    # No cookie session, no CSRF token: the API answers on its own terms (401), not with a CSRF 400.
    response = client.post("/api/v1/workspaces/acme/snapins/plain/enable", json={})
    assert response.status_code == 401
