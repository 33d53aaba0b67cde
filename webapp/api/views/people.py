"""Users (agents, read-only), accounts and contacts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core import people
from core.db import commit, get_scoped
from core.models import Account, AccountDomain, Contact, User, Workspace
from webapp.api.routing import api_route
from webapp.api.schemas.common import page_of
from webapp.api.schemas.people import (
    AccountCreateSchema,
    AccountQuerySchema,
    AccountSchema,
    AccountUpdateSchema,
    ContactCreateSchema,
    ContactQuerySchema,
    ContactSchema,
    ContactUpdateSchema,
    UserQuerySchema,
    UserSchema,
)
from webapp.api.views.common import ID, WS, paged, referenced

# -- Users -------------------------------------------------------------------------------------


@api_route(f"{WS}/users", "GET", tag="users", query=UserQuerySchema, response=page_of(UserSchema))
def list_users(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List the workspace's agents and admins."""
    rows = select(User).where(User.workspace_id == workspace.id)
    if "role" in query:
        rows = rows.where(User.role == query["role"])
    return paged(rows.order_by(User.name, User.id), query)


# -- Accounts ----------------------------------------------------------------------------------


@api_route(f"{WS}/accounts", "GET", tag="accounts", query=AccountQuerySchema, response=page_of(AccountSchema))
def list_accounts(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List customer accounts (organisations)."""
    rows = select(Account).where(Account.workspace_id == workspace.id)
    if "domain" in query:
        owning = select(AccountDomain.account_id).where(
            AccountDomain.workspace_id == workspace.id, AccountDomain.domain == query["domain"].strip().lower()
        )
        rows = rows.where(Account.id.in_(owning))
    return paged(rows.order_by(Account.name, Account.id), query)


@api_route(f"{WS}/accounts", "POST", tag="accounts", body=AccountCreateSchema, response=AccountSchema, status=201)
def create_account(*, workspace: Workspace, user: User, body: dict[str, Any]) -> Account:
    """Create an account with its email domains and default owner."""
    referenced(User, workspace, body["default_owner_id"], "default_owner_id")
    account = people.create_account(
        workspace, name=body["name"], domains=body["domains"], default_owner_id=body["default_owner_id"]
    )
    commit()
    return account


@api_route(f"{WS}/accounts/<{ID}:account_id>", "GET", tag="accounts", response=AccountSchema)
def get_account(*, workspace: Workspace, user: User, account_id: int) -> Account:
    """Read one account."""
    return get_scoped(Account, workspace.id, account_id)


@api_route(f"{WS}/accounts/<{ID}:account_id>", "PATCH", tag="accounts", body=AccountUpdateSchema, response=AccountSchema)
def update_account(*, workspace: Workspace, user: User, account_id: int, body: dict[str, Any]) -> Account:
    """Change an account's name, domains (the whole list) or default owner (null clears it)."""
    account = get_scoped(Account, workspace.id, account_id)
    changes: dict[str, Any] = {k: body[k] for k in ("name", "domains") if k in body}
    if "default_owner_id" in body:
        referenced(User, workspace, body["default_owner_id"], "default_owner_id")
        changes["default_owner_id"] = body["default_owner_id"]
    people.update_account(workspace, account, **changes)
    commit()
    return account


@api_route(f"{WS}/accounts/<{ID}:account_id>", "DELETE", tag="accounts", status=204)
def delete_account(*, workspace: Workspace, user: User, account_id: int) -> None:
    """Delete an account; its contacts, conversations and tickets stay, without an account."""
    people.delete_account(workspace, get_scoped(Account, workspace.id, account_id))
    commit()


# -- Contacts ----------------------------------------------------------------------------------


@api_route(f"{WS}/contacts", "GET", tag="contacts", query=ContactQuerySchema, response=page_of(ContactSchema))
def list_contacts(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List contacts (customer people), optionally of one account or by email."""
    rows = select(Contact).where(Contact.workspace_id == workspace.id)
    if "account_id" in query:
        rows = rows.where(Contact.account_id == query["account_id"])
    if "email" in query:
        rows = rows.where(func.lower(Contact.email) == query["email"].strip().lower())
    return paged(rows.order_by(Contact.id), query)


@api_route(f"{WS}/contacts", "POST", tag="contacts", body=ContactCreateSchema, response=ContactSchema, status=201)
def create_contact(*, workspace: Workspace, user: User, body: dict[str, Any]) -> Contact:
    """Create a contact; without account_id it joins the account owning its email domain."""
    referenced(Account, workspace, body["account_id"], "account_id")
    is_admin = body.pop("is_customer_admin")
    contact = people.create_contact(workspace, **body)
    if is_admin:
        # The one rule (an admin needs an account) lives in update_contact; apply it there.
        people.update_contact(workspace, contact, is_customer_admin=True)
    commit()
    return contact


@api_route(f"{WS}/contacts/<{ID}:contact_id>", "GET", tag="contacts", response=ContactSchema)
def get_contact(*, workspace: Workspace, user: User, contact_id: int) -> Contact:
    """Read one contact."""
    return get_scoped(Contact, workspace.id, contact_id)


@api_route(f"{WS}/contacts/<{ID}:contact_id>", "PATCH", tag="contacts", body=ContactUpdateSchema, response=ContactSchema)
def update_contact(*, workspace: Workspace, user: User, contact_id: int, body: dict[str, Any]) -> Contact:
    """Change a contact's name, account (null detaches), verified and customer-admin flags, locale."""
    contact = get_scoped(Contact, workspace.id, contact_id)
    if body.get("account_id") is not None:
        referenced(Account, workspace, body["account_id"], "account_id")
    people.update_contact(workspace, contact, **body)
    commit()
    return contact


@api_route(f"{WS}/contacts/<{ID}:contact_id>", "DELETE", tag="contacts", status=204)
def delete_contact(*, workspace: Workspace, user: User, contact_id: int) -> None:
    """Delete a contact; their conversations and tickets stay, without the person."""
    people.delete_contact(workspace, get_scoped(Contact, workspace.id, contact_id))
    commit()
