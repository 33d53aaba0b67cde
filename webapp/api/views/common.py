"""Helpers the resource views share: URL fragments, paging a query, ids given in a body."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select

from core.db import db, get_scoped
from core.errors import NotFound, ValidationError
from core.models import Workspace
from webapp.api.schemas.common import MAX_ID, page

#: Prefix of every workspace-scoped rule.
WS = "/workspaces/<slug>"
#: A row id in a URL: out-of-range or non-numeric ids never reach the database (routing answers 404).
ID = f"int(min=1, max={MAX_ID})"

M = TypeVar("M")


def paged(query: Select[Any], params: dict[str, Any]) -> dict[str, Any]:
    """Count and slice a select of rows into the listing shape."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.scalars(query.limit(params["limit"]).offset(params["offset"])))
    return page(rows, int(total), params)


def referenced(model: type[M], workspace: Workspace, object_id: int | None, field: str) -> M | None:
    """A row a request body names by id; a 422 on ``field`` (not a 404) when it is not in this workspace."""
    if object_id is None:
        return None
    try:
        return get_scoped(model, workspace.id, object_id)
    except NotFound:
        raise ValidationError.field(field, f"No {model.__name__.lower()} {object_id} in this workspace.") from None
