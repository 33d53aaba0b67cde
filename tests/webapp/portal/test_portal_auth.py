"""Portal sign-in: email code, JWT, sign-out, next-URL safety, workspace switching, messages on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from portal_people import build_people

from core.db import commit, db, utcnow
from core.identity import issue_widget_token
from core.mail import MailError
from core.models import OtpChallenge
from webapp.testing.smtp import find_code


@pytest.fixture
def people(workspace):
    return build_people(workspace)


def _code(outbox) -> str:
    return find_code(outbox[-1])


def _signed_in_ids(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("contacts") or {})


def _request_code(client, email, **extra):
    return client.post("/acme/login", data={"step": "email", "email": email, **extra})


def test_login_page_explains_who_can_sign_in(client, workspace):
    page = client.get("/acme/login").get_data(as_text=True)
    assert "Sign in to Acme" in page
    assert "Only verified users can sign in" in page


def test_unknown_and_unverified_emails_are_told_why_on_the_page(client, people, outbox):
    for email in ("nobody@nowhere.test", people.unverified.email):
        response = _request_code(client, email)
        assert response.status_code == 401
        assert "Only verified users can log in. Ask the support team of Acme to verify your email address." in response.get_data(as_text=True)
    assert len(outbox) == 0


def test_malformed_email_is_a_message_not_an_error_page(client, people):
    response = _request_code(client, "not-an-email")
    assert response.status_code == 422
    assert "Enter a valid email address" in response.get_data(as_text=True)


def test_code_sign_in_lands_on_next(client, people, outbox):
    response = _request_code(client, "Rita@Globex.test", next="/acme/tickets?stage=queued")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We sent a 6-digit code to rita@globex.test." in page
    assert "Didn't get the code?" in page and "spam" in page and "wait a minute" in page
    assert outbox[-1]["To"] == "rita@globex.test"

    response = client.post("/acme/login", data={
        "step": "code", "email": "rita@globex.test", "code": _code(outbox), "next": "/acme/tickets?stage=queued",
    })
    assert response.status_code == 302
    assert response.location == "/acme/tickets?stage=queued"
    assert _signed_in_ids(client) == {str(people.workspace.id): people.reporter.id}


@pytest.mark.parametrize("target", ["https://evil.test/x", "//evil.test/x", "/\\evil.test", "javascript:alert(1)"])
def test_next_must_be_a_path_on_this_site(client, people, outbox, target):
    _request_code(client, people.reporter.email)
    response = client.post("/acme/login", data={
        "step": "code", "email": people.reporter.email, "code": _code(outbox), "next": target,
    })
    assert response.status_code == 302
    assert response.location == "/acme/tickets"


def test_wrong_code_says_how_many_attempts_are_left(client, people, outbox):
    _request_code(client, people.reporter.email)
    wrong = "000000" if _code(outbox) != "000000" else "111111"
    response = client.post("/acme/login", data={"step": "code", "email": people.reporter.email, "code": wrong})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "That code is not right. 4 attempts left." in page
    assert 'name="code"' in page  # still on the code step
    assert _signed_in_ids(client) == {}


def test_expired_code_is_explained(client, people, outbox):
    _request_code(client, people.reporter.email)
    code = _code(outbox)
    challenge = db.session.scalars(db.select(OtpChallenge)).one()
    challenge.expires_at = utcnow() - timedelta(seconds=1)
    commit()
    response = client.post("/acme/login", data={"step": "code", "email": people.reporter.email, "code": code})
    assert "This code has expired. Request a new one." in response.get_data(as_text=True)


def test_rate_limit_is_shown_on_the_page(make_app):
    app = make_app(OTP_PER_EMAIL_PER_HOUR=2)
    from core.workspaces import create_workspace
    from core.people import create_contact

    ws = create_workspace(slug="acme", name="Acme")
    create_contact(ws, email="rita@globex.test", verified=True)
    commit()
    client = app.test_client()
    for _ in range(2):
        assert _request_code(client, "rita@globex.test").status_code == 200
    response = _request_code(client, "rita@globex.test")
    assert response.status_code == 429
    assert "Too many sign-in codes were requested for rita@globex.test" in response.get_data(as_text=True)


def test_mail_failure_is_shown_on_the_page(make_app):
    class BrokenMailer:
        def send(self, mail):
            raise MailError("connection refused")

    app = make_app(mailer=BrokenMailer())
    from core.people import create_contact
    from core.workspaces import create_workspace

    ws = create_workspace(slug="acme", name="Acme")
    create_contact(ws, email="rita@globex.test", verified=True)
    commit()
    response = _request_code(app.test_client(), "rita@globex.test")
    assert response.status_code == 503
    assert "We could not send the sign-in code right now" in response.get_data(as_text=True)


def test_jwt_sign_in_once(client, people):
    token = issue_widget_token(people.workspace, email=people.reporter.email)
    response = client.get(f"/acme/login/jwt?token={token}&next=/acme/tickets/{people.reported.id}")
    assert response.status_code == 302
    assert response.location == f"/acme/tickets/{people.reported.id}"
    assert _signed_in_ids(client) == {str(people.workspace.id): people.reporter.id}

    client.post("/acme/logout")
    again = client.get(f"/acme/login/jwt?token={token}")
    assert again.status_code == 401
    assert "This sign-in link has already been used." in again.get_data(as_text=True)
    assert _signed_in_ids(client) == {}


def test_jwt_sign_in_by_post_and_bad_tokens_explained(client, people):
    token = issue_widget_token(people.workspace, email=people.reporter.email)
    assert client.post("/acme/login/jwt", data={"token": token}).status_code == 302

    other = issue_widget_token(people.other_workspace, email=people.reporter.email)
    response = client.get(f"/acme/login/jwt?token={other}")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "sign-in token" in page and "sign in with a code" in page

    unverified = issue_widget_token(people.workspace, email=people.unverified.email)
    assert "Only verified users can log in" in client.get(f"/acme/login/jwt?token={unverified}").get_data(as_text=True)
    assert "A sign-in token is required." in client.get("/acme/login/jwt").get_data(as_text=True)


def test_logout_is_post_only_and_signs_out_this_workspace(client, people, sign_in):
    sign_in(client, people.workspace, contact=people.reporter)
    sign_in(client, people.other_workspace, contact=people.other_reporter)
    assert client.get("/acme/logout").status_code == 405
    response = client.post("/acme/logout")
    assert response.status_code == 302 and response.location == "/acme/login"
    assert _signed_in_ids(client) == {str(people.other_workspace.id): people.other_reporter.id}
    assert "You are signed out." in client.get("/acme/login").get_data(as_text=True)


def test_unknown_workspace_is_404(client, workspace):
    assert client.get("/nope/login").status_code == 404
    assert client.get("/nope/tickets").status_code == 404


# -- Workspace switching -------------------------------------------------------------------------


def _sign_in_by_code(client, outbox, slug, email):
    client.post(f"/{slug}/login", data={"step": "email", "email": email})
    response = client.post(f"/{slug}/login", data={"step": "code", "email": email, "code": _code(outbox)})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_proven_email_switches_workspace_without_a_new_code(client, people, outbox):
    _sign_in_by_code(client, outbox, "acme", people.reporter.email)
    page = client.get("/acme/tickets").get_data(as_text=True)
    assert "Switch workspace" in page and "Umbrella" in page

    sent = len(outbox)
    response = client.post("/acme/switch", data={"to": "umbrella"})
    assert response.status_code == 302
    assert response.location.startswith("/umbrella/")
    assert _signed_in_ids(client)[str(people.other_workspace.id)] == people.other_reporter.id
    assert len(outbox) == sent  # no new code
    # And back: Acme is listed in Umbrella's menu as a signed-in workspace.
    assert "Acme" in client.get("/umbrella/tickets").get_data(as_text=True)


def test_switch_without_proof_goes_to_that_workspaces_sign_in(client, people, sign_in):
    # Signed in without proving the email in this browser (e.g. the session was set up otherwise).
    sign_in(client, people.workspace, contact=people.reporter)
    assert "Switch workspace" not in client.get("/acme/tickets").get_data(as_text=True)
    response = client.post("/acme/switch", data={"to": "umbrella"})
    assert response.status_code == 302
    assert response.location.startswith("/umbrella/login")
    assert str(people.other_workspace.id) not in _signed_in_ids(client)


def test_switch_needs_a_verified_contact_there(client, people, outbox):
    people.other_reporter.verified = False
    commit()
    _sign_in_by_code(client, outbox, "acme", people.reporter.email)
    assert "Umbrella" not in client.get("/acme/tickets").get_data(as_text=True)
    response = client.post("/acme/switch", data={"to": "umbrella"})
    assert response.location.startswith("/umbrella/login")
    assert str(people.other_workspace.id) not in _signed_in_ids(client)


def test_switch_to_unknown_workspace_is_a_message(client, people, sign_in):
    sign_in(client, people.workspace, contact=people.reporter)
    response = client.post("/acme/switch", data={"to": "nope"}, follow_redirects=True)
    assert "That workspace does not exist." in response.get_data(as_text=True)
