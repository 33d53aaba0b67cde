"""Absolute URLs from ``BASE_URL`` and the app's own routes (works in requests and in workers)."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for

from core.urls import PlainUrlBuilder


class FlaskUrlBuilder(PlainUrlBuilder):
    def __init__(self, app: Flask) -> None:
        super().__init__(app.config["BASE_URL"])
        self.app = app

    def snapin_route(self, workspace_slug: str, snapin_id: str, endpoint: str, **params: Any) -> str:
        # Snap-in rules are ordinary Flask rules (see webapp.blueprints.snapin_routes), so Werkzeug builds them.
        with self.app.test_request_context(base_url=self.base):
            return url_for(f"snapin_{snapin_id}.{endpoint}", slug=workspace_slug, _external=True, **params)
