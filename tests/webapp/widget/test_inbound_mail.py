"""Inbound mail paths: the HTTP endpoint (token-protected) and the SMTP listener (mail-listener)."""

from __future__ import annotations

import smtplib
import socket
from email.message import EmailMessage

from core.db import commit, db
from core.email_channel import inbound_token
from core.models import Conversation, Message
from core.workspaces import create_workspace
from webapp.cli_mail import start_listener


def raw_mail(body="Printer on fire", message_id="<p1@customer.test>", to="acme@in.acme.test", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = "Pat <pat@customer.test>"
    message["To"] = to
    message["Subject"] = "Printer"
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


def test_the_http_endpoint_needs_the_workspace_token(workspace, client):
    url = "/inbound/email/acme"
    assert client.post(url, data=raw_mail()).status_code == 403
    assert client.post(url, data=raw_mail(), headers={"X-Snapdesk-Inbound-Token": "wrong"}).status_code == 403
    globex = create_workspace(slug="globex", name="Globex")
    commit()
    foreign = client.post(url, data=raw_mail(), headers={"X-Snapdesk-Inbound-Token": inbound_token(globex)})
    assert foreign.status_code == 403 and foreign.get_json()["error"]["status"] == 403
    assert db.session.query(Message).count() == 0


def test_the_http_endpoint_creates_then_threads_and_is_idempotent(workspace, client):
    url = f"/inbound/email/acme?token={inbound_token(workspace)}"
    created = client.post(url, data=raw_mail(), content_type="message/rfc822")
    assert created.status_code == 201
    conversation_id = created.get_json()["conversation_id"]
    assert client.post(url, data=raw_mail(), content_type="message/rfc822").status_code == 200
    reply = client.post(url, data=raw_mail("Still on fire", "<p2@customer.test>", In_Reply_To="<p1@customer.test>"))
    assert reply.status_code == 201 and reply.get_json()["conversation_id"] == conversation_id
    assert db.session.get(Conversation, conversation_id).channel == "email"
    bad = client.post(url, data=b"From: nobody\n\nhello")
    assert bad.status_code == 422 and "from" in bad.get_json()["error"]["fields"]
    assert client.post("/inbound/email/nope?token=x", data=raw_mail()).status_code == 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_smtp_listener_routes_by_recipient(app, workspace):
    port = _free_port()
    controller = start_listener(app, "127.0.0.1", port)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.sendmail("pat@customer.test", ["acme@in.acme.test"], raw_mail())
            refused = None
            try:
                smtp.sendmail("pat@customer.test", ["nobody-here@in.acme.test"], raw_mail(message_id="<x@y>"))
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc
        assert refused is not None
        db.session.rollback()
        conversation = db.session.query(Conversation).filter_by(workspace_id=workspace.id).one()
        assert conversation.channel == "email" and conversation.messages[0].body == "Printer on fire"
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            # The Reply-To of the desk's mails: <slug>+c<id>@..., no thread headers needed.
            smtp.sendmail("pat@customer.test", [f"acme+c{conversation.id}@in.acme.test"],
                          raw_mail("Follow-up", "<p3@customer.test>", to=f"acme+c{conversation.id}@in.acme.test"))
        db.session.rollback()
        assert [m.body for m in db.session.get(Conversation, conversation.id).messages if not m.internal] == [
            "Printer on fire", "Follow-up",
        ]
    finally:
        controller.stop()


def test_csrf_protection_does_not_block_the_widget_api_or_inbound_mail(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    workspace = create_workspace(slug="acme", name="Acme")
    commit()
    client = app.test_client()
    assert client.post("/widget/api/acme/session", json={}).status_code == 201
    response = client.post(f"/inbound/email/acme?token={inbound_token(workspace)}", data=raw_mail())
    assert response.status_code == 201
