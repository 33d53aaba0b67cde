"""CSRF protection of the web app's forms (Flask-WTF's ``CSRFProtect``), one instance per app.

Every POST/PUT/PATCH/DELETE to a page needs the session's token: forms carry it as the hidden
field ``csrf_token`` (``{{ csrf_token() }}`` in templates), scripts as the ``X-CSRFToken`` header.
Exempt are blueprints that do not authenticate by cookie: the REST API (bearer tokens) and the
widget's API. Snap-in routes are protected too: the portal renders their POST page actions with
the token, and a snap-in view that renders its own form gets it as ``RouteRequest.csrf_token``.
"""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError, CSRFProtect

#: Blueprints (by name) that authenticate without the session cookie.
EXEMPT_BLUEPRINTS = frozenset({"api", "widget"})
#: What a person reads when a form comes back without a valid token (an old tab, a lost session).
STALE_FORM = "This form has expired. Go back, reload the page and try again."


def init_csrf(app: Flask) -> CSRFProtect:
    """Protect ``app``; call after every blueprint is registered (exemptions are by blueprint)."""
    csrf = CSRFProtect(app)
    for name, blueprint in app.blueprints.items():
        if name in EXEMPT_BLUEPRINTS:
            csrf.exempt(blueprint)

    @app.errorhandler(CSRFError)
    def stale_form(exc: CSRFError):
        from webapp.errors import _page

        return _page(400, STALE_FORM)

    return csrf
