"""Mounts the routes snap-ins declare (hook ``snapdesk_routes``) under ``/<slug>/snapins/<id>/``.

A route answers 404 in a workspace where its snap-in is not enabled, and enforces the route's
``access`` before the snap-in's view runs.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, redirect, request
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from core.db import commit, db
from core.models import SnapinSetting, Workspace
from core.runtime import get_runtime
from hooks.types import Route, RouteRequest, RouteResponse

log = logging.getLogger("snapdesk.snapin_routes")


def register_snapin_routes(app: Flask) -> None:
    registry = app.extensions["snapdesk"].registry
    for snapin in registry.loaded():
        impl = registry.implementations("snapdesk_routes").get(snapin.id)
        if impl is None:
            continue
        try:
            routes: list[Route] = impl.function() or []
        except Exception:  # noqa: BLE001 - a snap-in's bug must not stop the app
            log.exception("snap-in %s failed to declare its routes", snapin.id)
            continue
        blueprint = Blueprint(f"snapin_{snapin.id}", __name__, url_prefix=f"/<slug>/snapins/{snapin.id}")
        for route in routes:
            blueprint.add_url_rule(
                route.rule, endpoint=route.endpoint, view_func=_make_view(snapin.id, route), methods=list(route.methods)
            )
        app.register_blueprint(blueprint)


def _make_view(snapin_id: str, route: Route):
    def view(slug: str, **params: Any):
        from webapp.auth import current_viewer
        from webapp.tenancy import workspace_by_slug

        workspace = workspace_by_slug(slug)
        setting = db.session.scalar(
            select(SnapinSetting).where(
                SnapinSetting.workspace_id == workspace.id,
                SnapinSetting.snapin_id == snapin_id,
                SnapinSetting.enabled.is_(True),
            )
        )
        if setting is None:
            abort(404)
        viewer = current_viewer(workspace)
        if route.access == "contact" and viewer.kind == "anonymous":
            runtime = get_runtime()
            return redirect(runtime.urls.sign_in(workspace.slug, request.url))
        if route.access == "contact" and viewer.kind not in ("contact", "agent"):
            abort(403)
        if route.access in ("agent", "admin") and viewer.kind != "agent":
            abort(403)
        if route.access == "admin" and (viewer.user is None or viewer.user.role != "admin"):
            abort(403)
        context = get_runtime().dispatcher.make_context(workspace, setting)
        route_request = RouteRequest(
            method=request.method,
            path=request.path,
            args=request.args.to_dict(),
            form=request.form.to_dict(),
            json=request.get_json(silent=True),
            viewer=viewer,
            csrf_token=generate_csrf() if current_app.extensions.get("csrf") else "",
        )
        dispatcher = get_runtime().dispatcher
        try:
            result: RouteResponse = route.view(context, route_request, **params)
            commit()
        except Exception as exc:  # noqa: BLE001 - a snap-in's bug is isolated like in any hook call
            db.session.rollback()
            setting = db.session.get(SnapinSetting, setting.id)
            dispatcher.record_failure(setting, f"route {route.endpoint}", exc)
            commit()
            abort(503, description=f"This page of the snap-in '{snapin_id}' failed; the admin has been told.")
        if result.redirect_to:
            return redirect(result.redirect_to)
        return Response(result.body, status=result.status, content_type=result.content_type, headers=dict(result.headers))

    view.__name__ = f"{snapin_id}_{route.endpoint}"
    return view


