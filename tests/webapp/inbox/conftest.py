"""Fixtures for the inbox tests: a workspace with an account, a customer, a signed-in agent, and a
second workspace ("globex") whose data must never show up in acme's inbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core import conversations
from core.db import commit
from core.models import Account, Contact, Conversation, User, Workspace
from core.people import create_account, create_contact, find_user_by_email
from core.stages import Stage
from core.workspaces import create_workspace


@dataclass
class Desk:
    workspace: Workspace
    agent: User
    admin: User
    account: Account
    customer: Contact

    def start(self, body: str = "My invoice is wrong", *, title: str = "", contact: Contact | None = None,
              channel: str = "widget") -> Conversation:
        conversation = conversations.start_conversation(
            self.workspace, body=body, title=title, channel=channel, contact=contact or self.customer
        )
        commit()
        return conversation

    def reply(self, conversation: Conversation, body: str = "We are on it") -> None:
        conversations.post_message(self.workspace, conversation, body=body, author_user=self.agent)
        commit()

    def customer_writes(self, conversation: Conversation, body: str = "Still broken") -> None:
        conversations.post_message(self.workspace, conversation, body=body, author_contact=conversation.contact)
        commit()

    def in_stage(self, stage: Stage, body: str = "Help please") -> Conversation:
        """A conversation brought to ``stage`` through legal moves only."""
        conversation = self.start(body)
        path = {
            Stage.NEW: [],
            Stage.SUSPENDED: [Stage.SUSPENDED],
            Stage.WAITING_ON_USER: [Stage.WAITING_ON_USER],
            Stage.NEEDS_RESPONSE: [Stage.WAITING_ON_USER, Stage.NEEDS_RESPONSE],
            Stage.HOLD: [Stage.WAITING_ON_USER, Stage.NEEDS_RESPONSE, Stage.HOLD],
            Stage.RESOLVED: [Stage.WAITING_ON_USER, Stage.NEEDS_RESPONSE, Stage.RESOLVED],
            Stage.ARCHIVED: [Stage.WAITING_ON_USER, Stage.NEEDS_RESPONSE, Stage.RESOLVED, Stage.ARCHIVED],
        }[stage]
        for step in path:
            conversations.change_stage(self.workspace, conversation, step, by_kind="dev", by_user=self.agent)
        commit()
        return conversation


def _desk(workspace: Workspace, domain: str) -> Desk:
    agent = find_user_by_email(workspace.id, f"agent@{domain}")
    admin = find_user_by_email(workspace.id, f"admin@{domain}")
    account = create_account(workspace, name=f"{workspace.name} Customer Co", domains=[f"customer.{domain}"], default_owner_id=agent.id)
    customer = create_contact(workspace, email=f"carol@customer.{domain}", name="Carol Customer", verified=True)
    commit()
    return Desk(workspace, agent, admin, account, customer)


@pytest.fixture
def desk(workspace) -> Desk:
    return _desk(workspace, "acme.test")


@pytest.fixture
def other_desk(app) -> Desk:
    from core.people import create_user

    workspace = create_workspace(slug="globex", name="Globex", admin_email="admin@globex.test", admin_password="admin-pass-1")
    create_user(workspace, email="agent@globex.test", name="Greta Globex", role="agent", password="agent-pass-1")
    commit()
    return _desk(workspace, "globex.test")


@pytest.fixture
def agent_client(client, desk, sign_in) -> Any:
    """The test client signed in as acme's agent."""
    sign_in(client, desk.workspace, user=desk.agent)
    return client


def flashes(response) -> str:
    """The page's text (for asserting flashed sentences)."""
    return response.get_data(as_text=True)
