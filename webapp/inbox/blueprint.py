"""The ``inbox`` blueprint object (its own module so that view modules can import it without cycles)."""

from __future__ import annotations

from flask import Blueprint

#: Agents' pages of one workspace; every view receives ``slug``.
blueprint = Blueprint("inbox", __name__, url_prefix="/inbox/<slug>")
