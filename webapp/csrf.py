"""CSRF protection of the web app's forms (Flask-WTF's ``CSRFProtect``), one instance per app.

Every POST/PUT/PATCH/DELETE to a page needs the session's token: forms carry it as the hidden
field ``csrf_token`` (``{{ csrf_token() }}`` in templates), scripts as the ``X-CSRFToken`` header.
Exempt are blueprints that do not authenticate by cookie: the REST API (bearer tokens) and the
widget's API, plus the routes snap-ins add (they cannot render our token; see the report).
"""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError, CSRFProtect

#: Blueprints (by name) that authenticate without the session cookie.
EXEMPT_BLUEPRINTS = frozenset({"api", "widget"})
#: Blueprints whose name starts with this are snap-in routes (webapp/snapin_routes.py).
SNAPIN_ROUTES_PREFIX = "snapin_"
#: What a person reads when a form comes back without a valid token (an old tab, a lost session).
STALE_FORM = "This form has expired. Go back, reload the page and try again."


def init_csrf(app: Flask) -> CSRFProtect:
    """Protect ``app``; call after every blueprint is registered (exemptions are by blueprint)."""
    csrf = CSRFProtect(app)
    for name, blueprint in app.blueprints.items():
        if name in EXEMPT_BLUEPRINTS or name.startswith(SNAPIN_ROUTES_PREFIX):
            csrf.exempt(blueprint)

    @app.errorhandler(CSRFError)
    def stale_form(exc: CSRFError):
        from webapp.errors import _page

        return _page(400, STALE_FORM)

    return csrf
