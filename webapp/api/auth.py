"""Token authentication for the API.

``Authorization: Bearer <token>`` carries an agent's personal token (core.identity.issue_api_token).
Order of checks, and why:

1. no or unknown token -> 401 with ``WWW-Authenticate`` (says nothing about workspaces);
2. the URL's workspace does not exist, or is not the token's workspace -> the *same* 404, so a
   token never learns which other workspaces exist;
3. an admin-only endpoint and an agent's token -> 403.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from core.db import commit
from core.models import User, Workspace
from core.workspaces import get_by_slug

REALM = 'Bearer realm="snapdesk"'
#: One body for "no such workspace" and "not your workspace".
WORKSPACE_NOT_FOUND = "Not found."


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 512:
        return None
    return token


class TokenRequired(Unauthorized):
    """401 that carries the ``WWW-Authenticate`` challenge (added by webapp.api.errors)."""

    def __init__(self, description: str, error: str | None = None) -> None:
        super().__init__(description)
        self.challenge = REALM if error is None else f'{REALM}, error="{error}"'


def workspace_or_404(slug: str) -> Workspace:
    workspace = get_by_slug(slug) if len(slug) <= 63 else None
    if workspace is None:
        raise NotFound(WORKSPACE_NOT_FOUND)
    return workspace


def authenticate(slug: str | None) -> tuple[Workspace | None, User]:
    """The workspace of the URL and the token's agent, or the HTTP error the module docstring lists."""
    from core.identity import user_for_api_token

    token = bearer_token()
    if token is None:
        raise TokenRequired("Send an agent's API token: Authorization: Bearer <token>.")
    user = user_for_api_token(token)
    # Keep the token's last use even when the request itself writes nothing.
    commit()
    if user is None:
        raise TokenRequired("The API token is not valid.", "invalid_token")
    if slug is None:
        return None, user
    workspace = get_by_slug(slug) if len(slug) <= 63 else None
    if workspace is None or workspace.id != user.workspace_id:
        raise NotFound(WORKSPACE_NOT_FOUND)
    return workspace, user


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Only workspace admins may do this.")
