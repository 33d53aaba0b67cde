"""Registers every blueprint on the app (one place to see the web app's parts)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from webapp.csrf import init_csrf
    from webapp.errors import register_error_handlers
    from webapp.inbox import blueprint as inbox_blueprint
    from webapp.layout import init_layout
    from webapp.settings import blueprint as settings_blueprint
    from webapp.snapin_routes import register_snapin_routes

    register_error_handlers(app)
    init_layout(app)
    from webapp.i18n import init_i18n

    init_i18n(app)
    from webapp.api import blueprint as api_blueprint

    app.register_blueprint(api_blueprint)
    app.register_blueprint(inbox_blueprint)
    app.register_blueprint(settings_blueprint)
    from webapp.inbound_mail import blueprint as inbound_mail_blueprint
    from webapp.widget import blueprint as widget_blueprint

    app.register_blueprint(widget_blueprint)
    app.register_blueprint(inbound_mail_blueprint)
    from webapp.portal import blueprint as portal_blueprint

    # Snap-in routes first: /<slug>/snapins/... must not be taken for a portal page.
    register_snapin_routes(app)
    app.register_blueprint(portal_blueprint)
    from webapp.portal.seo import blueprint as portal_locale_blueprint

    # /<locale>/<slug>/...: the knowledge base's SEO addresses (views in webapp/portal/kb.py).
    app.register_blueprint(portal_locale_blueprint)
    # Last: exemptions are looked up among the registered blueprints.
    csrf = init_csrf(app)
    csrf.exempt(inbound_mail_blueprint)  # raw mail from a provider's webhook: authorized by its token
