"""Agents (users), customer organisations (accounts) and customer people (contacts).

Services flush and emit events; the caller commits with :func:`core.db.commit`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from core import events
from core.db import db, get_scoped
from core.errors import Conflict, ValidationError
from core.models import Account, AccountDomain, Contact, User, Workspace
from core.snapshots import contact_info
from hooks.types import to_payload

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ROLES = ("agent", "admin")
MIN_PASSWORD = 8


def normalize_email(email: str | None, field: str = "email") -> str:
    value = (email or "").strip().lower()
    if not EMAIL.match(value) or len(value) > 320:
        raise ValidationError.field(field, "Enter a valid email address.")
    return value


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


# -- Users (agents) -----------------------------------------------------------------------------


def create_user(workspace: Workspace, *, email: str, name: str = "", role: str = "agent", password: str | None = None) -> User:
    email = normalize_email(email)
    if role not in ROLES:
        raise ValidationError.field("role", f"Use one of: {', '.join(ROLES)}.")
    if find_user_by_email(workspace.id, email) is not None:
        raise Conflict(f"An agent with email {email} already exists in this workspace.")
    user = User(workspace_id=workspace.id, email=email, name=(name or email).strip(), role=role)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError.field("password", f"Use at least {MIN_PASSWORD} characters.")
    user.password_hash = generate_password_hash(password)


def check_password(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password or "")


def find_user_by_email(workspace_id: int, email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.workspace_id == workspace_id, func.lower(User.email) == (email or "").strip().lower())
    )


def list_users(workspace_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(User.workspace_id == workspace_id).order_by(User.name, User.id)))


# -- Accounts (customer orgs) -------------------------------------------------------------------


def _clean_domains(workspace_id: int, domains: Iterable[str], account_id: int | None = None) -> list[str]:
    cleaned = []
    for raw in domains:
        domain = (raw or "").strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN.match(domain):
            raise ValidationError.field("domains", f"'{raw}' is not a domain like example.com.")
        owner = db.session.scalar(
            select(AccountDomain).where(AccountDomain.workspace_id == workspace_id, AccountDomain.domain == domain)
        )
        if owner is not None and owner.account_id != account_id:
            raise ValidationError.field("domains", f"The domain {domain} already belongs to another account.")
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def create_account(
    workspace: Workspace, *, name: str, domains: Iterable[str] = (), default_owner_id: int | None = None
) -> Account:
    if not (name or "").strip():
        raise ValidationError.field("name", "An account needs a name.")
    if default_owner_id is not None:
        get_scoped(User, workspace.id, default_owner_id)
    account = Account(workspace_id=workspace.id, name=name.strip(), default_owner_id=default_owner_id)
    db.session.add(account)
    db.session.flush()
    for domain in _clean_domains(workspace.id, domains, account.id):
        account.domains.append(AccountDomain(workspace_id=workspace.id, domain=domain))
    db.session.flush()
    return account


def update_account(
    workspace: Workspace,
    account: Account,
    *,
    name: str | None = None,
    domains: Iterable[str] | None = None,
    default_owner_id: int | None | type[...] = ...,
) -> Account:
    if name is not None:
        if not name.strip():
            raise ValidationError.field("name", "An account needs a name.")
        account.name = name.strip()
    if domains is not None:
        wanted = _clean_domains(workspace.id, domains, account.id)
        account.domains = [d for d in account.domains if d.domain in wanted]
        have = {d.domain for d in account.domains}
        for domain in wanted:
            if domain not in have:
                account.domains.append(AccountDomain(workspace_id=workspace.id, domain=domain))
    if default_owner_id is not ...:
        if default_owner_id is not None:
            get_scoped(User, workspace.id, default_owner_id)
        account.default_owner_id = default_owner_id  # type: ignore[assignment]
    db.session.flush()
    return account


def account_for_email(workspace_id: int, email: str | None) -> Account | None:
    """The account whose email domains include the email's domain."""
    if not email or "@" not in email:
        return None
    row = db.session.scalar(
        select(AccountDomain).where(AccountDomain.workspace_id == workspace_id, AccountDomain.domain == email_domain(email))
    )
    return row.account if row is not None else None


# -- Contacts (rev users) -----------------------------------------------------------------------


def find_contact_by_email(workspace_id: int, email: str | None) -> Contact | None:
    if not email:
        return None
    return db.session.scalar(
        select(Contact).where(Contact.workspace_id == workspace_id, func.lower(Contact.email) == email.strip().lower())
    )


def create_contact(
    workspace: Workspace,
    *,
    email: str | None,
    name: str = "",
    account_id: int | None = None,
    verified: bool = False,
    is_customer_admin: bool = False,
    locale: str | None = None,
    external_id: str | None = None,
) -> Contact:
    """Create a contact; without ``account_id`` it joins the account matching its email domain."""
    if email is not None:
        email = normalize_email(email)
        if find_contact_by_email(workspace.id, email) is not None:
            raise Conflict(f"A contact with email {email} already exists in this workspace.")
    if account_id is not None:
        get_scoped(Account, workspace.id, account_id)
    elif email is not None:
        account = account_for_email(workspace.id, email)
        account_id = account.id if account else None
    contact = Contact(
        workspace_id=workspace.id,
        email=email,
        name=(name or "").strip(),
        account_id=account_id,
        verified=verified,
        is_customer_admin=is_customer_admin,
        locale=locale,
        external_id=external_id,
    )
    db.session.add(contact)
    db.session.flush()
    events.emit(db.session, "contact_created", workspace.id, {"contact": to_payload(contact_info(contact))})
    return contact


def update_contact(
    workspace: Workspace,
    contact: Contact,
    *,
    name: str | None = None,
    account_id: int | None | type[...] = ...,
    verified: bool | None = None,
    is_customer_admin: bool | None = None,
    locale: str | None | type[...] = ...,
) -> Contact:
    if name is not None:
        contact.name = name.strip()
    if account_id is not ...:
        if account_id is not None:
            get_scoped(Account, workspace.id, account_id)
        contact.account_id = account_id  # type: ignore[assignment]
    if verified is not None:
        contact.verified = verified
    if is_customer_admin is not None:
        if is_customer_admin and contact.account_id is None:
            raise ValidationError.field("is_customer_admin", "Link the contact to an account before making them its admin.")
        contact.is_customer_admin = is_customer_admin
    if locale is not ...:
        contact.locale = locale  # type: ignore[assignment]
    db.session.flush()
    return contact


def delete_account(workspace: Workspace, account: Account) -> None:
    """Delete an account and its domains; contacts, conversations and tickets keep existing without it
    (the foreign keys set NULL). Caller commits."""
    if account.workspace_id != workspace.id:
        raise ValidationError.field("account", "The account belongs to another workspace.")
    db.session.delete(account)
    db.session.flush()


def delete_contact(workspace: Workspace, contact: Contact) -> None:
    """Delete a contact; their conversations, messages and comments stay (authorless), and they stop
    being a ticket reporter. Caller commits."""
    if contact.workspace_id != workspace.id:
        raise ValidationError.field("contact", "The contact belongs to another workspace.")
    db.session.delete(contact)
    db.session.flush()
