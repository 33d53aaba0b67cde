"""Agent sign-in (email + password) and sign-out, per workspace.

``GET/POST /inbox/<slug>/login`` and ``POST /inbox/<slug>/logout``. A wrong email or password
re-shows the form with the core's sentence ("Email or password is not right."), whatever was
wrong, so the page does not reveal which agents exist.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from core.errors import LoginError
from core.identity import authenticate_agent
from webapp.auth import current_user, safe_next, sign_in_user, sign_out
from webapp.inbox.blueprint import blueprint
from webapp.tenancy import workspace_by_slug


@blueprint.route("/login", methods=["GET", "POST"])
def login(slug: str) -> Response | tuple[str, int] | str:
    workspace = workspace_by_slug(slug)
    default = url_for("inbox.home", slug=workspace.slug)
    next_url = safe_next(request.values.get("next"), default)
    if request.method == "GET":
        if current_user(workspace) is not None:
            return redirect(next_url)
        return render_template("inbox/login.html", workspace=workspace, next_url=next_url, email="", error=None)
    email = request.form.get("email", "")
    try:
        user = authenticate_agent(workspace, email, request.form.get("password", ""))
    except LoginError as exc:
        page = render_template("inbox/login.html", workspace=workspace, next_url=next_url, email=email, error=str(exc))
        return page, exc.status
    sign_in_user(workspace, user)
    return redirect(next_url)


@blueprint.route("/logout", methods=["POST"])
def logout(slug: str) -> Response:
    workspace = workspace_by_slug(slug)
    sign_out(workspace, kind="users")
    flash("You are signed out.", "success")
    return redirect(url_for("inbox.login", slug=workspace.slug))
