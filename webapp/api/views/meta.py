"""The API's own description."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from webapp.api.blueprint import blueprint
from webapp.api.openapi import build_spec
from webapp.api.routing import ENDPOINTS, EndpointSpec


@blueprint.get("/openapi.json")
def openapi_document() -> Any:
    """The OpenAPI 3 document of this API."""
    return jsonify(build_spec(current_app._get_current_object(), server_url=request.host_url.rstrip("/")))


# Documented like every other route (no token needed), so build_spec finds it.
ENDPOINTS["api.openapi_document"] = EndpointSpec(
    endpoint="api.openapi_document", rule="/openapi.json", method="GET", summary="The OpenAPI 3 document of this API.",
    description="", tag="meta", access="none", body=None, query=None, response=None, status=200,
)
