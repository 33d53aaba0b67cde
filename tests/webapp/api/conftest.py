"""Fixtures for the REST API tests: an app with a configurable test snap-in, tokens, a second
workspace with look-alike data, and a small client wrapper."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import marshmallow
import pytest

from hooks import Snapin


class Greeter(Snapin):
    """A test snap-in with a plain and a secret config field."""

    title = "Greeter"
    description = "Says hello (test snap-in)."

    class config_schema(marshmallow.Schema):  # noqa: N801 - the manifest's attribute name
        greeting = marshmallow.fields.String(load_default="hello")
        api_key = marshmallow.fields.String(load_default="", metadata={"secret": True})


@pytest.fixture
def app(make_app):
    return make_app(snapins={"greeter": Greeter})


@dataclass
class Api:
    """Calls ``/api/v1`` with a bearer token; ``json`` bodies are sent as application/json."""

    client: Any
    token: str | None = None

    def call(self, method: str, path: str, *, token: Any = ..., **kwargs: Any):
        headers = dict(kwargs.pop("headers", {}) or {})
        token = self.token if token is ... else token
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("/api/") else "/api/v1" + path
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kw: Any):
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any):
        return self.call("POST", path, json=json, **kw) if json is not None else self.call("POST", path, **kw)

    def put(self, path: str, json: Any = None, **kw: Any):
        return self.call("PUT", path, json=json, **kw) if json is not None else self.call("PUT", path, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any):
        return self.call("PATCH", path, json=json, **kw)

    def delete(self, path: str, **kw: Any):
        return self.call("DELETE", path, **kw)


def token_for(workspace, email: str) -> str:
    from core.db import commit
    from core.identity import issue_api_token
    from core.people import find_user_by_email

    token = issue_api_token(find_user_by_email(workspace.id, email), "test")
    commit()
    return token


@pytest.fixture
def admin_api(client, workspace) -> Api:
    return Api(client, token_for(workspace, "admin@acme.test"))


@pytest.fixture
def agent_api(client, workspace) -> Api:
    return Api(client, token_for(workspace, "agent@acme.test"))


@pytest.fixture
def agent(workspace):
    from core.people import find_user_by_email

    return find_user_by_email(workspace.id, "agent@acme.test")


@dataclass
class Seeded:
    """Ids of one workspace's rows, per kind (what isolation tests look for in listings)."""

    workspace: Any
    ids: dict[str, int] = field(default_factory=dict)
    all_ids: dict[str, set[int]] = field(default_factory=dict)


def seed(workspace, tag: str) -> Seeded:
    """Look-alike data in ``workspace``: an account, a contact, a conversation, a ticket with a
    comment, a published article (titles share words across workspaces, so searches overlap)."""
    from core import articles, conversations, people, tickets
    from core.db import commit

    admin = people.find_user_by_email(workspace.id, f"admin@{workspace.slug}.test")
    account = people.create_account(workspace, name=f"Globex {tag}", domains=[f"globex-{tag}.test"],
                                    default_owner_id=admin.id)
    contact = people.create_contact(workspace, email=f"carol@globex-{tag}.test", name="Carol", verified=True)
    conversation = conversations.start_conversation(
        workspace, body="My shipping label is wrong", title="Shipping label", channel="portal", contact=contact
    )
    conversations.set_tag(workspace, conversation, "stalled")
    ticket = tickets.create_ticket(workspace, title="Shipping label broken", body="details", reported_by=[contact])
    comment = tickets.add_comment(workspace, ticket, body="Looking", author_user=admin)
    article = articles.create_article(workspace, title="Shipping labels explained", body="<p>How shipping works</p>")
    articles.publish_article(workspace, article)
    commit()
    ids = {
        "account_id": account.id, "contact_id": contact.id, "conversation_id": conversation.id,
        "ticket_id": ticket.id, "article_id": article.id, "comment_id": comment.id, "user_id": admin.id,
        "message_id": conversation.messages[0].id,
    }
    seeded = Seeded(workspace, ids)
    seeded.all_ids = {
        "users": {u.id for u in people.list_users(workspace.id)},
        "accounts": {account.id}, "contacts": {contact.id}, "conversations": {conversation.id},
        "tickets": {ticket.id}, "articles": {article.id},
    }
    return seeded


@pytest.fixture
def seeded(workspace) -> Seeded:
    return seed(workspace, "a")


@pytest.fixture
def other_workspace(app):
    """A second workspace "beta" with an admin and an agent."""
    from core.db import commit
    from core.people import create_user
    from core.workspaces import create_workspace

    beta = create_workspace(slug="beta", name="Beta", admin_email="admin@beta.test", admin_password="admin-pass-2")
    create_user(beta, email="agent@beta.test", name="Bea Agent", password="agent-pass-2")
    commit()
    return beta


@pytest.fixture
def other_api(client, other_workspace) -> Api:
    return Api(client, token_for(other_workspace, "admin@beta.test"))
