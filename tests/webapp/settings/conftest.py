"""Fixtures for the Settings pages: an app with the test snap-ins, an admin signed in through the form."""

from __future__ import annotations

import pytest
from settings_snapins import SNAPINS


@pytest.fixture
def app(make_app):
    return make_app(snapins=SNAPINS)


@pytest.fixture
def sign_in_as(client, workspace):
    """``sign_in_as("admin@acme.test", "admin-pass-1")`` through the sign-in form."""

    def sign(email: str, password: str) -> None:
        response = client.post("/inbox/acme/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return sign


@pytest.fixture
def admin_client(client, sign_in_as):
    sign_in_as("admin@acme.test", "admin-pass-1")
    return client
