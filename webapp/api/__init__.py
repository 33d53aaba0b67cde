"""REST API v1: JSON endpoints over the core's services, at ``/api/v1``.

- ``blueprint``: registered by :func:`webapp.blueprints.register`.
- Every endpoint is declared with :func:`webapp.api.routing.api_route` (auth, body and query
  schemas, response schema), which also feeds the OpenAPI document at ``/api/v1/openapi.json``.
- Workspace resources live under ``/api/v1/workspaces/<slug>/``; see :mod:`webapp.api.auth`.
"""

from webapp.api.blueprint import blueprint
from webapp.api import errors, views  # noqa: E402,F401 - register handlers and routes

__all__ = ["blueprint"]
