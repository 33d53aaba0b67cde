"""The ``api`` blueprint object (its own module so that routing and views can import it without cycles)."""

from __future__ import annotations

from flask import Blueprint

#: REST API v1; workspace resources live under ``/api/v1/workspaces/<slug>/``.
blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
