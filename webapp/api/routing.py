"""How an API endpoint is declared: one decorator registers the Flask rule *and* records what the
OpenAPI document says about it, so the document is generated from the real routes.

An endpoint function receives keyword arguments: the URL's values (``slug`` is replaced by
``workspace``), ``user`` (the token's agent), ``body`` (the request body loaded by its schema)
and ``query`` (the query string loaded by its schema), each only when declared. It returns what
the response schema dumps (or ``None`` for 204).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import marshmallow
from flask import Response, jsonify, request

from core.errors import ValidationError
from webapp.api import auth
from webapp.api.blueprint import blueprint


@dataclass(frozen=True)
class EndpointSpec:
    """What one (rule, method) pair takes and returns; the OpenAPI document is built from these."""

    endpoint: str
    rule: str
    method: str
    summary: str
    description: str
    tag: str
    #: "none" (no token), "agent" (any agent of the workspace) or "admin".
    access: str
    body: type[marshmallow.Schema] | None
    query: type[marshmallow.Schema] | None
    response: type[marshmallow.Schema] | None
    status: int
    #: The body is optional (an empty request means ``{}``).
    body_optional: bool = False
    errors: tuple[int, ...] = field(default=())


#: Every declared endpoint, keyed by Flask endpoint name ("api.<function>").
ENDPOINTS: dict[str, EndpointSpec] = {}


def api_route(
    rule: str,
    method: str,
    *,
    tag: str,
    access: str = "agent",
    body: type[marshmallow.Schema] | None = None,
    body_optional: bool = False,
    query: type[marshmallow.Schema] | None = None,
    response: type[marshmallow.Schema] | None = None,
    status: int = 200,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func`` as ``method rule`` on the API blueprint (see the module docstring)."""
    if access not in ("none", "agent", "admin"):
        raise ValueError(f"unknown access {access!r}")

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = (func.__doc__ or "").strip()
        summary, _, description = doc.partition("\n")
        spec = EndpointSpec(
            endpoint=f"{blueprint.name}.{func.__name__}",
            rule=rule,
            method=method.upper(),
            summary=summary.strip(),
            description=" ".join(description.split()),
            tag=tag,
            access=access,
            body=body,
            query=query,
            response=response,
            status=status,
            body_optional=body_optional,
        )
        if spec.endpoint in ENDPOINTS:
            raise ValueError(f"endpoint {spec.endpoint} declared twice")
        ENDPOINTS[spec.endpoint] = spec

        @functools.wraps(func)
        def view(**values: Any) -> Response | tuple[Response, int]:
            kwargs: dict[str, Any] = dict(values)
            slug = kwargs.pop("slug", None)
            if access == "none":
                if slug is not None:
                    kwargs["workspace"] = auth.workspace_or_404(slug)
            else:
                workspace, user = auth.authenticate(slug)
                if access == "admin":
                    auth.require_admin(user)
                kwargs["workspace"] = workspace
                kwargs["user"] = user
            if query is not None:
                kwargs["query"] = load(query, request.args.to_dict(), message="The query string is not valid.")
            if body is not None:
                kwargs["body"] = load(body, read_json(optional=body_optional), message="The request body is not valid.")
            result = func(**kwargs)
            if status == 204 or response is None:
                return Response(status=204)
            return jsonify(response().dump(result)), status

        return view

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        view = decorate(func)
        blueprint.add_url_rule(rule, endpoint=func.__name__, view_func=view, methods=[method.upper()])
        return view

    return register


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_json(*, optional: bool = False) -> Any:
    """The request's JSON document: 415 unless it is ``application/json``; 400 when malformed.

    With ``optional``, an empty request body stands for ``{}``.
    """
    from werkzeug.exceptions import BadRequest, UnsupportedMediaType

    raw = request.get_data(cache=True)
    if optional and not raw.strip():
        return {}
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the request body as JSON (Content-Type: application/json).")
    try:
        # NaN and Infinity are not JSON; Python would accept them and they break numbers downstream.
        return json.loads(raw.decode(request.mimetype_params.get("charset", "utf-8")), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, LookupError, RecursionError):
        raise BadRequest("The request body is not valid JSON.") from None


def load(schema_cls: type[marshmallow.Schema], data: Any, *, message: str) -> dict[str, Any]:
    """Load ``data`` with ``schema_cls(unknown=RAISE)``; field errors become a 422 :class:`ValidationError`."""
    nul = _nul_fields(data)
    if nul:
        # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
        raise ValidationError(message, {name: ["Text may not contain NUL characters."] for name in nul})
    try:
        return schema_cls(unknown=marshmallow.RAISE).load(data)
    except marshmallow.ValidationError as exc:
        raise ValidationError(message, flatten_messages(exc.messages)) from None


def _nul_fields(data: Any, prefix: str = "") -> list[str]:
    """Dotted names of the strings (values or keys) in ``data`` that contain a NUL character."""
    if isinstance(data, str):
        return [prefix or "_schema"] if "\x00" in data else []
    found: list[str] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found += ([name] if "\x00" in str(key) else []) + _nul_fields(value, name)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nul_fields(value, f"{prefix}.{index}" if prefix else str(index))
    return found


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages -> ``{"a.0.b": ["..."]}`` (the shape of webapp.errors.error_body)."""
    if isinstance(messages, (list, tuple)) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": [str(m) for m in messages]}
    if isinstance(messages, Mapping):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            out.update(flatten_messages(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(messages, (list, tuple)):
        out = {}
        for index, value in enumerate(messages):
            out.update(flatten_messages(value, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "_schema": [str(messages)]}


__all__ = ["ENDPOINTS", "EndpointSpec", "api_route", "flatten_messages", "load", "read_json"]
