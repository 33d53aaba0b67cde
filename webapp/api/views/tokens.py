"""Agent login over the API: email + password -> a personal API token."""

from __future__ import annotations

from typing import Any

from core.db import commit
from core.identity import authenticate_agent, issue_api_token
from core.models import Workspace
from webapp.api.routing import api_route
from webapp.api.schemas.people import TokenRequestSchema, TokenSchema
from webapp.api.views.common import WS


@api_route(f"{WS}/tokens", "POST", tag="auth", access="none", body=TokenRequestSchema, response=TokenSchema, status=201)
def create_token(*, workspace: Workspace, body: dict[str, Any]) -> dict[str, Any]:
    """Sign in as an agent and get an API token.

    The token is shown once; send it as ``Authorization: Bearer <token>``. Wrong email or password: 401.
    """
    user = authenticate_agent(workspace, body["email"], body["password"])
    token = issue_api_token(user, body["name"])
    commit()
    return {"token": token, "user": user}
