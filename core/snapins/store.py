"""The snap-in store: ``(collection, key) -> JSON`` per workspace and snap-in (hooks.context.StoreAPI)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from core.db import db
from core.models import SnapinRecord


class SnapinStore:
    def __init__(self, workspace_id: int, snapin_id: str) -> None:
        self.workspace_id = workspace_id
        self.snapin_id = snapin_id

    def _where(self, collection: str):
        return (
            SnapinRecord.workspace_id == self.workspace_id,
            SnapinRecord.snapin_id == self.snapin_id,
            SnapinRecord.collection == collection,
        )

    def _row(self, collection: str, key: str) -> SnapinRecord | None:
        return db.session.scalar(select(SnapinRecord).where(*self._where(collection), SnapinRecord.key == key))

    def get(self, collection: str, key: str, default: Any = None) -> Any:
        row = self._row(collection, key)
        return default if row is None else row.value

    def put(self, collection: str, key: str, value: Any) -> None:
        row = self._row(collection, key)
        if row is None:
            db.session.add(
                SnapinRecord(
                    workspace_id=self.workspace_id, snapin_id=self.snapin_id, collection=collection, key=key, value=value
                )
            )
        else:
            row.value = value
        db.session.flush()

    def delete(self, collection: str, key: str) -> bool:
        result = db.session.execute(delete(SnapinRecord).where(*self._where(collection), SnapinRecord.key == key))
        return bool(result.rowcount)

    def items(self, collection: str, *, prefix: str = "", limit: int | None = None) -> list[tuple[str, Any]]:
        query = select(SnapinRecord.key, SnapinRecord.value).where(*self._where(collection))
        if prefix:
            query = query.where(SnapinRecord.key.startswith(prefix, autoescape=True))
        query = query.order_by(SnapinRecord.key)
        if limit is not None:
            query = query.limit(limit)
        return [(key, value) for key, value in db.session.execute(query)]

    def count(self, collection: str, *, prefix: str = "") -> int:
        query = select(func.count()).select_from(SnapinRecord).where(*self._where(collection))
        if prefix:
            query = query.where(SnapinRecord.key.startswith(prefix, autoescape=True))
        return int(db.session.scalar(query) or 0)

    def incr(self, collection: str, key: str, amount: int = 1) -> int:
        row = self._row(collection, key)
        value = int(row.value if row is not None and row.value is not None else 0) + amount
        self.put(collection, key, value)
        return value
