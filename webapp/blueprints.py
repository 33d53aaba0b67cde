"""Registers every blueprint on the app (one place to see the web app's parts)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from webapp.errors import register_error_handlers
    from webapp.snapin_routes import register_snapin_routes

    register_error_handlers(app)
    try:
        from webapp.api import blueprint as api_blueprint
    except ImportError:  # the API package is being written alongside; remove once it lands
        api_blueprint = None
    if api_blueprint is not None:
        app.register_blueprint(api_blueprint)
    register_snapin_routes(app)
