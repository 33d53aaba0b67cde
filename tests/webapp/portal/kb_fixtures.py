"""Shared test data for the knowledge-base tests: articles of every visibility and the readers."""

from __future__ import annotations

from dataclasses import dataclass

from core.articles import create_article, create_collection, publish_article
from core.db import commit
from core.models import Article, Collection, Contact, Workspace
from core.people import create_account, create_contact
from core.portal_settings import update_settings


@dataclass
class Kb:
    collection: Collection
    for_all: Article
    for_verified: Article
    for_admins: Article
    draft: Article
    linked: Article
    unverified: Contact
    verified: Contact
    customer_admin: Contact


def build_kb(workspace: Workspace) -> Kb:
    """One article per audience (all / verified / customer admins), a draft and a linked article,
    all mentioning "invoice", plus a contact of each kind."""
    collection = create_collection(workspace, name="Billing", description="Invoices and payments")

    def article(title: str, visible_to: str, *, publish: bool = True, **extra) -> Article:
        values = {"body": f"<p>About the invoice: {title.lower()}.</p>", **extra}
        created = create_article(
            workspace, title=title, description=f"{title} (description)", visible_to=visible_to,
            collection_id=collection.id, **values,
        )
        if publish:
            publish_article(workspace, created)
        return created

    kb = Kb(
        collection=collection,
        for_all=article("Download an invoice", "all"),
        for_verified=article("Invoice disputes", "verified"),
        for_admins=article("Invoice settings for admins", "customer_admins"),
        draft=article("Invoice draft secret", "all", publish=False),
        linked=article("Invoice portal guide", "all", body=None, external_url="https://docs.example.com/invoices"),
        unverified=None,  # type: ignore[arg-type]
        verified=None,  # type: ignore[arg-type]
        customer_admin=None,  # type: ignore[arg-type]
    )
    account = create_account(workspace, name="Globex", domains=["globex.test"])
    kb.unverified = create_contact(workspace, email="newbie@globex.test", name="Newbie", account_id=account.id)
    kb.verified = create_contact(workspace, email="vera@globex.test", name="Vera", account_id=account.id, verified=True)
    kb.customer_admin = create_contact(
        workspace, email="boss@globex.test", name="Boss", account_id=account.id, verified=True, is_customer_admin=True
    )
    commit()
    return kb


def set_features(workspace: Workspace, **features: bool) -> None:
    update_settings(workspace, {"features": features})
    commit()


def as_reader(client, workspace: Workspace, contact: Contact | None) -> None:
    """Make ``client`` a browser where ``contact`` is signed in (None: nobody)."""
    with client.session_transaction() as session:
        session["contacts"] = {str(workspace.id): contact.id} if contact is not None else {}
