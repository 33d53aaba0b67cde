"""Building blocks shared by the API's schemas: ids, bounded text, pagination, the error body."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

#: Ids are 32-bit integers on every backend; anything larger can only be wrong (and would overflow).
MAX_ID = 2**31 - 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
#: Longest message, comment or article body the API accepts (characters).
MAX_BODY = 100_000


def Id(**kwargs: Any) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A row id in a JSON body: an integer (not a string), 1..2^31-1."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def QueryId(**kwargs: Any) -> fields.Integer:  # noqa: N802
    """A row id in the query string (text, so not strict)."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def Text(max_length: int, *, min_length: int = 0, **kwargs: Any) -> fields.String:  # noqa: N802
    """A string of bounded length (column sizes; PostgreSQL refuses longer values)."""
    return fields.String(validate=validate.Length(min=min_length, max=max_length), **kwargs)


def Choice(choices: list[str] | tuple[str, ...], **kwargs: Any) -> fields.String:  # noqa: N802
    return fields.String(validate=validate.OneOf(list(choices)), **kwargs)


class PageQuerySchema(Schema):
    """``?limit=&offset=`` for every listing."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Page size, 1..{MAX_LIMIT}."},
    )
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))


_PAGES: dict[type[Schema], type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The ``{"items", "total", "limit", "offset"}`` schema of a listing of ``item`` (one class per item)."""
    if item not in _PAGES:
        name = item.__name__.removesuffix("Schema") + "PageSchema"
        _PAGES[item] = type(
            name,
            (Schema,),
            {
                "items": fields.List(fields.Nested(item), required=True),
                "total": fields.Integer(required=True),
                "limit": fields.Integer(required=True),
                "offset": fields.Integer(required=True),
                "__doc__": f"A page of {item.__name__.removesuffix('Schema')} items.",
            },
        )
    return _PAGES[item]


def page(items: list[Any], total: int, query: dict[str, Any]) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


class ErrorDetailSchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), data_key="fields",
        metadata={"description": "Field name (dotted for nested fields) -> messages."},
    )


class ErrorSchema(Schema):
    """Every 4xx answer: ``{"error": {"status", "message", "fields"?}}``."""

    error = fields.Nested(ErrorDetailSchema, required=True)
