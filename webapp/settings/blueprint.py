"""The ``settings`` blueprint object (its own module so that view modules can import it without cycles)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

from webapp.auth import login_required

#: Admin pages of one workspace; every view receives ``slug``.
blueprint = Blueprint("settings", __name__, url_prefix="/settings/<slug>")


@blueprint.route("/")
@login_required(role="admin")
def index(slug: str) -> Response:
    return redirect(url_for("settings.snapins", slug=slug))
