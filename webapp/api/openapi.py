"""The OpenAPI 3 document, generated with apispec from the API's real Flask rules and schemas.

Each rule of the ``api`` blueprint is looked up in :data:`webapp.api.routing.ENDPOINTS` (filled by
``api_route``), so a route cannot exist without being documented: :func:`build_spec` raises if one
is missing.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from webapp.api.routing import ENDPOINTS, EndpointSpec
from webapp.api.schemas.common import ErrorSchema

API_VERSION = "1.0.0"
_CONVERTER = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_ERROR_TEXT = {
    400: "Malformed JSON.",
    401: "Missing or invalid API token.",
    403: "Only workspace admins may do this.",
    404: "Not found (also: a workspace that is not the token's).",
    409: "Conflicts with the current state (an illegal stage move, a duplicate).",
    415: "The body is not application/json.",
    422: "Field errors in the body or query string.",
}


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """``/a/<int(min=1):id>/<slug>`` -> (``/a/{id}/{slug}``, path parameters)."""
    parameters: list[dict[str, Any]] = []

    def replace(match: re.Match[str]) -> str:
        kind = "integer" if match.group("converter") == "int" else "string"
        parameters.append({"in": "path", "name": match.group("name"), "required": True, "schema": {"type": kind}})
        return "{" + match.group("name") + "}"

    return _CONVERTER.sub(replace, rule), parameters


def _operation(spec: EndpointSpec, path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": spec.endpoint.split(".", 1)[1],
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": list(path_parameters),
        "responses": {},
    }
    if spec.description:
        operation["description"] = spec.description
    if spec.access == "none":
        operation["security"] = []
    if spec.query is not None:
        operation["parameters"].append({"in": "query", "schema": spec.query})
    if spec.body is not None:
        operation["requestBody"] = {
            "required": not spec.body_optional,
            "content": {"application/json": {"schema": spec.body}},
        }
    if spec.status == 204:
        operation["responses"]["204"] = {"description": "Done; no content."}
    elif spec.response is None:
        operation["responses"][str(spec.status)] = {
            "description": "Success.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    else:
        operation["responses"][str(spec.status)] = {
            "description": "Success.",
            "content": {"application/json": {"schema": spec.response}},
        }
    errors = {404}
    if spec.access != "none":
        errors.add(401)
    if spec.access == "admin":
        errors.add(403)
    if spec.body is not None:
        errors.update({400, 415, 422})
    if spec.query is not None:
        errors.add(422)
    if spec.method != "GET":
        errors.add(409)
    if spec.endpoint == "api.create_token":
        errors.add(401)
    for status in sorted(errors):
        operation["responses"][str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    return operation


def build_spec(app: Flask, *, server_url: str = "/") -> dict[str, Any]:
    """The OpenAPI 3.0 document of ``app``'s API routes."""
    spec = APISpec(
        title="snapdesk REST API",
        version=API_VERSION,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "JSON API of a snapdesk server. Authenticate with an agent's personal token "
                "(POST /api/v1/workspaces/{slug}/tokens) sent as `Authorization: Bearer <token>`. "
                "Errors are `{\"error\": {\"status\", \"message\", \"fields\"}}`."
            )
        },
        servers=[{"url": server_url}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    for status, text in _ERROR_TEXT.items():
        spec.components.response(
            f"Error{status}", {"description": text, "content": {"application/json": {"schema": "Error"}}}
        )
    spec.options["security"] = [{"bearer": []}]

    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        declared = ENDPOINTS.get(rule.endpoint)
        if declared is None:
            raise LookupError(f"API rule {rule.rule} ({rule.endpoint}) was not declared with api_route")
        path, parameters = openapi_path(rule.rule)
        paths.setdefault(path, {})[declared.method.lower()] = _operation(declared, parameters)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
