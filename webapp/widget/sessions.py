"""Who is chatting: user tokens from the company's server, and the widget's own session tokens.

A *user token* is a JWT the company's server signs (HS256, the workspace's application secret,
``aud`` = :func:`core.identity.jwt_audience`, ``exp`` required, ``email`` required, ``sub`` = the
company's user id). Unlike a portal sign-in token it is not one-time: the host page may reload
with the same token until it expires, and the widget exchanges it for a session each time.

A *session token* is what the widget keeps (sessionStorage) and sends as ``Authorization: Bearer``:
an itsdangerous signature with the app's SECRET_KEY over (workspace id, contact id, identified).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from core.db import db
from core.errors import LoginError, ValidationError
from core.identity import JWT_LEEWAY, JWT_MAX_LIFETIME, jwt_audience
from core.models import Contact, Workspace
from core.people import create_contact, find_contact_by_email, normalize_email
from core.portal_settings import get_settings

#: How long a widget session lasts (a visitor who comes back later gets a new one).
SESSION_MAX_AGE = 30 * 24 * 3600
_SALT = "snapdesk-widget-session"
ANONYMOUS_NAME = "Visitor"
IDENTITY_REQUIRED = "This chat is for signed-in users only: the website must pass a signed user token (data-user-token)."
BAD_SESSION = "Your chat session is not valid or has expired; reload the page to start a new one."


@dataclass(frozen=True)
class WidgetSession:
    workspace_id: int
    contact_id: int
    identified: bool


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_session(workspace: Workspace, contact: Contact, *, identified: bool) -> str:
    return _serializer().dumps({"w": workspace.id, "c": contact.id, "i": identified})


def read_session(workspace: Workspace, token: str | None) -> WidgetSession:
    """The session a token carries, for this workspace only; :class:`LoginError` (401) otherwise."""
    if not token:
        raise LoginError("Start a chat session first (POST /session) and send its token as 'Authorization: Bearer <token>'.")
    try:
        data = _serializer().loads(token, max_age=SESSION_MAX_AGE)
    except SignatureExpired:
        raise LoginError(BAD_SESSION) from None
    except BadSignature:
        raise LoginError(BAD_SESSION) from None
    if not isinstance(data, dict) or data.get("w") != workspace.id or not isinstance(data.get("c"), int):
        # A session of another workspace is as good as none here.
        raise LoginError(BAD_SESSION)
    return WidgetSession(workspace_id=workspace.id, contact_id=data["c"], identified=bool(data.get("i")))


def _user_token_reason(exc: jwt.PyJWTError, workspace: Workspace) -> str:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "it has expired"
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f'it lacks the claim "{exc.claim}"'
    if isinstance(exc, jwt.InvalidAudienceError):
        return f'its audience must be "{jwt_audience(workspace)}"'
    if isinstance(exc, jwt.InvalidSignatureError):
        return "its signature does not match this workspace's application secret"
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return "it must be signed with HS256"
    if isinstance(exc, jwt.ImmatureSignatureError):
        return "it is not valid yet"
    if isinstance(exc, jwt.DecodeError):
        return "it is malformed"
    return str(exc)


def verify_user_token(workspace: Workspace, token: str) -> dict[str, Any]:
    """The claims of a valid user token; :class:`LoginError` "This user token is not valid: <reason>"."""
    def refuse(reason: str) -> LoginError:
        return LoginError(f"This user token is not valid: {reason}.")

    try:
        claims = jwt.decode(
            token.strip(), workspace.app_token_secret, algorithms=["HS256"], audience=jwt_audience(workspace),
            leeway=JWT_LEEWAY, options={"require": ["exp", "aud", "email"]},
        )
    except jwt.PyJWTError as exc:
        raise refuse(_user_token_reason(exc, workspace)) from None
    exp = claims["exp"]
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise refuse('the claim "exp" must be a number of seconds since 1970')
    iat = claims.get("iat")
    if isinstance(iat, (int, float)) and not isinstance(iat, bool) and exp - iat > JWT_MAX_LIFETIME:
        raise refuse("it lives longer than 1 hour")
    try:
        claims["email"] = normalize_email(claims["email"] if isinstance(claims["email"], str) else None)
    except ValidationError:
        raise refuse('the claim "email" is not a valid email address') from None
    return claims


def contact_for_claims(workspace: Workspace, claims: dict[str, Any]) -> Contact:
    """The contact a user token names: by ``sub`` (external id) first, then by email; created if new.

    A new contact is created unverified: the widget trusts the company's token for the chat, but
    portal access stays governed by :func:`core.identity.admit`.
    """
    external_id = str(claims["sub"])[:200] if claims.get("sub") not in (None, "") else None
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    contact = None
    if external_id is not None:
        contact = db.session.scalar(
            select(Contact).where(Contact.workspace_id == workspace.id, Contact.external_id == external_id)
        )
    if contact is None:
        contact = find_contact_by_email(workspace.id, claims["email"])
        if contact is not None and external_id and not contact.external_id:
            contact.external_id = external_id
    if contact is None:
        contact = create_contact(workspace, email=claims["email"], name=name[:200], external_id=external_id)
    elif name and not contact.name:
        contact.name = name.strip()[:200]
    db.session.flush()
    return contact


def start_session(workspace: Workspace, user_token: str | None) -> tuple[Contact, bool]:
    """The contact of a new widget session and whether it is identified.

    A user token -> its contact; none -> a new anonymous visitor contact, unless the widget
    requires identity (:class:`LoginError`). Flushes; the caller commits.
    """
    if user_token is not None and str(user_token).strip():
        return contact_for_claims(workspace, verify_user_token(workspace, str(user_token))), True
    if get_settings(workspace)["widget"].get("require_identity"):
        raise LoginError(IDENTITY_REQUIRED)
    return create_contact(workspace, email=None, name=ANONYMOUS_NAME), False
