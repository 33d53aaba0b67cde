"""Settings > Portal > Ticket form: the custom (and dependent) fields of the portal's "+ Ticket" form.

``GET/POST /settings/<slug>/portal/ticket-form``

Each field is a row of inputs ``fields-<i>-<key>`` (name, label, type, required, choices one per
line, show_when_field / show_when_equals, position, remove). Rows are stored in ``position``
order; a row marked "remove", or left blank, is dropped. :func:`core.portal_settings.update_settings`
(section ``ticket_form``) is the judge: errors come back as ``ticket_form.fields.<i>.<key>`` and
are shown beside the row, whose inputs keep what the admin typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from core.db import commit, db
from core.portal_settings import get_settings
from webapp.auth import login_required
from webapp.settings.blueprint import blueprint
from webapp.settings.sections import Errors, rows, save_sections

FIELD_TYPES: tuple[tuple[str, str], ...] = (
    ("text", "Text"),
    ("textarea", "Long text"),
    ("number", "Number"),
    ("choice", "Choice"),
    ("boolean", "Yes / no"),
)
ROW_KEYS = ("name", "label", "type", "required", "choices", "show_when_field", "show_when_equals", "position", "remove")


def _position(row: Mapping[str, str], fallback: int) -> float:
    try:
        return float(row.get("position") or fallback)
    except ValueError:
        return float(fallback)


def fields_from_form(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ticket fields as submitted, in the order the admin arranged them."""
    submitted = [
        row for row in rows(form, "fields", ROW_KEYS)
        if not row["remove"] and (row["name"] or row["label"] or row["choices"])
    ]
    ordered = sorted(enumerate(submitted), key=lambda pair: (_position(pair[1], pair[0] + 1), pair[0]))
    result = []
    for _index, row in ordered:
        choices = [c.strip() for c in re.split(r"[\r\n]+", row["choices"]) if c.strip()]
        show_when = None
        if row["show_when_field"]:
            show_when = {"field": row["show_when_field"], "equals": row["show_when_equals"]}
        result.append({
            "name": row["name"],
            "label": row["label"],
            "type": row["type"] or "text",
            "required": bool(row["required"]),
            "choices": choices,
            "show_when": show_when,
        })
    return result


def _page(fields: list[dict[str, Any]], errors: Errors, status: int = 200) -> tuple[str, int]:
    return render_template(
        "settings/ticket_form.html",
        active_section="portal",
        fields=fields,
        errors=errors,
        field_types=FIELD_TYPES,
    ), status


@blueprint.route("/portal/ticket-form", methods=["GET", "POST"])
@login_required(role="admin")
def ticket_form(slug: str) -> Response | tuple[str, int]:
    if request.method == "GET":
        return _page(list(get_settings(g.workspace)["ticket_form"].get("fields") or []), {})
    fields = fields_from_form(request.form)
    errors = save_sections(g.workspace, {"ticket_form": {"fields": fields}})
    if errors:
        db.session.rollback()
        return _page(fields, errors, status=422)
    commit()
    flash(f"The ticket form is saved ({len(fields)} custom field{'' if len(fields) == 1 else 's'}).", "success")
    return redirect(url_for("settings.ticket_form", slug=g.workspace.slug))
