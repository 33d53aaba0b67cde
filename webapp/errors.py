"""Core errors -> HTTP. JSON for the API (and clients that ask for JSON), a page otherwise."""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from core.errors import SnapdeskError, ValidationError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_body(status: int, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    body: dict = {"error": {"status": status, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(SnapdeskError)
    def snapdesk_error(exc: SnapdeskError):
        from core.db import db

        db.session.rollback()
        fields = exc.fields if isinstance(exc, ValidationError) else None
        if _wants_json():
            return jsonify(error_body(exc.status, str(exc), fields)), exc.status
        return _page(exc.status, str(exc), fields)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            return jsonify(error_body(exc.code or 500, exc.description or exc.name)), exc.code
        return _page(exc.code or 500, exc.description or exc.name)


def _page(status: int, message: str, fields: dict[str, list[str]] | None = None):
    from flask import render_template
    from jinja2 import TemplateNotFound

    try:
        return render_template("error.html", status=status, message=message, fields=fields or {}), status
    except TemplateNotFound:
        return f"{status}: {message}", status, {"Content-Type": "text/plain; charset=utf-8"}
