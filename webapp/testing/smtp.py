"""A real SMTP server for tests: mail sent to :attr:`SmtpSink.url` lands in a list.

Usage::

    with SmtpSink() as sink:
        mailer_from_url(sink.url).send(mail)
        [message] = sink.wait_for(1)
        code = find_code(message)

The server is aiosmtpd running in a background thread on 127.0.0.1, so tests
exercise the full smtplib -> wire -> parser path that production uses.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from types import TracebackType
from typing import Any
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

__all__ = ["ReceivedMessage", "SmtpSink", "find_code"]


class ReceivedMessage(EmailMessage):
    """A parsed message plus the SMTP envelope it arrived with.

    Sub-parts of a multipart message are also of this class but keep the
    empty defaults; only the top-level message carries the envelope.
    """

    envelope_from: str = ""
    envelope_to: tuple[str, ...] = ()


_PARSER = BytesParser(policy=policy.default.clone(message_factory=ReceivedMessage))


def _free_port() -> int:
    # aiosmtpd's Controller cannot report the port it got for port=0 before it
    # self-connects, so reserve one here; the tiny reuse race is retried in start().
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        # Enforced here rather than with aiosmtpd's auth_required, which warns
        # on every connection when TLS is not required too.
        if self._sink.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        message = _PARSER.parsebytes(content)
        assert isinstance(message, ReceivedMessage)
        message.envelope_from = envelope.mail_from or ""
        message.envelope_to = tuple(envelope.rcpt_tos)
        self._sink._deliver(message)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server on 127.0.0.1 that records every message it receives.

    ``credentials=(user, password)`` makes the server require AUTH (over plain
    text, which is fine on loopback) and puts them into :attr:`url`.
    All public methods are thread-safe.
    """

    def __init__(self, *, credentials: tuple[str, str] | None = None) -> None:
        self.credentials = credentials
        self._lock = threading.Condition()
        self._messages: list[ReceivedMessage] = []
        self._controller: Controller | None = None
        self._port: int | None = None

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> SmtpSink:
        """Start listening; returns self. Raises RuntimeError if already running."""
        if self._controller is not None:
            raise RuntimeError("This SmtpSink is already running.")
        kwargs: dict[str, Any] = {"server_hostname": "snapdesk-sink"}
        if self.credentials is not None:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        last_error: Exception | None = None
        for _attempt in range(5):
            port = _free_port()
            controller = Controller(_Handler(self), hostname="127.0.0.1", port=port, **kwargs)
            try:
                controller.start()
            except Exception as exc:  # aiosmtpd re-raises bind errors from its thread
                last_error = exc
                continue
            self._controller, self._port = controller, port
            return self
        raise RuntimeError(f"Could not start the SMTP sink on 127.0.0.1: {last_error}")

    def stop(self) -> None:
        """Stop listening. Received messages stay available; safe to call twice."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addressing --------------------------------------------------------
    @property
    def port(self) -> int:
        """The TCP port; RuntimeError before the first start()."""
        if self._port is None:
            raise RuntimeError("The SmtpSink has not been started; call start() first.")
        return self._port

    @property
    def url(self) -> str:
        """A mail URL for :func:`core.mail.mailer_from_url`, e.g. ``smtp://127.0.0.1:PORT``."""
        auth = ""
        if self.credentials is not None:
            user, password = self.credentials
            auth = f"{quote(user, safe='')}:{quote(password, safe='')}@"
        return f"smtp://{auth}127.0.0.1:{self.port}"

    # -- messages ----------------------------------------------------------
    @property
    def messages(self) -> list[ReceivedMessage]:
        """A snapshot copy of the messages received so far, oldest first."""
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        """Forget every message received so far."""
        with self._lock:
            self._messages.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """Block until at least ``count`` messages arrived; return all of them.

        Raises AssertionError naming what did arrive if ``timeout`` seconds pass.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [str(m["Subject"]) for m in self._messages]
                    raise AssertionError(
                        f"Expected {count} message(s) at the SMTP sink within {timeout:g}s "
                        f"but received {len(self._messages)}; subjects so far: {subjects!r}."
                    )
                self._lock.wait(min(remaining, 0.1))
            return list(self._messages)

    def _deliver(self, message: ReceivedMessage) -> None:
        with self._lock:
            self._messages.append(message)
            self._lock.notify_all()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert self.credentials is not None
        user, password = self.credentials
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)


def find_code(message: EmailMessage, pattern: str = r"\b(\d{6})\b") -> str:
    """Return the first match of ``pattern`` in the message's text part.

    Uses group 1 when the pattern has a group, else the whole match. Falls
    back to the html part when there is no text part. Raises AssertionError
    with the subject and a text excerpt when nothing matches.
    """
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    assert isinstance(text, str)
    match = re.search(pattern, text)
    if match is None:
        excerpt = text[:300].replace("\n", " ")
        raise AssertionError(
            f"No match for {pattern!r} in the mail {str(message['Subject'])!r}; text begins: {excerpt!r}"
        )
    return match.group(1) if match.groups() else match.group(0)
