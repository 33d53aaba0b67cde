"""The demo workspace: "Acme Cloud" with agents, customers, conversations, tickets and articles.

Built only through the core services (the same rules as real data: routing, stage machine,
ticket form, article sanitising), in one transaction committed at the end, so a failed build
leaves nothing behind. :func:`build_demo` is idempotent: when the workspace exists it changes
nothing; :func:`delete_demo` removes it (every row of the workspace goes with it, by cascade).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete

from core import articles, conversations, people, portal_settings, tickets, workspaces
from core.db import commit, db, utcnow
from core.models import Contact, Conversation, User, Workspace
from core.stages import Stage


@dataclass(frozen=True)
class DemoInfo:
    """What the demo holds and how to sign in to it."""

    workspace_slug: str = "acme"
    workspace_name: str = "Acme Cloud"
    admin_email: str = "admin@acme.test"
    admin_password: str = "demo-admin-pass"
    agent_emails: tuple[str, ...] = ("alice@acme.test", "bob@acme.test")
    agent_password: str = "demo-agent-pass"
    #: A verified customer of Globex (signs in with an emailed code).
    customer_email: str = "carol@globex.test"
    #: Globex's customer admin: sees every ticket of the org.
    customer_admin_email: str = "dave@globex.test"
    #: True when this call built it; False when it was already there.
    created: bool = False
    #: How many rows of each kind the build made (empty when nothing was built).
    counts: dict[str, int] = field(default_factory=dict, compare=False)


#: The demo's fixed names and logins (also what the CLI prints).
DEMO = DemoInfo()

Progress = Callable[[str], None]

TICKET_FORM = {
    "fields": [
        {"name": "area", "label": "Area", "type": "choice", "required": True, "choices": ["web app", "api", "billing"]},
        {
            "name": "browser", "label": "Browser and version", "type": "text", "required": True,
            "show_when": {"field": "area", "equals": "web app"},
        },
    ]
}

GETTING_STARTED_MD = """\
Welcome to **Acme Cloud**. This guide takes you from sign-up to your first deployment.

## 1. Create a project
Open the dashboard and choose *New project*. Projects group your services and their settings.

## 2. Deploy
- Connect your Git repository
- Pick a region
- Press **Deploy**

```bash
acme deploy --project my-shop --region eu-west
```

| Plan | Projects | Support |
| --- | --- | --- |
| Free | 1 | Community |
| Team | 20 | Email, 1 business day |
"""

GETTING_STARTED_FR_MD = """\
Bienvenue sur **Acme Cloud**. Ce guide vous accompagne de l'inscription à votre premier déploiement.

## 1. Créer un projet
Ouvrez le tableau de bord et choisissez *Nouveau projet*.

## 2. Déployer
- Connectez votre dépôt Git
- Choisissez une région
- Cliquez sur **Déployer**
"""


def demo_exists() -> bool:
    return workspaces.get_by_slug(DEMO.workspace_slug) is not None


def delete_demo() -> bool:
    """Delete the demo workspace and everything in it; commits. False when there was none."""
    workspace = workspaces.get_by_slug(DEMO.workspace_slug)
    if workspace is None:
        return False
    # A bulk delete lets the database's ON DELETE CASCADE remove the workspace's rows.
    db.session.execute(delete(Workspace).where(Workspace.id == workspace.id))
    db.session.commit()
    db.session.expire_all()
    return True


def build_demo(progress: Progress = print) -> DemoInfo:
    """Create the demo workspace (see :data:`DEMO`) and commit; nothing happens when it exists."""
    if demo_exists():
        progress(f"The demo workspace '{DEMO.workspace_slug}' exists already; nothing to do (use --reset to rebuild).")
        return DEMO
    counts: dict[str, int] = {}
    try:
        progress("workspace, admin and agents")
        workspace = workspaces.create_workspace(
            slug=DEMO.workspace_slug, name=DEMO.workspace_name, admin_email=DEMO.admin_email,
            admin_name="Ada Admin", admin_password=DEMO.admin_password,
        )
        alice = people.create_user(workspace, email=DEMO.agent_emails[0], name="Alice Agent", password=DEMO.agent_password)
        bob = people.create_user(workspace, email=DEMO.agent_emails[1], name="Bob Agent", password=DEMO.agent_password)
        counts["agents"] = 3

        progress("portal appearance and ticket form")
        portal_settings.update_settings(
            workspace,
            {
                "appearance": {
                    "company_name": DEMO.workspace_name,
                    "hero_title": "How can we help?",
                    "welcome_text": "Search the knowledge base, or sign in to follow your tickets.",
                    "footer_links": [{"label": "Status", "url": "https://status.acme.test/"}],
                },
                "ticket_form": TICKET_FORM,
            },
        )

        progress("accounts and contacts")
        contacts = _accounts_and_contacts(workspace, alice, bob)
        counts["accounts"], counts["contacts"] = 3, len(contacts)

        progress("tickets in both trackers")
        made_tickets = _tickets(workspace, contacts, alice, bob)
        counts["tickets"] = len(made_tickets)

        progress("conversations in every stage")
        counts["conversations"] = _conversations(workspace, contacts, alice, bob, made_tickets[1].id)

        progress("knowledge-base articles")
        counts["articles"] = _articles(workspace, alice)

        commit()
        enabled = _enable_installed_snapins(workspace, alice, bob)
        if enabled:
            progress(f"snap-ins enabled: {', '.join(enabled)}")
            counts["snap-ins"] = len(enabled)
        commit()
    except Exception:
        db.session.rollback()
        raise
    progress(f"done: {', '.join(f'{n} {k}' for k, n in counts.items())}")
    return DemoInfo(created=True, counts=counts)


#: First-party snap-ins the demo enables when they are installed, with a demo configuration.
DEMO_SNAPINS: dict[str, Callable[[User, User], dict]] = {
    "keyword-routing": lambda alice, bob: {
        "rules": [{"name": "billing", "keywords": ["invoice", "refund", "billing"], "owner": bob.email, "tag": "priority"}]
    },
    "spam-suspension": lambda alice, bob: {},
    "article-follow": lambda alice, bob: {},
    "pdf-download": lambda alice, bob: {},
}


def _enable_installed_snapins(workspace: Workspace, alice: User, bob: User) -> list[str]:
    """Enable the first-party snap-ins that are installed (a demo without them still works)."""
    from core.runtime import get_runtime
    from core.snapins import admin

    registry = get_runtime().registry
    enabled = []
    for snapin_id, config in DEMO_SNAPINS.items():
        snapin = registry.get(snapin_id)
        if snapin is None or snapin.broken:
            continue
        admin.enable(workspace, snapin_id, config(alice, bob))
        enabled.append(snapin_id)
    return enabled


def _accounts_and_contacts(workspace: Workspace, alice: User, bob: User) -> dict[str, Contact]:
    long_ago = utcnow() - timedelta(days=400)
    globex = people.create_account(workspace, name="Globex", domains=["globex.test"], default_owner_id=alice.id)
    initech = people.create_account(workspace, name="Initech", domains=["initech.test"], default_owner_id=bob.id)
    # Established customers: their conversations rank above those of new orgs.
    globex.created_at = long_ago
    initech.created_at = long_ago
    people.create_account(workspace, name="Umbrella Labs", domains=["umbrella.test"])
    make = people.create_contact
    return {
        "carol": make(workspace, email=DEMO.customer_email, name="Carol Chen", verified=True),
        "dave": make(workspace, email=DEMO.customer_admin_email, name="Dave Diaz", verified=True, is_customer_admin=True),
        "peter": make(workspace, email="peter@initech.test", name="Peter Gibbons", verified=True),
        "erin": make(workspace, email="erin@umbrella.test", name="Erin Ueda", verified=True, locale="fr"),
        "frank": make(workspace, email="frank@example.test", name="Frank Unverified"),
    }


def _tickets(workspace: Workspace, contacts: dict[str, Contact], alice: User, bob: User) -> list:
    carol, dave, peter = contacts["carol"], contacts["dave"], contacts["peter"]
    api_key = tickets.create_ticket(
        workspace, title="How do I rotate our API key?", body="We need to rotate the key used by our billing job.",
        reported_by=[carol], severity="low", category="Security", tracker="no_code_change",
        custom_fields={"area": "api"}, created_by_contact=carol,
    )
    tickets.add_comment(workspace, api_key, body="Settings > API keys > Rotate. The old key keeps working for 24 hours.", author_user=alice)
    tickets.add_comment(workspace, api_key, body="Customer asked twice before; suggest a KB article.", visibility="internal", author_user=bob)

    export = tickets.create_ticket(
        workspace, title="CSV export times out for large reports", body="Reports over 50k rows never finish exporting.",
        reported_by=[peter], severity="high", category="Reports", tracker="needs_code_change",
        custom_fields={"area": "web app", "browser": "Firefox 131"}, created_by_contact=peter,
    )
    tickets.add_comment(workspace, export, body="It fails every time since Monday.", author_contact=peter)
    tickets.add_comment(workspace, export, body="Reproduced: the export job hits a 30 s limit. Engineering is on it.", author_user=bob)
    tickets.change_ticket_stage(workspace, export, "work_in_progress", by_user=bob)
    tickets.change_ticket_stage(workspace, export, "awaiting_development", by_user=bob)

    sso = tickets.create_ticket(
        workspace, title="SSO sign-in loops on Safari", body="After the IdP redirect, Safari returns to the login page.",
        reported_by=[dave, carol], severity="medium", category="Sign-in", tracker="needs_code_change",
        custom_fields={"area": "web app", "browser": "Safari 18"}, created_by_contact=dave,
    )
    tickets.add_comment(workspace, sso, body="Does it happen in a private window too?", author_user=alice)
    tickets.change_ticket_stage(workspace, sso, "awaiting_customer_response", by_user=alice)
    return [api_key, export, sso]


def _conversations(
    workspace: Workspace, contacts: dict[str, Contact], alice: User, bob: User, escalation_ticket_id: int
) -> int:
    start = conversations.start_conversation
    reply = conversations.post_message
    made: list[Conversation] = []

    # New: nobody has answered yet (routed to Bob, Initech's default owner).
    made.append(start(workspace, title="Cannot invite a teammate", body="The invite button is greyed out.", channel="widget", contact=contacts["peter"]))

    # Waiting on user: support replied.
    waiting = start(workspace, title="Question about invoices", body="Where can I download last month's invoice?", channel="portal", contact=contacts["erin"])
    reply(workspace, waiting, body="Billing > Invoices; can you see the list there?", author_user=alice)
    made.append(waiting)

    # Needs response: the customer answered the agent.
    needs = start(workspace, title="Custom domain not verifying", body="Our DNS record is set but the domain stays unverified.", channel="email", contact=contacts["carol"])
    reply(workspace, needs, body="Could you send the TXT record you added?", author_user=alice)
    reply(workspace, needs, body="It is acme-verify=9f3c21. Still unverified.", author_contact=contacts["carol"])
    made.append(needs)

    # Hold: escalated to the engineering ticket.
    hold = start(workspace, title="Exports keep failing", body="Our weekly CSV export failed again.", channel="widget", contact=contacts["peter"])
    reply(workspace, hold, body="We are looking into it.", author_user=bob)
    reply(workspace, hold, body="Any news? Finance needs the file.", author_contact=contacts["peter"])
    conversations.escalate(workspace, hold, ticket_id=escalation_ticket_id, by_user=bob)
    made.append(hold)

    # Resolved: answered and confirmed.
    resolved = start(workspace, title="Add a second admin", body="How do I make a colleague an admin?", channel="portal", contact=contacts["dave"])
    reply(workspace, resolved, body="Settings > Members > Make admin.", author_user=alice)
    reply(workspace, resolved, body="Done, thanks!", author_contact=contacts["dave"])
    conversations.change_stage(workspace, resolved, Stage.RESOLVED, by_kind="dev", by_user=alice, reason="customer confirmed")
    made.append(resolved)

    # Suspended: obvious spam from an unverified address.
    spam = start(workspace, title="WIN A FREE CRUISE", body="Click http://spam.example/win to claim your prize now!!!", channel="widget", contact=contacts["frank"])
    conversations.change_stage(workspace, spam, Stage.SUSPENDED, by_kind="dev", by_user=alice, reason="spam")
    made.append(spam)
    return len(made)


def _articles(workspace: Workspace, author: User) -> int:
    guides = articles.create_collection(workspace, name="Getting started", description="First steps with Acme Cloud")
    account = articles.create_collection(workspace, name="Your account", description="Sign-in, security and billing")
    create, publish = articles.create_article, articles.publish_article
    made = []

    start = create(
        workspace, title="Getting started with Acme Cloud", description="Create a project and deploy it in five minutes.",
        body=GETTING_STARTED_MD, body_format="markdown", collection_id=guides.id, author=author,
    )
    made.append(start)
    made.append(create(
        workspace, title="Bien démarrer avec Acme Cloud", description="Créez un projet et déployez-le en cinq minutes.",
        body=GETTING_STARTED_FR_MD, body_format="markdown", locale="fr", translation_of_id=start.id,
        collection_id=guides.id, author=author,
    ))
    made.append(create(
        workspace, title="Acme Cloud status page", description="Live status of every Acme Cloud region.",
        external_url="https://status.acme.test/", collection_id=guides.id, author=author,
    ))
    made.append(create(
        workspace, title="Rotating your API keys", description="Replace an API key without downtime.",
        body="<p>Open <b>Settings &gt; API keys</b> and choose <i>Rotate</i>. The old key works for 24 hours.</p>",
        visible_to="verified", collection_id=account.id, author=author,
    ))
    made.append(create(
        workspace, title="Managing your organisation's members", description="For customer admins: invite and remove members.",
        body="<p>Customer admins see every ticket of their organisation and manage its members.</p>",
        visible_to="customer_admins", collection_id=account.id, author=author,
    ))
    for article in made:
        publish(workspace, article)
    create(
        workspace, title="Audit logs (coming soon)", description="What audit logs will record.",
        body="<p>Draft: audit logs are planned for next quarter.</p>", collection_id=account.id, author=author,
    )
    return len(made) + 1
