"""Portal tickets: who sees which ticket, tickets off/public/private, list, form, comments, live stream."""

from __future__ import annotations

import pytest
from portal_people import build_people

from core.db import commit, db
from core.models import Ticket, User
from core.portal_settings import update_settings
from core.tickets import add_comment, create_ticket

NOT_REPORTER = ("You can&#39;t see this ticket: it was reported by someone else. Ask your organisation&#39;s customer "
                "admin, or the person who reported it, to add you.")


@pytest.fixture
def people(workspace):
    return build_people(workspace)


def _page(response) -> str:
    return response.get_data(as_text=True)


def _as(client, sign_in, people, who):
    if who == "anonymous":
        return client
    if who == "agent":
        agent = db.session.scalar(db.select(User).where(User.email == "agent@acme.test"))
        sign_in(client, people.workspace, user=agent)
    else:
        sign_in(client, people.workspace, contact=getattr(people, who))
    return client


# -- Visibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("reporter", {"reported"}),
        ("colleague", {"colleague_ticket"}),
        ("customer_admin", {"reported", "colleague_ticket"}),
        ("outsider", {"initech_ticket"}),
    ],
)
def test_list_shows_exactly_the_tickets_the_rule_allows(client, sign_in, people, who, expected):
    page = _page(_as(client, sign_in, people, who).get("/acme/tickets"))
    for name in ("reported", "colleague_ticket", "initech_ticket", "other_ticket"):
        ticket = getattr(people, name)
        assert (f">{ticket.title}</a>" in page) == (name in expected), name


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("reporter", 200, "Invoices fail to load"),
        ("customer_admin", 200, "Invoices fail to load"),
        ("colleague", 403, NOT_REPORTER),
        ("outsider", 404, "There is no ticket"),
        ("unverified", 403, "Only verified users can see and create tickets"),
        ("agent", 403, "Agents work on tickets in the inbox"),
    ],
)
def test_ticket_page_access(client, sign_in, people, who, status, message):
    response = _as(client, sign_in, people, who).get(f"/acme/tickets/{people.reported.id}")
    assert response.status_code == status
    assert message in _page(response)


def test_anonymous_is_sent_to_sign_in_and_back(client, people):
    response = client.get(f"/acme/tickets/{people.reported.id}")
    assert response.status_code == 302
    assert response.location == f"/acme/login?next=/acme/tickets/{people.reported.id}"


def test_other_workspace_ticket_is_not_found(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.reporter)
    response = client.get(f"/acme/tickets/{people.other_ticket.id}")
    assert response.status_code == 404
    assert "Umbrella ticket" not in _page(response)
    # Another organisation's ticket reads exactly like a missing one.
    assert _page(client.get("/acme/tickets/99999")).count("There is no ticket") == 1


def test_scope_note_explains_what_customer_admins_see(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.colleague)
    assert ("You see tickets you reported. Your organisation&#39;s customer admins see all of Globex&#39;s tickets."
            in _page(client.get("/acme/tickets")))
    sign_in(client, people.workspace, contact=people.customer_admin)
    assert "you see all of Globex&#39;s tickets" in _page(client.get("/acme/tickets"))


# -- Tickets off / public / private -------------------------------------------------------------------


def test_tickets_off_hides_the_tab_and_button_and_explains(client, sign_in, people):
    update_settings(people.workspace, {"features": {"tickets": False}})
    commit()
    sign_in(client, people.workspace, contact=people.reporter)
    for url in ("/acme/tickets", "/acme/tickets/new", f"/acme/tickets/{people.reported.id}"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Tickets are turned off for this portal." in _page(response)
    page = _page(client.get("/acme/login"))
    assert "+ Ticket" not in page
    assert 'href="/acme/tickets"' not in page


def test_private_tickets_send_anonymous_visitors_to_sign_in(client, people):
    response = client.get("/acme/tickets")
    assert response.status_code == 302 and response.location == "/acme/login?next=/acme/tickets"


def test_public_tickets_list_opens_but_creating_needs_sign_in(client, people):
    update_settings(people.workspace, {"features": {"tickets_public": True}})
    commit()
    response = client.get("/acme/tickets")
    assert response.status_code == 200
    assert "Sign in to see the tickets you reported" in _page(response)
    assert "Invoices fail to load" not in _page(response)
    new = client.get("/acme/tickets/new")
    assert new.status_code == 302 and new.location.startswith("/acme/login?next=/acme/tickets/new")
    assert client.post("/acme/tickets/new", data={"title": "x"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Ticket)) == 4


# -- List filters, sort, pages ------------------------------------------------------------------------


def test_filters_sort_and_pages(client, sign_in, people):
    admin = people.customer_admin
    for number in range(25):
        create_ticket(people.workspace, title=f"Bulk {number:02d}", severity="low", created_by_contact=admin,
                      custom_fields={"platform": "web", "browser": "chrome"})
    commit()
    sign_in(client, people.workspace, contact=admin)
    first = _page(client.get("/acme/tickets?severity=low&sort=title"))
    assert "Page 1 of 2" in first and ">Bulk 00</a>" in first and ">Bulk 20</a>" not in first
    second = _page(client.get("/acme/tickets?severity=low&sort=title&page=2"))
    assert ">Bulk 24</a>" in second and ">Bulk 00</a>" not in second
    assert "Invoices fail to load" not in first
    high = _page(client.get("/acme/tickets?severity=high"))
    assert "Invoices fail to load" in high and "Bulk" not in high
    found = _page(client.get("/acme/tickets?q=second+ADMIN"))
    assert "Add a second admin" in found and "Bulk" not in found
    severe = _page(client.get("/acme/tickets?sort=severity"))
    assert severe.index("Invoices fail to load") < severe.index("Add a second admin") < severe.index("Bulk 24")
    assert "No tickets match these filters." in _page(client.get("/acme/tickets?stage=resolved"))
    # Bad values fall back to defaults instead of failing.
    assert client.get("/acme/tickets?stage=nope&severity=x&sort=drop&page=-3").status_code == 200


# -- Creating ---------------------------------------------------------------------------------------


def test_form_renders_custom_and_dependent_fields(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.reporter)
    page = _page(client.get("/acme/tickets/new"))
    assert 'name="custom.platform"' in page
    assert 'data-show-when-field="platform" data-show-when-equals="web"' in page
    browser_field = page[page.index('data-field="browser"'):]
    assert browser_field[:200].split(">")[0].endswith(" hidden")  # hidden until platform is web


def test_dependent_field_is_required_only_when_shown(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.reporter)
    response = client.post("/acme/tickets/new", data={
        "title": "Checkout broken", "body": "On the web", "severity": "blocker", "custom.platform": "web",
    })
    assert response.status_code == 422
    page = _page(response)
    assert "This field is required." in page
    assert 'value="Checkout broken"' in page  # what was typed is kept
    browser_field = page[page.index('data-field="browser"'):][:300]
    assert "hidden" not in browser_field.split(">")[0]  # shown now that platform is web

    response = client.post("/acme/tickets/new", data={
        "title": "Checkout broken", "body": "On the web", "severity": "blocker",
        "custom.platform": "web", "custom.browser": "firefox", "custom.order_number": "1234",
    })
    assert response.status_code == 302
    ticket = db.session.scalar(db.select(Ticket).where(Ticket.title == "Checkout broken"))
    assert ticket.custom_fields == {"platform": "web", "browser": "firefox", "order_number": 1234}
    assert [c.id for c in ticket.reported_by] == [people.reporter.id]
    assert ticket.account_id == people.globex.id
    page = _page(client.get(response.location))
    assert "Checkout broken" in page and "firefox" in page and "Browser" in page and "Blocker" in page

    # A dependent value sent while its condition does not hold is dropped, not stored.
    client.post("/acme/tickets/new", data={"title": "iOS crash", "custom.platform": "ios", "custom.browser": "chrome"})
    ios = db.session.scalar(db.select(Ticket).where(Ticket.title == "iOS crash"))
    assert ios.custom_fields == {"platform": "ios"}


def test_bad_ticket_input_is_shown_on_the_form(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.reporter)
    response = client.post("/acme/tickets/new", data={
        "title": "", "severity": "catastrophic", "custom.platform": "mars", "custom.order_number": "abc", "custom.nope": "1",
    })
    assert response.status_code == 422
    page = _page(response)
    assert "A ticket needs a title." in page and "Choose one of: web, ios, android." in page


def test_unverified_contact_cannot_create(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.unverified)
    response = client.post("/acme/tickets/new", data={"title": "Let me in", "custom.platform": "ios"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(Ticket).where(Ticket.title == "Let me in")) is None


# -- Comments ---------------------------------------------------------------------------------------


def test_conversation_is_threaded_newest_first_without_internal_notes(client, sign_in, people):
    agent = db.session.scalar(db.select(User).where(User.email == "agent@acme.test"))
    first = people.reported.comments[0]
    add_comment(people.workspace, people.reported, body="Newest top-level", author_user=agent)
    add_comment(people.workspace, people.reported, body="A reply to the first", parent_id=first.id, author_user=agent)
    commit()
    sign_in(client, people.workspace, contact=people.reporter)
    page = _page(client.get(f"/acme/tickets/{people.reported.id}"))
    assert "Internal: looks like the cache." not in page
    assert page.index("Newest top-level") < page.index("Still broken today.") < page.index("A reply to the first")
    assert "Alan Agent" in page and "Support team" in page


def test_customer_comments_and_replies(client, sign_in, people):
    sign_in(client, people.workspace, contact=people.customer_admin)
    url = f"/acme/tickets/{people.reported.id}"
    response = client.post(url + "/comments", data={"body": "Admin here: same for us."})
    assert response.status_code == 302 and response.location.startswith(url + "#comment-")
    parent = people.reported.comments[0]
    assert client.post(url + "/comments", data={"body": "Replying", "parent_id": parent.id}).status_code == 302
    db.session.expire_all()
    bodies = {c.body: c for c in db.session.get(Ticket, people.reported.id).comments}
    assert bodies["Admin here: same for us."].visibility == "external"
    assert bodies["Replying"].parent_id == parent.id

    empty = client.post(url + "/comments", data={"body": "   "})
    assert empty.status_code == 422 and "A comment cannot be empty." in _page(empty)
    foreign = people.initech_ticket.id
    wrong_parent = client.post(url + "/comments", data={"body": "x", "parent_id": "abc"})
    assert wrong_parent.status_code == 422 and "Reply to a comment of this ticket." in _page(wrong_parent)
    assert client.post(f"/acme/tickets/{foreign}/comments", data={"body": "sneaky"}).status_code == 404


def test_comment_json_only_for_visible_comments(client, sign_in, people):
    internal = next(c for c in people.reported.comments if c.visibility == "internal")
    external = next(c for c in people.reported.comments if c.visibility == "external")
    sign_in(client, people.workspace, contact=people.reporter)
    base = f"/acme/tickets/{people.reported.id}/comments/"
    data = client.get(base + str(external.id)).get_json()
    assert data["body"] == "Still broken today." and data["author"] == "Rita Reporter"
    assert client.get(base + str(internal.id)).status_code == 404
    sign_in(client, people.workspace, contact=people.colleague)
    assert client.get(base + str(external.id)).status_code == 404


def test_event_stream_only_for_viewers_of_the_ticket(client, sign_in, people):
    url = f"/acme/tickets/{people.reported.id}/events"
    assert client.get(url).status_code == 302  # anonymous: sign in first
    sign_in(client, people.workspace, contact=people.outsider)
    assert client.get(url).status_code == 404
    sign_in(client, people.workspace, contact=people.reporter)
    response = client.get(url, buffered=False)
    try:
        assert response.status_code == 200
        assert response.mimetype == "text/event-stream"
        assert next(response.iter_encoded()).startswith(b"retry: 3000")
    finally:
        response.close()
