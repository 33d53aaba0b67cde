"""Placeholder home of the agents' side until the inbox lands: says where settings are."""

from __future__ import annotations

from flask import render_template

from webapp.auth import login_required
from webapp.inbox.blueprint import blueprint


@blueprint.route("/")
@login_required(role="agent")
def home(slug: str) -> str:
    return render_template("inbox/home.html")
