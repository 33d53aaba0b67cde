"""The ``widget`` blueprint: the script, the demo host page, and (in :mod:`webapp.widget.api`) the
cross-origin JSON API.

Everything under ``/widget/api/`` answers any origin (``Access-Control-Allow-Origin: *``): the
widget runs on customers' own sites and authenticates with a bearer session token, never a
cookie, so a foreign origin gains nothing it could not do with the token. Errors there are always
JSON (``{"error": {"status", "message", "fields"?}}``).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify, render_template, request, send_from_directory
from werkzeug.exceptions import HTTPException

from core.errors import SnapdeskError, ValidationError

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "widget"

blueprint = Blueprint("widget", __name__, url_prefix="/widget", template_folder="templates")


def _is_api() -> bool:
    return request.path.startswith("/widget/api/")


@blueprint.after_request
def cors(response: Response) -> Response:
    if _is_api() or request.path == "/widget/plug.js":
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Max-Age"] = "600"
        response.headers["Vary"] = "Origin"
    return response


@blueprint.errorhandler(SnapdeskError)
def snapdesk_error(exc: SnapdeskError):
    from core.db import db
    from webapp.errors import _page, error_body

    db.session.rollback()
    fields = exc.fields if isinstance(exc, ValidationError) else None
    if not _is_api():
        return _page(exc.status, str(exc), fields)
    return jsonify(error_body(exc.status, str(exc), fields)), exc.status


@blueprint.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    from webapp.errors import error_body

    if not _is_api():
        return exc
    return jsonify(error_body(exc.code or 500, exc.description or exc.name)), exc.code or 500


@blueprint.get("/plug.js")
def plug_js() -> Response:
    response = send_from_directory(STATIC_DIR, "plug.js", mimetype="application/javascript", max_age=300)
    return response


@blueprint.get("/demo/<slug>")
def demo(slug: str) -> str:
    """A host page like a company's own site, with the widget embedded by its one script tag.

    ``?user_token=<jwt>`` embeds a user token (one the company's server signed) to try the
    identified mode; the page itself never signs anything.
    """
    from webapp.tenancy import workspace_by_slug

    workspace = workspace_by_slug(slug)
    user_token = (request.args.get("user_token") or "").strip() or None
    return render_template(
        "widget/demo.html", workspace=workspace, user_token=user_token,
        script_url=f"{request.host_url.rstrip('/')}/widget/plug.js",
    )


from webapp.widget import api  # noqa: E402,F401 - registers the API routes on the blueprint
