"""The authorization matrix: every route of the portal, settings and inbox blueprints, for every
kind of visitor, allowed or denied.

Routes come from ``app.url_map``, so a new route fails :func:`test_every_route_has_an_expectation`
until someone decides here who may use it. GET: an allowed visitor gets content (2xx, or a
redirect that is not to a sign-in page); a denied one gets 401/403/404 or a redirect to sign in.
POST: a denied visitor is refused the same way and the database is left exactly as it was
(allowed POSTs change data and are covered by each area's own tests).

The world: workspace "acme" (knowledge base public, tickets private) with accounts A and B;
customer (verified, A, reporter of the ticket), customer admin (verified, admin of A), other org
(verified, B), agent and admin of acme; a customer and an admin of workspace "globex".
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import text

from core import articles, conversations, people, tickets
from core.db import commit, db
from core.workspaces import create_workspace

BLUEPRINTS = ("portal", "portal_locale", "settings", "inbox")

ANONYMOUS = "anonymous"
CUSTOMER = "customer"
CUSTOMER_ADMIN = "customer_admin"
OTHER_ORG = "other_org"
OTHER_WS_CUSTOMER = "other_workspace_customer"
OTHER_WS_ADMIN = "other_workspace_admin"
AGENT = "agent"
ADMIN = "admin"
PRINCIPALS = (ANONYMOUS, CUSTOMER, CUSTOMER_ADMIN, OTHER_ORG, OTHER_WS_CUSTOMER, OTHER_WS_ADMIN, AGENT, ADMIN)

EVERYONE = frozenset(PRINCIPALS)
ORG_A = frozenset({CUSTOMER, CUSTOMER_ADMIN})
VERIFIED_CUSTOMERS = frozenset({CUSTOMER, CUSTOMER_ADMIN, OTHER_ORG})
AGENTS = frozenset({AGENT, ADMIN})
ADMINS = frozenset({ADMIN})
#: Sign-in doors (sign in, sign out, switch workspace): anyone may knock; they must never fail.
OPEN = "open"

#: (endpoint, method) -> who may. Every route of BLUEPRINTS must be here, and nothing else.
EXPECTED: dict[tuple[str, str], frozenset[str] | str] = {
    # -- Portal: knowledge base (public), sign-in doors, tickets (private) --
    ("portal.home", "GET"): EVERYONE,
    ("portal.collection", "GET"): EVERYONE,
    ("portal.article", "GET"): EVERYONE,
    ("portal.search", "GET"): EVERYONE,
    ("portal.login", "GET"): OPEN,
    ("portal.login", "POST"): OPEN,
    ("portal.login_jwt", "GET"): OPEN,
    ("portal.login_jwt", "POST"): OPEN,
    ("portal.logout", "POST"): OPEN,
    ("portal.switch", "POST"): OPEN,
    ("portal.tickets", "GET"): VERIFIED_CUSTOMERS,
    ("portal.ticket_new", "GET"): VERIFIED_CUSTOMERS,
    ("portal.ticket_new", "POST"): VERIFIED_CUSTOMERS,
    ("portal.ticket", "GET"): ORG_A,
    ("portal.ticket_comment", "POST"): ORG_A,
    ("portal.ticket_comment_json", "GET"): ORG_A,
    ("portal.ticket_events", "GET"): ORG_A,
    # -- Portal, locale-prefixed SEO addresses --
    ("portal_locale.directories", "GET"): EVERYONE,
    ("portal_locale.collection", "GET"): EVERYONE,
    ("portal_locale.article", "GET"): EVERYONE,
    ("portal_locale.article_by_id", "GET"): EVERYONE,
    ("portal_locale.search", "GET"): EVERYONE,
    ("portal_locale.sitemap", "GET"): EVERYONE,
    # -- Inbox: agents and admins of the workspace --
    ("inbox.login", "GET"): OPEN,
    ("inbox.login", "POST"): OPEN,
    ("inbox.logout", "POST"): OPEN,
    ("inbox.home", "GET"): AGENTS,
    ("inbox.events", "GET"): AGENTS,
    ("inbox.reports", "GET"): AGENTS,
    ("inbox.conversation", "GET"): AGENTS,
    ("inbox.conversation_summary", "GET"): AGENTS,
    ("inbox.post_message", "POST"): AGENTS,
    ("inbox.assign", "POST"): AGENTS,
    ("inbox.change_stage", "POST"): AGENTS,
    ("inbox.escalate", "POST"): AGENTS,
    ("inbox.priority", "POST"): AGENTS,
    ("inbox.add_tag", "POST"): AGENTS,
    ("inbox.remove_tag", "POST"): AGENTS,
    ("inbox.resolve", "POST"): AGENTS,
    ("inbox.tickets", "GET"): AGENTS,
    ("inbox.ticket", "GET"): AGENTS,
    ("inbox.comment", "POST"): AGENTS,
    ("inbox.ticket_assign", "POST"): AGENTS,
    ("inbox.ticket_severity", "POST"): AGENTS,
    ("inbox.ticket_stage", "POST"): AGENTS,
    ("inbox.ticket_tracker", "POST"): AGENTS,
    # -- Settings: admins only --
    ("settings.index", "GET"): ADMINS,
    ("settings.snapins", "GET"): ADMINS,
    ("settings.save_snapin", "POST"): ADMINS,
    ("settings.disable_snapin", "POST"): ADMINS,
    ("settings.portal", "GET"): ADMINS,
    ("settings.portal_preview", "GET"): ADMINS,
    ("settings.portal_features", "POST"): ADMINS,
    ("settings.portal_appearance", "POST"): ADMINS,
    ("settings.portal_locales", "POST"): ADMINS,
    ("settings.portal_domain", "POST"): ADMINS,
    ("settings.portal_token", "POST"): ADMINS,
    ("settings.portal_widget", "POST"): ADMINS,
    ("settings.ticket_form", "GET"): ADMINS,
    ("settings.ticket_form", "POST"): ADMINS,
    ("settings.knowledge_base", "GET"): ADMINS,
    ("settings.kb_new", "GET"): ADMINS,
    ("settings.kb_new", "POST"): ADMINS,
    ("settings.kb_edit", "GET"): ADMINS,
    ("settings.kb_edit", "POST"): ADMINS,
    ("settings.kb_delete", "GET"): ADMINS,
    ("settings.kb_delete", "POST"): ADMINS,
    ("settings.kb_collection_create", "POST"): ADMINS,
    ("settings.kb_collection_update", "POST"): ADMINS,
    ("settings.kb_collection_delete", "POST"): ADMINS,
    ("settings.accounts", "GET"): ADMINS,
    ("settings.account_create", "POST"): ADMINS,
    ("settings.account_edit", "GET"): ADMINS,
    ("settings.account_edit", "POST"): ADMINS,
    ("settings.account_delete", "POST"): ADMINS,
    ("settings.contact_create", "POST"): ADMINS,
    ("settings.contact_edit", "GET"): ADMINS,
    ("settings.contact_edit", "POST"): ADMINS,
    ("settings.contact_flags", "POST"): ADMINS,
    ("settings.contact_delete", "POST"): ADMINS,
}

#: Server-sent event streams: the status says it all; the body never ends.
STREAMS = frozenset({"inbox.events", "portal.ticket_events"})

#: A form that would change something on most routes if the guard let it through.
HOSTILE_FORM = {
    "action": "enable", "title": "Pwned", "body": "Pwned", "description": "Pwned", "stage": "resolved",
    "severity": "blocker", "tracker": "needs_code_change", "priority": "p0", "tag": "pwned", "owner_id": "1",
    "visibility": "external", "features-tickets": "on", "appearance-theme": "dark", "appearance-company_name": "Pwned",
    "appearance-accent_color": "#000000", "locales-enabled": "en", "locales-default": "en", "custom_domain": "evil.test",
    "widget-title": "Pwned", "fields-0-name": "pwned", "fields-0-label": "Pwned", "fields-0-type": "text",
    "article-title": "Pwned", "article-body": "Pwned", "article-source": "write", "article-locale": "en",
    "new_collection-name": "Pwned", "name": "Pwned", "account-name": "Pwned", "contact-email": "pwned@evil.test",
    "contact-verified": "on", "contact-is_customer_admin": "on",
}


def _routes(app) -> list[tuple[str, str, Any]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] not in BLUEPRINTS:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda item: (item[0], item[1]))


@pytest.fixture
def world(app, workspace):
    """The people and records of the module docstring, committed; ids for building URLs."""
    account_a = people.create_account(workspace, name="Initech", domains=["initech.test"])
    account_b = people.create_account(workspace, name="Umbrella", domains=["umbrella.test"])
    alice = people.create_contact(workspace, email="alice@initech.test", account_id=account_a.id, verified=True)
    carol = people.create_contact(
        workspace, email="carol@initech.test", account_id=account_a.id, verified=True, is_customer_admin=True
    )
    oscar = people.create_contact(workspace, email="oscar@umbrella.test", account_id=account_b.id, verified=True)
    ticket = tickets.create_ticket(
        workspace, title="Printer on fire", body="Help", reported_by=[alice], account_id=account_a.id,
        created_by_contact=alice,
    )
    comment = tickets.add_comment(workspace, ticket, body="Still burning", author_contact=alice)
    conversation = conversations.start_conversation(workspace, body="Hello?", channel="portal", contact=alice)
    collection = articles.create_collection(workspace, name="Basics")
    article = articles.create_article(workspace, title="Getting started", body="<p>Hi</p>", collection_id=collection.id)
    articles.publish_article(workspace, article)
    globex = create_workspace(
        slug="globex", name="Globex", admin_email="boss@globex.test", admin_password="boss-pass-1"
    )
    gina = people.create_contact(globex, email="gina@globex.test", verified=True)
    commit()
    users = {u.email: u for u in people.list_users(workspace.id)}
    boss = people.list_users(globex.id)[0]
    return {
        "workspace": workspace,
        "globex": globex,
        "sessions": {
            ANONYMOUS: {},
            CUSTOMER: {"contacts": {str(workspace.id): alice.id}},
            CUSTOMER_ADMIN: {"contacts": {str(workspace.id): carol.id}},
            OTHER_ORG: {"contacts": {str(workspace.id): oscar.id}},
            OTHER_WS_CUSTOMER: {"contacts": {str(globex.id): gina.id}},
            OTHER_WS_ADMIN: {"users": {str(globex.id): boss.id}},
            AGENT: {"users": {str(workspace.id): users["agent@acme.test"].id}},
            ADMIN: {"users": {str(workspace.id): users["admin@acme.test"].id}},
        },
        "values": {
            "slug": "acme",
            "locale": "en",
            "article_id": article.id,
            "title_slug": "getting-started",
            "collection_id": collection.id,
            "ticket_id": ticket.id,
            "comment_id": comment.id,
            "conversation_id": conversation.id,
            "account_id": account_a.id,
            "contact_id": alice.id,
            "snapin_id": "nothing-installed",
        },
    }


def _url(app, rule, values: dict[str, Any]) -> str:
    missing = [name for name in rule.arguments if name not in values]
    assert not missing, f"{rule.endpoint}: add a value for {missing} to the world fixture"
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments}, force_external=False)


def _client(app, session_values: dict[str, Any]):
    client = app.test_client()
    if session_values:
        with client.session_transaction() as session:
            session.update(session_values)
    return client


def _fingerprint() -> str:
    """A digest of every row of every table (what a refused POST must leave untouched)."""
    db.session.rollback()
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(text(f'SELECT * FROM "{table.name}"')).fetchall()
        digest.update(table.name.encode())
        for row in sorted(repr(tuple(row)) for row in rows):
            digest.update(row.encode())
    db.session.rollback()
    return digest.hexdigest()


def _is_sign_in_redirect(response) -> bool:
    return response.status_code in (301, 302, 303, 307, 308) and "/login" in response.headers.get("Location", "")


def _refused(response) -> bool:
    return response.status_code in (401, 403, 404) or _is_sign_in_redirect(response)


def _allowed(response) -> bool:
    if 200 <= response.status_code < 300:
        return True
    return 300 <= response.status_code < 400 and not _is_sign_in_redirect(response)


def test_every_route_has_an_expectation(app):
    routes = {(endpoint, method) for endpoint, method, _rule in _routes(app)}
    missing = sorted(routes - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - routes)
    assert not missing, f"routes without an expectation (decide who may use them): {missing}"
    assert not stale, f"expectations for routes that no longer exist: {stale}"


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_get_routes(app, world, principal):
    problems = []
    for endpoint, method, rule in _routes(app):
        if method != "GET" or (endpoint, method) not in EXPECTED:
            continue
        expected = EXPECTED[(endpoint, method)]
        url = _url(app, rule, world["values"])
        response = _client(app, world["sessions"][principal]).get(url, buffered=endpoint not in STREAMS)
        status = response.status_code
        response.close()
        if status >= 500:
            problems.append(f"{endpoint} {url}: {status}")
        elif expected == OPEN:
            continue
        elif principal in expected and not _allowed(response):
            problems.append(f"{endpoint} {url}: allowed but got {status} {response.headers.get('Location', '')}")
        elif principal not in expected and not _refused(response):
            problems.append(f"{endpoint} {url}: must be refused but got {status}")
    assert not problems, f"{principal}:\n" + "\n".join(problems)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_post_routes_refuse_and_change_nothing(app, world, principal):
    problems = []
    for endpoint, method, rule in _routes(app):
        if method != "POST" or (endpoint, method) not in EXPECTED:
            continue
        expected = EXPECTED[(endpoint, method)]
        if expected == OPEN or principal in expected:
            continue  # allowed writes change data by design; their areas' tests cover them
        url = _url(app, rule, world["values"])
        before = _fingerprint()
        response = _client(app, world["sessions"][principal]).post(url, data=HOSTILE_FORM)
        after = _fingerprint()
        if not _refused(response):
            problems.append(f"{endpoint} {url}: must be refused but got {response.status_code}")
        if after != before:
            problems.append(f"{endpoint} {url}: refused, yet the database changed")
    assert not problems, f"{principal}:\n" + "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted({e for (e, m), who in EXPECTED.items() if who == OPEN}))
def test_sign_in_doors_never_fail(app, world, endpoint):
    rules = [rule for e, _m, rule in _routes(app) if e == endpoint]
    for rule in rules:
        url = _url(app, rule, world["values"])
        for principal in PRINCIPALS:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                client = _client(app, world["sessions"][principal])
                response = client.open(url, method=method, data={} if method == "POST" else None)
                assert response.status_code < 500, f"{principal} {method} {url}: {response.status_code}"
