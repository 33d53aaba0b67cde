"""API-specific error responses (the app-wide handlers in webapp.errors already answer JSON under /api/).

Adds the ``WWW-Authenticate`` challenge to 401s, and turns database integrity errors (a race
between two writers, a constraint the services did not foresee) into a 409 instead of a 500.
"""

from __future__ import annotations

import logging

from flask import jsonify
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Unauthorized

from core.db import db
from core.errors import LoginError
from webapp.api.auth import REALM
from webapp.api.blueprint import blueprint
from webapp.errors import error_body

log = logging.getLogger("snapdesk.api")


@blueprint.errorhandler(Unauthorized)
def unauthorized(exc: Unauthorized):
    response = jsonify(error_body(401, exc.description or "Authentication required."))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = getattr(exc, "challenge", REALM)
    return response


@blueprint.errorhandler(IntegrityError)
def integrity_error(exc: IntegrityError):
    db.session.rollback()
    log.warning("API write refused by a database constraint: %s", exc.orig)
    return jsonify(error_body(409, "The change conflicts with existing data.")), 409


@blueprint.errorhandler(LoginError)
def login_error(exc: LoginError):
    # A failed sign-in is a 401 too, so it carries the challenge like any other.
    db.session.rollback()
    response = jsonify(error_body(401, str(exc)))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = REALM
    return response
