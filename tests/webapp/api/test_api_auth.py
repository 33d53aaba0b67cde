"""Token auth: 401 with a challenge, one 404 for unknown and foreign workspaces, 403 for agents on admin endpoints."""

from __future__ import annotations

from conftest import Api


def test_agent_logs_in_over_the_api_and_uses_the_token(client, workspace):
    api = Api(client)
    response = api.post("/workspaces/acme/tokens", {"email": "agent@acme.test", "password": "agent-pass-1"}, token=None)
    assert response.status_code == 201
    token = response.json["token"]
    assert response.json["user"]["email"] == "agent@acme.test"
    assert "password" not in str(response.json)
    listing = api.get("/workspaces/acme/users", token=token)
    assert listing.status_code == 200
    assert {u["email"] for u in listing.json["items"]} == {"admin@acme.test", "agent@acme.test"}


def test_wrong_password_is_401_and_issues_nothing(client, workspace):
    from sqlalchemy import func, select

    from core.db import db
    from core.models import ApiToken

    response = Api(client).post("/workspaces/acme/tokens", {"email": "agent@acme.test", "password": "nope-nope"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["error"]["message"] == "Email or password is not right."
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_token_login_for_unknown_workspace_is_404(client, workspace):
    response = Api(client).post("/workspaces/nowhere/tokens", {"email": "agent@acme.test", "password": "agent-pass-1"})
    assert response.status_code == 404


def test_missing_and_invalid_tokens_are_401_with_challenge(client, workspace):
    api = Api(client)
    for token in (None, "sdk_not-a-real-token", ""):
        response = api.get("/workspaces/acme/conversations", token=token)
        assert response.status_code == 401, token
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="snapdesk"')
        assert response.json["error"]["status"] == 401
    basic = api.get("/workspaces/acme/conversations", token=None, headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401


def test_invalid_token_error_says_invalid_token(client, workspace):
    response = Api(client).get("/workspaces/acme/users", token="sdk_forged")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_unknown_and_foreign_workspace_give_the_same_404(client, workspace, other_api):
    foreign = other_api.get("/workspaces/acme/conversations")
    unknown = other_api.get("/workspaces/no-such-place/conversations")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json == unknown.json
    assert "acme" not in foreign.get_data(as_text=True)


def test_agents_get_403_on_admin_endpoints(agent_api, admin_api):
    for method, path in [
        ("GET", "/workspaces/acme/snapins"),
        ("POST", "/workspaces/acme/snapins/greeter/enable"),
        ("POST", "/workspaces/acme/snapins/greeter/disable"),
        ("GET", "/workspaces/acme/portal-settings"),
    ]:
        assert agent_api.call(method, path).status_code == 403, path
        assert admin_api.call(method, path).status_code == 200, path
    assert agent_api.put("/workspaces/acme/snapins/greeter/config", {"config": {}}).status_code == 403
    assert agent_api.patch("/workspaces/acme/portal-settings", {"features": {"tickets": False}}).status_code == 403


def test_token_use_is_recorded(admin_api, workspace):
    from sqlalchemy import select

    from core.db import db
    from core.models import ApiToken

    assert admin_api.get("/workspaces/acme/users").status_code == 200
    db.session.rollback()  # what the request did not commit is gone
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None
