"""The email channel: inbound mail -> conversations (threading, idempotency, quoting) and agent
replies mailed back with thread headers, through a real SMTP server."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from core import conversations
from core.db import commit, db
from core.email_channel import clean_body, inbound_token, parse_recipient, receive_email, reply_address
from core.errors import ValidationError
from core.mail import mailer_from_url
from core.models import Contact, Conversation, Message, User
from core.people import create_contact
from core.stages import Stage
from core.workspaces import create_workspace


def mail(body="My invoice is wrong.", *, sender="Dana Doe <dana@customer.test>", subject="Invoice 77",
         message_id="<m1@customer.test>", to="acme@in.example.com", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


def agent(workspace) -> User:
    return db.session.query(User).filter_by(workspace_id=workspace.id, email="agent@acme.test").one()


def test_a_new_mail_starts_an_email_conversation_for_a_new_unverified_contact(workspace):
    message = receive_email(workspace, mail())
    commit()
    conversation = message.conversation
    assert conversation.channel == "email" and conversation.title == "Invoice 77" and conversation.stage == Stage.NEW
    assert conversation.email_thread_id == "<m1@customer.test>" and message.email_message_id == "<m1@customer.test>"
    contact = conversation.contact
    assert (contact.email, contact.name, contact.verified) == ("dana@customer.test", "Dana Doe", False)
    assert message.body == "My invoice is wrong." and message.author_kind == "rev"


def test_the_same_mail_twice_is_one_message(workspace):
    first = receive_email(workspace, mail())
    commit()
    again = receive_email(workspace, mail())
    commit()
    assert again.id == first.id
    assert db.session.query(Message).filter_by(workspace_id=workspace.id, author_kind="rev").count() == 1


def test_a_reply_is_threaded_by_in_reply_to_and_references(workspace):
    first = receive_email(workspace, mail())
    commit()
    reply = receive_email(workspace, mail(
        "Any news?\n\nOn Tue, 3 Jun 2025, Acme <support@acme.test> wrote:\n> We are looking into it.",
        message_id="<m2@customer.test>", subject="Re: Invoice 77", In_Reply_To="<m1@customer.test>",
        References="<m1@customer.test>",
    ))
    commit()
    assert reply.conversation_id == first.conversation_id and reply.body == "Any news?"
    # A client that only keeps References still threads.
    third = receive_email(workspace, mail("Third", message_id="<m3@customer.test>", References="<x@y> <m2@customer.test>"))
    commit()
    assert third.conversation_id == first.conversation_id
    assert db.session.query(Conversation).filter_by(workspace_id=workspace.id).count() == 1


def test_thread_headers_never_reach_another_workspaces_conversation(workspace):
    globex = create_workspace(slug="globex", name="Globex")
    commit()
    theirs = receive_email(globex, mail())
    commit()
    ours = receive_email(workspace, mail("Hello", message_id="<other@customer.test>", In_Reply_To="<m1@customer.test>"))
    commit()
    assert ours.conversation.workspace_id == workspace.id and ours.conversation_id != theirs.conversation_id


def test_a_routing_address_names_the_conversation_only_for_its_contact(workspace):
    dana = create_contact(workspace, email="dana@customer.test")
    conversation = conversations.start_conversation(workspace, body="Widget chat", channel="email", contact=dana)
    commit()
    address = reply_address(workspace, conversation.id)
    assert address == f"acme+c{conversation.id}@localhost" and parse_recipient(address) == ("acme", conversation.id)
    answer = receive_email(workspace, mail("Reply by mail", message_id="<r1@customer.test>", to=address))
    assert answer.conversation_id == conversation.id
    stranger = receive_email(workspace, mail("Let me in", sender="eve@evil.test", message_id="<e1@evil.test>", to=address))
    assert stranger.conversation_id != conversation.id


def test_quotes_and_signatures_are_stripped():
    text = "Thanks, that fixed it.\n\n-- \nDana Doe\nCustomer Inc.\n"
    assert clean_body(text) == "Thanks, that fixed it."
    assert clean_body("Yes\n> quoted\n> more\nAnd more") == "Yes\nAnd more"
    assert clean_body("Top\nOn Mon, 2 Jun 2025 at 10:00, Support\n<s@acme.test> wrote:\n> old") == "Top"


def test_unusable_mail_is_a_validation_error(workspace):
    with pytest.raises(ValidationError) as no_sender:
        receive_email(workspace, mail(sender="nobody"))
    assert "from" in no_sender.value.fields
    with pytest.raises(ValidationError) as only_quotes:
        receive_email(workspace, mail("> just a quote"))
    assert "body" in only_quotes.value.fields
    with pytest.raises(ValidationError):
        receive_email(workspace, b"")


def test_html_only_mail_becomes_text(workspace):
    message = EmailMessage()
    message["From"] = "h@customer.test"
    message["Subject"] = "HTML"
    message["Message-ID"] = "<h1@customer.test>"
    message.set_content("<p>Hello <b>there</b></p>", subtype="html")
    assert receive_email(workspace, message).body == "Hello there"


def test_the_agents_reply_reaches_a_real_smtp_server_threaded(make_app, smtp_sink):
    from core.people import create_user

    make_app(mailer=mailer_from_url(smtp_sink.url), INBOUND_DOMAIN="in.acme.test")
    workspace = create_workspace(slug="acme", name="Acme")
    helper = create_user(workspace, email="agent@acme.test", name="Alan Agent")
    commit()
    inbound = receive_email(workspace, mail())
    commit()
    conversation = inbound.conversation
    conversations.post_message(workspace, conversation, body="internal: check billing", author_user=helper, internal=True)
    commit()
    reply = conversations.post_message(workspace, conversation, body="We fixed your invoice.", author_user=helper)
    commit()
    [sent] = smtp_sink.wait_for(1)
    assert sent.envelope_to == ("dana@customer.test",)
    assert sent["In-Reply-To"] == "<m1@customer.test>" and "<m1@customer.test>" in sent["References"]
    assert sent["Reply-To"] == f"acme+c{conversation.id}@in.acme.test"
    assert str(sent["Subject"]) == "Re: Invoice 77"
    assert "We fixed your invoice." in sent.get_body(("plain",)).get_content()
    db.session.expire_all()
    stored = db.session.get(Message, reply.id)
    assert stored.email_message_id == sent["Message-ID"]

    # The customer answers the agent's mail: it threads back into the same conversation.
    answer = receive_email(workspace, mail(
        "Thanks!", message_id="<m9@customer.test>", In_Reply_To=sent["Message-ID"], to=sent["Reply-To"]
    ))
    commit()
    assert answer.conversation_id == conversation.id
    assert db.session.get(Conversation, conversation.id).stage == Stage.NEEDS_RESPONSE
    assert len(smtp_sink.messages) == 1  # the internal note and the customer's own mail were not mailed


def test_widget_conversations_are_not_mailed(workspace, outbox):
    contact = create_contact(workspace, email="w@customer.test")
    conversation = conversations.start_conversation(workspace, body="chat", channel="widget", contact=contact)
    conversations.post_message(workspace, conversation, body="reply", author_user=agent(workspace))
    commit()
    assert len(outbox) == 0


def test_inbound_token_is_per_workspace(workspace):
    globex = create_workspace(slug="globex", name="Globex")
    commit()
    assert inbound_token(workspace) != inbound_token(globex) and len(inbound_token(workspace)) == 40
    assert db.session.query(Contact).count() == 0


def test_a_reply_to_an_archived_conversation_starts_a_new_one(workspace):
    first = receive_email(workspace, mail())
    conversation = first.conversation
    helper = agent(workspace)
    conversations.post_message(workspace, conversation, body="Fixed", author_user=helper)
    conversations.post_message(workspace, conversation, body="ok", author_contact=conversation.contact)
    conversations.change_stage(workspace, conversation, Stage.RESOLVED, by_kind="dev", by_user=helper)
    conversations.change_stage(workspace, conversation, Stage.ARCHIVED, by_kind="dev", by_user=helper)
    commit()
    later = receive_email(workspace, mail("New problem", message_id="<m5@customer.test>", In_Reply_To="<m1@customer.test>"))
    commit()
    assert later.conversation_id != conversation.id and later.conversation.stage == Stage.NEW
