"""Settings > Snap-ins: list the installed snap-ins, enable/disable them, edit their configuration.

``GET  /settings/<slug>/snapins``                      the page
``POST /settings/<slug>/snapins/<snapin_id>``          save the config form (``action`` = save | enable)
``POST /settings/<slug>/snapins/<snapin_id>/disable``  disable

All of it goes through :mod:`core.snapins.admin` (the same path as the CLI and the API). A
submission with errors re-shows the page (422) with the admin's input and the messages beside
their fields, and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from core.db import commit, db
from core.errors import Conflict, ValidationError
from core.models import Workspace
from core.runtime import get_runtime
from core.snapins import admin
from webapp.auth import login_required
from webapp.settings.blueprint import blueprint
from webapp.settings.forms import SnapinForm, form_from_config, form_from_submission, merge_errors, parse_submission

STATUS_LABELS = {
    "enabled": "Enabled",
    "disabled": "Disabled",
    "broken": "Broken",
    "needs_attention": "Needs attention",
}


@dataclass(frozen=True)
class SnapinCard:
    """One snap-in on the page: its ``admin.overview`` row and its form (None when broken)."""

    row: dict[str, Any]
    form: SnapinForm | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.row["status"]]


def _page(workspace: Workspace, failed: SnapinForm | None = None, status: int = 200) -> tuple[str, int]:
    registry = get_runtime().registry
    cards = []
    for row in admin.overview(workspace):
        snapin = registry.get(row["id"])
        if failed is not None and failed.snapin_id == row["id"]:
            form: SnapinForm | None = failed
        elif snapin is None or snapin.broken:
            form = None
        else:
            form = form_from_config(row["id"], admin.config_fields(snapin), row["config"])
        cards.append(SnapinCard(row=row, form=form))
    return render_template("settings/snapins.html", cards=cards, active_section="snapins"), status


def _back(snapin_id: str) -> Response:
    return redirect(url_for("settings.snapins", slug=g.workspace.slug) + f"#snapin-{snapin_id}")


@blueprint.route("/snapins")
@login_required(role="admin")
def snapins(slug: str) -> tuple[str, int]:
    return _page(g.workspace)


@blueprint.route("/snapins/<snapin_id>", methods=["POST"])
@login_required(role="admin")
def save_snapin(slug: str, snapin_id: str) -> Response | tuple[str, int]:
    workspace: Workspace = g.workspace
    snapin = admin.installed_snapin(snapin_id)  # unknown: 404 page; broken: 409 page
    action = request.form.get("action", "save")
    if action not in ("save", "enable"):
        abort(400, description=f"Unknown action '{action}'.")
    fields = admin.config_fields(snapin)
    setting = admin.get_setting(workspace, snapin_id)
    stored = dict(setting.config or {}) if setting is not None else {}
    secrets_set = frozenset(name for name in admin.secret_fields(snapin) if stored.get(name))
    config, parse_errors = parse_submission(fields, request.form)
    try:
        if parse_errors:
            # Check the rest too, so the admin sees every mistake at once.
            schema_errors: dict[str, list[str]] = {}
            try:
                admin.validate_config(snapin, config, existing=stored)
            except ValidationError as exc:
                schema_errors = exc.fields
            raise ValidationError(
                f"The configuration of '{snapin_id}' is not valid.", merge_errors(schema_errors, parse_errors)
            )
        if action == "enable":
            admin.enable(workspace, snapin_id, config)
        else:
            admin.configure(workspace, snapin_id, config)
    except ValidationError as exc:
        db.session.rollback()
        failed = form_from_submission(
            snapin_id, fields, request.form, exc.fields, message=exc.message, secrets_set=secrets_set
        )
        return _page(workspace, failed=failed, status=422)
    except Conflict as exc:  # the snap-in's on_enable failed: nothing is stored, the admin reads why
        db.session.rollback()
        flash(str(exc), "error")
        return _back(snapin_id)
    commit()
    title = snapin.title or snapin_id
    flash(f"{title} is enabled." if action == "enable" else f"The settings of {title} are saved.", "success")
    return _back(snapin_id)


@blueprint.route("/snapins/<snapin_id>/disable", methods=["POST"])
@login_required(role="admin")
def disable_snapin(slug: str, snapin_id: str) -> Response:
    registry = get_runtime().registry
    snapin = registry.get(snapin_id)
    try:
        admin.disable(g.workspace, snapin_id)
    except Conflict as exc:  # on_disable failed
        db.session.rollback()
        flash(str(exc), "error")
        return _back(snapin_id)
    commit()
    flash(f"{(snapin.title if snapin else '') or snapin_id} is disabled.", "success")
    return _back(snapin_id)
