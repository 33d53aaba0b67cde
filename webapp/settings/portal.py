"""Settings > Portal: feature switches, appearance (with a live preview), locales, custom domain,
the application access token secret for JWT sign-in, and the widget (PLuG) styling.

``GET  /settings/<slug>/portal``              the page
``GET  /settings/<slug>/portal/preview``      the portal home with a *draft* appearance (query string)
``POST /settings/<slug>/portal/features``     feature switches (+ banner text)
``POST /settings/<slug>/portal/appearance``   publish the appearance
``POST /settings/<slug>/portal/locales``      default and enabled locales
``POST /settings/<slug>/portal/domain``       custom portal domain
``POST /settings/<slug>/portal/token``        rotate the application access token secret
``POST /settings/<slug>/portal/widget``       the widget's look and behaviour

Each form stores one section through :func:`core.portal_settings.update_settings`; a submission
with errors re-shows the page (422) with what the admin typed and each message beside its input,
and stores nothing. The preview never stores anything: it renders the real portal home template
with the draft layered over the stored appearance (invalid draft values fall back to the stored ones).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import before_render_template, current_app, flash, g, make_response, redirect, render_template, request, url_for
from marshmallow import RAISE
from werkzeug.wrappers import Response

from core.db import commit, db
from core.errors import Conflict, ValidationError
from core.identity import jwt_audience
from core.models import Workspace
from core.portal_settings import AppearanceSchema, get_settings
from core.workspaces import rotate_app_token_secret, set_custom_domain
from hooks.types import Viewer
from webapp.auth import login_required
from webapp.settings.blueprint import blueprint
from webapp.settings.sections import (
    HEADER_TABS,
    Errors,
    appearance_from_form,
    check_locales,
    features_from_form,
    locales_from_form,
    save_sections,
    widget_from_form,
)

#: (name, label, help) of each feature switch, in page order.
FEATURES: tuple[tuple[str, str, str], ...] = (
    ("knowledge_base", "Knowledge base", "Articles and collections on the portal."),
    ("knowledge_base_public", "Knowledge base is public", "Anyone may read and search it without signing in."),
    ("tickets", "Tickets", "Customers create and follow tickets (the “+ Ticket” button)."),
    ("tickets_public", "Tickets are public", "Anonymous visitors see the tickets pages; creating a ticket still needs sign-in."),
    ("banner", "Communication banner", "A line of text above the portal header (write it below)."),
    ("ai_search", "AI search (not available yet)", "Reserved for semantic search, which needs a language model this installation does not ship; the portal uses keyword search whatever this says."),
    ("pdf_export", "PDF export", "Readers may download articles as PDF (with the PDF download snap-in)."),
    ("article_subscriptions", "Article subscriptions", "Readers may subscribe to article updates (with the article follow snap-in)."),
    ("plug_on_portal", "PLuG on portal", "Show the chat widget on portal pages."),
)
#: Locales offered as checkboxes (others can be typed).
LOCALE_CHOICES = ("en", "fr", "de", "es", "it", "nl", "pt-BR", "ja")
#: How many characters of the secret the masked display shows.
SECRET_HINT = 4


def cname_target() -> str:
    """The host a custom domain's CNAME record points at: this server's public host."""
    return urlsplit(current_app.config.get("BASE_URL") or "").hostname or "this server"


def masked(secret: str | None) -> str:
    if not secret:
        return "(none)"
    return secret[:SECRET_HINT] + "•" * 12


def _page(
    workspace: Workspace,
    *,
    draft: dict[str, dict[str, Any]] | None = None,
    errors: Errors | None = None,
    domain_value: str | None = None,
    new_secret: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    settings = get_settings(workspace)
    for section, values in (draft or {}).items():
        settings.setdefault(section, {}).update(values)
    locale_choices = list(LOCALE_CHOICES)
    for code in settings["locales"].get("enabled") or []:
        if code not in locale_choices:
            locale_choices.append(code)
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    html = render_template(
        "settings/portal.html",
        active_section="portal",
        settings=settings,
        errors=errors or {},
        features=FEATURES,
        header_tabs=HEADER_TABS,
        locale_choices=locale_choices,
        domain_value=workspace.custom_domain or "" if domain_value is None else domain_value,
        cname_target=cname_target(),
        secret_masked=masked(workspace.app_token_secret),
        new_secret=new_secret,
        audience=jwt_audience(workspace),
        jwt_login_url=f"{base}/{workspace.slug}/login/jwt",
        portal_url=f"{base}/{workspace.slug}/",
    )
    return html, status


def _failed(section_drafts: dict[str, dict[str, Any]], errors: Errors) -> tuple[str, int]:
    db.session.rollback()
    return _page(g.workspace, draft=section_drafts, errors=errors, status=422)


def _done(message: str, anchor: str) -> Response:
    flash(message, "success")
    return redirect(url_for("settings.portal", slug=g.workspace.slug) + f"#{anchor}")


@blueprint.route("/portal")
@login_required(role="admin")
def portal(slug: str) -> tuple[str, int]:
    return _page(g.workspace)


@blueprint.route("/portal/features", methods=["POST"])
@login_required(role="admin")
def portal_features(slug: str) -> Response | tuple[str, int]:
    changes = {
        "features": features_from_form(request.form),
        "appearance": {"banner_text": str(request.form.get("appearance-banner_text") or "").strip()},
    }
    errors = save_sections(g.workspace, changes)
    if errors:
        return _failed(changes, errors)
    commit()
    return _done("The portal features are saved.", "features")


@blueprint.route("/portal/appearance", methods=["POST"])
@login_required(role="admin")
def portal_appearance(slug: str) -> Response | tuple[str, int]:
    changes = {"appearance": appearance_from_form(request.form)}
    errors = save_sections(g.workspace, changes)
    if errors:
        return _failed(changes, errors)
    commit()
    return _done("The appearance is published: the portal shows it now.", "appearance")


@blueprint.route("/portal/locales", methods=["POST"])
@login_required(role="admin")
def portal_locales(slug: str) -> Response | tuple[str, int]:
    values = locales_from_form(request.form)
    changes = {"locales": values}
    errors = check_locales(values) or save_sections(g.workspace, changes)
    if errors:
        return _failed(changes, errors)
    commit()
    return _done("The portal languages are saved.", "locales")


@blueprint.route("/portal/widget", methods=["POST"])
@login_required(role="admin")
def portal_widget(slug: str) -> Response | tuple[str, int]:
    changes = {"widget": widget_from_form(request.form)}
    errors = save_sections(g.workspace, changes)
    if errors:
        return _failed(changes, errors)
    commit()
    return _done("The widget settings are saved.", "widget")


@blueprint.route("/portal/domain", methods=["POST"])
@login_required(role="admin")
def portal_domain(slug: str) -> Response | tuple[str, int]:
    typed = str(request.form.get("custom_domain") or "")
    try:
        set_custom_domain(g.workspace, typed)
    except ValidationError as exc:
        db.session.rollback()
        return _page(g.workspace, errors={"domain": exc.fields.get("custom_domain", [exc.message])}, domain_value=typed, status=422)
    except Conflict as exc:
        db.session.rollback()
        return _page(g.workspace, errors={"domain": [str(exc)]}, domain_value=typed, status=422)
    commit()
    domain = g.workspace.custom_domain
    return _done(f"The portal answers at {domain} once its DNS points here." if domain else "The custom domain is removed.", "domain")


@blueprint.route("/portal/token", methods=["POST"])
@login_required(role="admin")
def portal_token(slug: str) -> tuple[str, int]:
    """Rotate the secret and show the new one in this response only (never stored in the session)."""
    secret = rotate_app_token_secret(g.workspace)
    commit()
    flash("A new application access token secret is in effect; tokens signed with the old one no longer work.", "success")
    html, status = _page(g.workspace, new_secret=secret)
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]


# -- Live preview -------------------------------------------------------------------------------


def draft_appearance(args: Any) -> tuple[dict[str, Any], Errors]:
    """The valid part of the draft in ``args`` and the messages for the rest (shown, never stored)."""
    draft = appearance_from_form(args) if "appearance-theme" in args else {}
    problems = AppearanceSchema(unknown=RAISE).validate(draft)
    valid = {name: value for name, value in draft.items() if name not in problems}
    return valid, {f"appearance.{name}": [str(problems[name])] for name in problems}


@blueprint.route("/portal/preview")
@login_required(role="admin")
def portal_preview(slug: str) -> Response:
    """The portal home as an anonymous visitor would see it with the draft appearance.

    It runs the portal's own home view (``portal.home``) with the portal's template context, so the
    preview is the real page; only the appearance differs. A private knowledge base is shown as
    if public: the preview is about the look, not about who may read.
    """
    from webapp.portal import load_portal

    workspace: Workspace = g.workspace
    admin_user = g.user
    load_portal(workspace)
    g.user = admin_user
    g.contact = None
    g.viewer = Viewer(kind="anonymous")
    valid, _problems = draft_appearance(request.args)
    g.portal_settings["appearance"].update(valid)
    g.portal_settings["features"]["knowledge_base_public"] = True
    response = make_response(_render_with_portal_context(current_app.view_functions["portal.home"]))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _render_with_portal_context(view: Any) -> Any:
    """Call a portal view from this (settings) request, giving its templates the context the
    ``portal`` blueprint's context processors give (Flask only runs them for portal requests)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    processors = list(app.template_context_processors.get("portal", []))

    def add_portal_context(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
        for processor in processors:
            for key, value in processor().items():
                context.setdefault(key, value)  # as Flask does: the view's own values win

    with before_render_template.connected_to(add_portal_context, app):
        return view()
