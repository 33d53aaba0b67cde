"""Helpers for the widget API tests: a visitor session and authorized requests."""

from __future__ import annotations

import pytest


class Visitor:
    """A widget session of one workspace, driven through the test client."""

    def __init__(self, client, slug: str, token: str) -> None:
        self.client, self.slug, self.token = client, slug, token

    def url(self, path: str) -> str:
        return f"/widget/api/{self.slug}{path}"

    def get(self, path: str, **kwargs):
        return self.client.get(self.url(path), headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def post(self, path: str, json=None, **kwargs):
        return self.client.post(self.url(path), json=json, headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def start(self, body: str = "Hello, I need help", **extra) -> dict:
        response = self.post("/conversations", json={"body": body, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["conversation"]


@pytest.fixture
def visit(client):
    """``visit(slug, user_token=None) -> Visitor`` (asserts the session was granted)."""

    def make(slug: str = "acme", user_token: str | None = None) -> Visitor:
        body = {"user_token": user_token} if user_token is not None else {}
        response = client.post(f"/widget/api/{slug}/session", json=body)
        assert response.status_code == 201, response.get_json()
        return Visitor(client, slug, response.get_json()["token"])

    return make
