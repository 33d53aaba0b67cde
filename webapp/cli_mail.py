"""``snapdesk mail-listener``: an SMTP server (aiosmtpd) that feeds inbound mail to the email channel.

Point an MX (or a relay such as Postfix's ``transport`` map) at it. A recipient ``<slug>@<any
domain>`` starts or threads a conversation of that workspace; ``<slug>+c<id>@...`` (the Reply-To of
the desk's own mail) names the conversation. Unknown workspaces are refused at RCPT time (550), so
the sending server bounces rather than the mail vanishing.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import click
from flask import Flask

log = logging.getLogger("snapdesk.mail_listener")


class InboundHandler:
    """aiosmtpd handler: check recipients, then hand each mail to :func:`core.email_channel.receive_email`."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        # One mail at a time: the database work is synchronous and short.
        self._lock = threading.Lock()

    def _workspace(self, address: str) -> tuple[Any, int | None] | None:
        from core.email_channel import parse_recipient
        from core.workspaces import get_by_slug

        parsed = parse_recipient(address)
        if parsed is None:
            return None
        workspace = get_by_slug(parsed[0])
        return (workspace, parsed[1]) if workspace is not None else None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        with self._lock, self.app.app_context():
            if self._workspace(address) is None:
                return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from core.db import commit, db, rollback
        from core.email_channel import receive_email
        from core.errors import SnapdeskError

        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        with self._lock, self.app.app_context():
            try:
                for address in envelope.rcpt_tos:
                    found = self._workspace(address)
                    if found is None:
                        continue
                    workspace, conversation_id = found
                    message = receive_email(workspace, content, conversation_id=conversation_id)
                    commit()
                    log.info("mail for %s -> conversation %s", address, message.conversation_id)
            except SnapdeskError as exc:
                rollback()
                return f"550 5.6.0 {exc}"
            except Exception:  # noqa: BLE001 - a temporary failure: the sender retries later
                rollback()
                log.exception("inbound mail failed")
                return "451 4.3.0 Temporary failure; try again later"
            finally:
                db.session.remove()
        return "250 Message accepted for delivery"


def start_listener(app: Flask, host: str, port: int) -> Any:
    """Start the SMTP listener in a background thread; returns the aiosmtpd Controller (call ``stop()``)."""
    from aiosmtpd.controller import Controller

    controller = Controller(InboundHandler(app), hostname=host, port=port, server_hostname="snapdesk")
    controller.start()
    return controller


@click.command("mail-listener")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=2525, show_default=True, type=click.IntRange(1, 65535), help="SMTP port.")
def mail_listener(host: str, port: int) -> None:
    """Receive inbound mail over SMTP (recipients <slug>@... or <slug>+c<id>@...) into conversations."""
    from webapp.cli_common import build_app

    app = build_app()
    controller = start_listener(app, host, port)
    click.echo(f"snapdesk mail listener on smtp://{host}:{port} (Ctrl+C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
