"""Outbound mail: one message model, one MIME builder, three delivery backends.

The desk describes a message as an :class:`OutgoingMail`; :func:`build_message`
turns it into a standards-conforming :class:`email.message.EmailMessage`; a
:class:`Mailer` chosen by URL with :func:`mailer_from_url` delivers it:

* ``console://`` (the default) prints the message to a stream,
* ``smtp://[user:password@]host[:port][?starttls=1&timeout=10]`` and
  ``smtps://...`` (implicit TLS) deliver through an SMTP server,
* ``memory://`` keeps messages in ``outbox`` for tests.

Every ``send`` returns the Message-ID so callers can thread replies.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import socket
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from types import MappingProxyType
from typing import Protocol, TextIO, runtime_checkable
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "ConsoleMailer", "MailError", "Mailer", "MemoryMailer", "OutgoingMail", "SmtpMailer",
    "build_message", "mailer_from_url",
]

log = logging.getLogger(__name__)

DEFAULT_SENDER = "snapdesk <no-reply@localhost>"
ACCEPTED_SCHEMES = ("console", "smtp", "smtps", "memory")

# Headers build_message sets itself from OutgoingMail fields; letting `headers`
# set them too would produce duplicate or contradictory MIME structure.
_RESERVED_HEADERS = {"from", "to", "cc", "bcc", "subject", "reply-to", "date", "mime-version"}


class MailError(Exception):
    """Delivery failed; the message is a sentence fit for logs and admins."""


@dataclass(frozen=True)
class OutgoingMail:
    """One message to send.

    ``to`` holds addresses (``"a@example.com"`` or ``"Ann <a@example.com>"``).
    ``sender_name``/``sender_email`` each override that part of the mailer's
    default sender (so a name alone keeps the default address). ``headers`` adds extra headers such as In-Reply-To or
    References; a ``Message-ID`` given there is used when ``message_id`` is
    unset. When neither is given a Message-ID is generated at build time.
    """

    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    reply_to: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    message_id: str | None = None

    def __post_init__(self) -> None:
        # A bare string would silently iterate into one recipient per character.
        if isinstance(self.to, str):
            raise TypeError("OutgoingMail.to must be a tuple of addresses, not a single string.")
        object.__setattr__(self, "to", tuple(self.to))
        if not self.to:
            raise ValueError("OutgoingMail needs at least one recipient in 'to'.")
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))


@runtime_checkable
class Mailer(Protocol):
    """Anything that can deliver an :class:`OutgoingMail`."""

    def send(self, mail: OutgoingMail) -> str:
        """Deliver ``mail`` and return its Message-ID (with angle brackets)."""
        ...


def _normalise_msgid(value: str) -> str:
    value = value.strip()
    return value if value.startswith("<") else f"<{value}>"


def _sender_address(mail: OutgoingMail, default_sender: str) -> Address:
    default_name, default_email = parseaddr(default_sender)
    name = mail.sender_name if mail.sender_name is not None else default_name
    email = mail.sender_email or default_email
    if "@" not in email:
        raise ValueError(f"The sender address {email!r} is not a valid email address.")
    return Address(display_name=name or "", addr_spec=email)


def _transfer_encoding(body: str) -> str:
    # The stdlib heuristic switches to quoted-printable/base64 past 78 columns,
    # which mangles long links in console output; like Django, send UTF-8 as
    # 8bit and only encode when a line breaks RFC 5322's hard 998-octet limit.
    if any(len(line.encode("utf-8")) > 998 for line in body.splitlines()):
        return "quoted-printable"
    return "7bit" if body.isascii() else "8bit"


def build_message(mail: OutgoingMail, default_sender: str = DEFAULT_SENDER) -> EmailMessage:
    """Build the MIME message for ``mail``; the only place MIME is assembled.

    Produces text/plain, or multipart/alternative (text then html) when
    ``mail.html`` is set. Non-ASCII subjects and display names are encoded per
    RFC 2047 on serialisation. The result always carries a Message-ID header.
    Raises ValueError on reserved or malformed headers (including CR/LF
    injection attempts).
    """
    sender = _sender_address(mail, default_sender)
    for recipient in mail.to:
        parsed = getaddresses([recipient])
        if len(parsed) != 1 or "@" not in parsed[0][1]:
            raise ValueError(f"The recipient {recipient!r} is not a single valid email address.")
    extra = dict(mail.headers)
    message_id = mail.message_id
    for name in list(extra):
        lowered = name.lower()
        if lowered in _RESERVED_HEADERS or lowered.startswith("content-"):
            raise ValueError(f"The header {name!r} is set by the mailer and cannot be overridden.")
        if lowered == "message-id":
            given = extra.pop(name)
            if message_id is not None and _normalise_msgid(given) != _normalise_msgid(message_id):
                raise ValueError("OutgoingMail.message_id and headers['Message-ID'] disagree.")
            message_id = message_id or given
    # Use the sender's domain so make_msgid never falls back to a slow getfqdn().
    message_id = _normalise_msgid(message_id) if message_id else make_msgid(domain=sender.domain)

    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = ", ".join(mail.to)
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    msg["Message-ID"] = message_id
    for name, value in extra.items():
        msg[name] = value
    msg.set_content(mail.text, cte=_transfer_encoding(mail.text))
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html", cte=_transfer_encoding(mail.html))
    return msg


def _recipients(msg: EmailMessage) -> list[str]:
    return [addr for _name, addr in getaddresses(msg.get_all("To", [])) if addr]


class ConsoleMailer:
    """Writes each message, framed by separator lines, to ``stream``.

    ``stream`` defaults to whatever ``sys.stdout`` is at send time, so output
    capturing (pytest, gunicorn log redirection) sees it.
    """

    SEPARATOR = "-" * 30

    def __init__(self, stream: TextIO | None = None, *, default_sender: str = DEFAULT_SENDER) -> None:
        self.stream = stream
        self.default_sender = default_sender

    def send(self, mail: OutgoingMail) -> str:
        msg = build_message(mail, self.default_sender)
        out = self.stream if self.stream is not None else sys.stdout
        # Shown as serialised for the wire, so encoding problems are visible.
        out.write(f"{self.SEPARATOR} snapdesk outgoing mail {self.SEPARATOR}\n")
        # as_string() would re-encode 8bit bodies as base64; bytes keep them readable.
        out.write(msg.as_bytes().decode("utf-8", "replace"))
        out.write(f"\n{self.SEPARATOR} end of mail {self.SEPARATOR}\n")
        out.flush()
        return str(msg["Message-ID"])


class MemoryMailer:
    """Keeps every built message in ``outbox`` (oldest first); for tests."""

    def __init__(self, *, default_sender: str = DEFAULT_SENDER) -> None:
        self.default_sender = default_sender
        self.outbox: list[EmailMessage] = []

    def send(self, mail: OutgoingMail) -> str:
        msg = build_message(mail, self.default_sender)
        self.outbox.append(msg)
        return str(msg["Message-ID"])


@functools.cache
def _local_hostname() -> str:
    # smtplib calls getfqdn() on every connection, which can stall on DNS.
    return socket.getfqdn()


class SmtpMailer:
    """Delivers through an SMTP server, one connection per message.

    ``implicit_tls`` wraps the connection in TLS from the start (smtps);
    ``starttls`` upgrades a plain connection. Every failure is raised as
    :class:`MailError`; the password never appears in errors, logs or repr.
    """

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        implicit_tls: bool = False,
        starttls: bool = False,
        timeout: float = 10.0,
        default_sender: str = DEFAULT_SENDER,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if implicit_tls and starttls:
            raise ValueError("Use either implicit TLS (smtps://) or STARTTLS, not both.")
        self.host = host
        self.port = port or (465 if implicit_tls else 25)
        self.username = username
        self._password = password
        self.implicit_tls = implicit_tls
        self.starttls = starttls
        self.timeout = timeout
        self.default_sender = default_sender
        self.ssl_context = ssl_context

    def __repr__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        auth = f"{self.username}:***@" if self.username else ""
        return f"<SmtpMailer {scheme}://{auth}{self.host}:{self.port}>"

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _fail(self, what: str, exc: Exception) -> MailError:
        if isinstance(exc, smtplib.SMTPResponseException):
            error = exc.smtp_error
            text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
            reason = f"{exc.smtp_code} {text}"
        else:
            reason = str(exc) or type(exc).__name__
        return MailError(f"{what} at {self.host}:{self.port}: {reason.rstrip('.')}.")

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.implicit_tls:
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, local_hostname=_local_hostname(),
                    timeout=self.timeout, context=self._context(),
                )
            else:
                conn = smtplib.SMTP(
                    self.host, self.port, local_hostname=_local_hostname(), timeout=self.timeout
                )
        except OSError as exc:  # smtplib.SMTPException is an OSError too
            raise self._fail("Could not connect to the SMTP server", exc) from exc
        try:
            if self.starttls:
                conn.starttls(context=self._context())
            if self.username:
                conn.login(self.username, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            conn.close()
            # The server's reply is left out: some servers echo the credentials.
            raise MailError(
                f"The SMTP server at {self.host}:{self.port} rejected the login "
                f"for user {self.username!r}."
            ) from exc
        except OSError as exc:
            conn.close()
            raise self._fail("Could not start an SMTP session with the server", exc) from exc
        return conn

    def send(self, mail: OutgoingMail) -> str:
        msg = build_message(mail, self.default_sender)
        sender = msg["From"].addresses[0].addr_spec
        conn = self._connect()
        try:
            refused = conn.send_message(msg, from_addr=sender, to_addrs=_recipients(msg))
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(
                f"The SMTP server at {self.host}:{self.port} refused every recipient: "
                f"{', '.join(exc.recipients)}."
            ) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise self._fail(f"The sender {sender!r} was refused by the SMTP server", exc) from exc
        except OSError as exc:
            raise self._fail("Sending mail failed on the SMTP server", exc) from exc
        finally:
            try:
                conn.quit()
            except OSError:
                conn.close()
        if refused:
            # Raising would invite a retry that duplicates mail to the accepted ones.
            log.warning("SMTP server refused some recipients of %s: %s",
                        msg["Message-ID"], ", ".join(refused))
        return str(msg["Message-ID"])


def _parse_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in {"1", "true", "yes", "on", "0", "false", "no", "off", ""}:
        raise ValueError(f"The mail URL option {name}={value!r} must be 1 or 0.")
    return lowered in {"1", "true", "yes", "on"}


def _smtp_from_url(url: str, default_sender: str) -> SmtpMailer:
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError("An smtp:// mail URL needs a host, e.g. smtp://mail.example.com:587.")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError("The port in the mail URL is not a valid number.") from exc
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(options) - {"starttls", "timeout"}
    if unknown:
        raise ValueError(
            f"Unknown mail URL option(s) {', '.join(sorted(unknown))}; accepted: starttls, timeout."
        )
    try:
        timeout = float(options.get("timeout", "10"))
    except ValueError as exc:
        raise ValueError("The mail URL option timeout must be a number of seconds.") from exc
    if timeout <= 0:
        raise ValueError("The mail URL option timeout must be positive.")
    return SmtpMailer(
        parts.hostname,
        port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        implicit_tls=parts.scheme == "smtps",
        starttls=_parse_bool("starttls", options.get("starttls", "0")),
        timeout=timeout,
        default_sender=default_sender,
    )


def mailer_from_url(url: str | None, *, default_sender: str = DEFAULT_SENDER) -> Mailer:
    """Return the mailer a URL describes; None or "" means ``console://``.

    Raises ValueError for an unknown scheme or malformed options. Passwords
    in the URL should be percent-encoded if they contain ``@``, ``:`` or ``/``.
    """
    if not url:
        return ConsoleMailer(default_sender=default_sender)
    scheme = urlsplit(url).scheme.lower()
    if scheme == "console":
        return ConsoleMailer(default_sender=default_sender)
    if scheme == "memory":
        return MemoryMailer(default_sender=default_sender)
    if scheme in ("smtp", "smtps"):
        return _smtp_from_url(url, default_sender)
    # Deliberately no echo of the URL: it may carry a password.
    raise ValueError(
        f"Unsupported mail URL scheme {scheme!r}; use one of "
        f"{', '.join(s + '://' for s in ACCEPTED_SCHEMES)}."
    )
