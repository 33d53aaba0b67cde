"""Outbound mail, exercised end to end against a real SMTP server (SmtpSink)."""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Iterator

import pytest

from core.mail import (
    ConsoleMailer,
    MailError,
    MemoryMailer,
    OutgoingMail,
    SmtpMailer,
    build_message,
    mailer_from_url,
)
from webapp.testing.smtp import SmtpSink, find_code

SUBJECT = "[Acme] Update on Article – 日本語"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


def _mail(**overrides: object) -> OutgoingMail:
    fields: dict[str, object] = {
        "to": ("customer@example.com",),
        "subject": "Your sign-in code",
        "text": "Your code is 482913.\n",
    }
    fields.update(overrides)
    return OutgoingMail(**fields)  # type: ignore[arg-type]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_plain_text_mail_arrives(sink: SmtpSink) -> None:
    mailer_from_url(sink.url).send(_mail())
    [msg] = sink.wait_for(1)
    assert msg.get_content_type() == "text/plain"
    assert msg.envelope_from == "no-reply@localhost"
    assert msg.envelope_to == ("customer@example.com",)
    assert str(msg["To"]) == "customer@example.com"
    assert msg["Date"] is not None
    assert find_code(msg) == "482913"


def test_html_mail_is_multipart_alternative(sink: SmtpSink) -> None:
    mailer_from_url(sink.url).send(_mail(html="<p>Your code is <b>482913</b>.</p>"))
    [msg] = sink.wait_for(1)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    html = msg.get_body(preferencelist=("html",))
    assert html is not None and "<b>482913</b>" in html.get_content()
    assert find_code(msg) == "482913"


def test_non_ascii_subject_and_display_name_survive(sink: SmtpSink) -> None:
    mailer = mailer_from_url(sink.url, default_sender="Acme Support <support@acme.test>")
    mailer.send(_mail(subject=SUBJECT, sender_name="Article Subscriber bot – 日本",
                      text="こんにちは – code 123456\n"))
    [msg] = sink.wait_for(1)
    assert str(msg["Subject"]) == SUBJECT
    [sender] = msg["From"].addresses
    assert sender.display_name == "Article Subscriber bot – 日本"
    assert sender.addr_spec == "support@acme.test"
    assert "こんにちは" in msg.get_content()
    assert find_code(msg) == "123456"


def test_sender_email_and_reply_to_override_defaults(sink: SmtpSink) -> None:
    mailer_from_url(sink.url).send(
        _mail(sender_name="Article Subscriber bot", sender_email="bot@acme.test",
              reply_to="support+42@acme.test")
    )
    [msg] = sink.wait_for(1)
    assert str(msg["From"]) == "Article Subscriber bot <bot@acme.test>"
    assert msg.envelope_from == "bot@acme.test"
    assert str(msg["Reply-To"]) == "support+42@acme.test"


def test_threading_headers_preserved_and_message_id_returned(sink: SmtpSink) -> None:
    headers = {"In-Reply-To": "<ticket-42@acme.test>", "References": "<ticket-42@acme.test>"}
    returned = mailer_from_url(sink.url).send(_mail(headers=headers))
    [msg] = sink.wait_for(1)
    assert str(msg["In-Reply-To"]) == "<ticket-42@acme.test>"
    assert str(msg["References"]) == "<ticket-42@acme.test>"
    assert returned == str(msg["Message-ID"])
    assert returned.startswith("<") and returned.endswith("@localhost>")


def test_overlong_lines_are_encoded_and_decode_intact(sink: SmtpSink) -> None:
    long_line = "word " * 300  # 1500 octets: over RFC 5322's 998 limit
    mailer_from_url(sink.url).send(_mail(text=long_line + "\ncode 654321\n"))
    [msg] = sink.wait_for(1)
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    assert long_line in msg.get_content()
    assert find_code(msg) == "654321"


def test_explicit_message_id_is_used(sink: SmtpSink) -> None:
    returned = mailer_from_url(sink.url).send(_mail(message_id="reply-7@acme.test"))
    [msg] = sink.wait_for(1)
    assert returned == "<reply-7@acme.test>" == str(msg["Message-ID"])


def test_several_recipients_and_sink_helpers(sink: SmtpSink) -> None:
    mailer = mailer_from_url(sink.url)
    mailer.send(_mail(to=("Ann <ann@example.com>", "bob@example.com")))
    mailer.send(_mail(subject="second"))
    first, second = sink.wait_for(2)
    assert first.envelope_to == ("ann@example.com", "bob@example.com")
    assert str(second["Subject"]) == "second"
    sink.clear()
    assert sink.messages == []
    with pytest.raises(AssertionError, match="Expected 1 message"):
        sink.wait_for(1, timeout=0.2)


def test_smtp_login_and_rejected_password_is_not_leaked(caplog: pytest.LogCaptureFixture) -> None:
    with SmtpSink(credentials=("desk", "s3cr3t:@/")) as sink:
        mailer_from_url(sink.url).send(_mail())
        assert len(sink.wait_for(1)) == 1
        bad = sink.url.replace("s3cr3t", "wrong")
        caplog.set_level(logging.DEBUG)
        with pytest.raises(MailError, match="rejected the login for user 'desk'") as info:
            mailer_from_url(bad).send(_mail())
    assert "wrong" not in str(info.value) and "wrong" not in caplog.text
    assert "wrong" not in repr(mailer_from_url(bad))


def test_sink_with_credentials_refuses_anonymous_senders() -> None:
    with SmtpSink(credentials=("desk", "pw")) as sink:
        anonymous = sink.url.replace("desk:pw@", "")
        with pytest.raises(MailError, match=r"sender .* was refused .*: 530 5\.7\.0 Authentication required\.$"):
            mailer_from_url(anonymous).send(_mail())
        assert sink.messages == []


def test_connection_refused_raises_mail_error() -> None:
    mailer = mailer_from_url(f"smtp://127.0.0.1:{_closed_port()}?timeout=2")
    with pytest.raises(MailError, match=r"^Could not connect to the SMTP server at 127\.0\.0\.1:\d+"):
        mailer.send(_mail())


def test_console_backend_writes_full_message_to_stream() -> None:
    stream = io.StringIO()
    returned = ConsoleMailer(stream=stream).send(_mail(subject=SUBJECT))
    out = stream.getvalue()
    assert "snapdesk outgoing mail" in out and "end of mail" in out
    assert f"Message-ID: {returned}" in out
    assert "From: snapdesk <no-reply@localhost>" in out
    assert "Your code is 482913." in out


def test_console_keeps_long_links_and_non_ascii_readable() -> None:
    link = "https://desk.acme.test/login?token=" + "x" * 120 + "&next=/tickets/42"
    stream = io.StringIO()
    ConsoleMailer(stream=stream).send(_mail(text=f"こんにちは\nSign in: {link}\n"))
    out = stream.getvalue()
    assert link in out and "こんにちは" in out


def test_console_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    for url in (None, "", "console://"):
        mailer = mailer_from_url(url)
        assert isinstance(mailer, ConsoleMailer)
        mailer.send(_mail())
        assert "482913" in capsys.readouterr().out


def test_memory_backend_collects() -> None:
    mailer = mailer_from_url("memory://")
    assert isinstance(mailer, MemoryMailer)
    returned = mailer.send(_mail(subject=SUBJECT))
    [msg] = mailer.outbox
    assert str(msg["Subject"]) == SUBJECT
    assert str(msg["Message-ID"]) == returned


def test_smtp_url_options_are_parsed() -> None:
    mailer = mailer_from_url("smtps://u%40x:p%3Aw@mail.example.com?timeout=3")
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.host, mailer.port, mailer.username) == ("mail.example.com", 465, "u@x")
    assert mailer.implicit_tls and not mailer.starttls and mailer.timeout == 3.0
    assert "p:w" not in repr(mailer) and "p%3Aw" not in repr(mailer)
    starttls = mailer_from_url("smtp://mail.example.com:587?starttls=1")
    assert isinstance(starttls, SmtpMailer) and starttls.starttls and starttls.port == 587
    with pytest.raises(ValueError, match="accepted: starttls, timeout"):
        mailer_from_url("smtp://mail.example.com?tls=1")


def test_unknown_scheme_names_accepted_schemes() -> None:
    with pytest.raises(ValueError, match=r"use one of console://, smtp://, smtps://, memory://"):
        mailer_from_url("sendmail://localhost")


def test_build_message_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="set by the mailer"):
        build_message(_mail(headers={"Subject": "sneaky"}))
    with pytest.raises(ValueError):
        build_message(_mail(subject="hi\r\nBcc: victim@example.com"))
    with pytest.raises(TypeError, match="not a single string"):
        OutgoingMail(to="a@example.com", subject="s", text="t")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one recipient"):
        OutgoingMail(to=(), subject="s", text="t")
