"""The email channel: inbound mail becomes conversation messages; agents' public replies go out by mail.

Inbound (:func:`receive_email`): the mail's thread headers (``In-Reply-To``, ``References``) or a
routing address ``<slug>+c<conversation id>@<INBOUND_DOMAIN>`` pick the conversation of the same
workspace; otherwise a new conversation starts on channel "email" for the sender's contact
(created unverified when unknown). Every message goes through :mod:`core.conversations`, so the spam
verdict, routing and stage rules apply. A Message-ID seen before in the workspace returns the
stored message (mail servers retry; the same mail twice is one message).

Outbound (:func:`send_agent_reply`, a subscriber of :data:`core.events.domain_event`): an agent's
public reply on an email conversation is mailed to the contact with ``In-Reply-To``/``References``
so the customer's mail client threads it, and ``Reply-To`` the conversation's routing address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, make_msgid, parseaddr

from sqlalchemy import select

from core import conversations
from core.db import commit, db
from core.errors import ValidationError
from core.events import DomainEvent
from core.mail import MailError, OutgoingMail
from core.models import Contact, Conversation, Message, Workspace
from core.people import create_contact, find_contact_by_email, normalize_email
from core.runtime import get_runtime
from core.search import html_to_text
from core.stages import Stage

log = logging.getLogger("snapdesk.email_channel")

__all__ = [
    "DEFAULT_INBOUND_DOMAIN", "clean_body", "inbound_token", "parse_recipient", "receive_email",
    "reply_address", "send_agent_reply",
]

DEFAULT_INBOUND_DOMAIN = "localhost"
#: ``acme`` or ``acme+c42`` (the local part of an inbound address).
_LOCAL_PART = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]*)(?:\+c(?P<conversation>\d{1,18}))?$")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
#: "On Tue, 3 Jun 2025, Ann <ann@x.test> wrote:" (may wrap over two lines in some clients).
_QUOTE_HEADER = re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE | re.DOTALL)
_PARSER = BytesParser(policy=policy.default)
MAX_BODY = 50_000


# -- Addresses and tokens -------------------------------------------------------------------------


def inbound_domain() -> str:
    return str(get_runtime().options.get("INBOUND_DOMAIN") or DEFAULT_INBOUND_DOMAIN)


def reply_address(workspace: Workspace, conversation_id: int) -> str:
    """The address that routes a reply back into one conversation: ``<slug>+c<id>@<INBOUND_DOMAIN>``."""
    return f"{workspace.slug}+c{conversation_id}@{inbound_domain()}"


def parse_recipient(address: str) -> tuple[str, int | None] | None:
    """``"acme+c42@in.example.com"`` -> ``("acme", 42)``; ``"acme@..."`` -> ``("acme", None)``; else None."""
    _name, addr = parseaddr(address or "")
    local = addr.rsplit("@", 1)[0].strip().lower() if "@" in addr else ""
    match = _LOCAL_PART.match(local)
    if match is None:
        return None
    conversation = match.group("conversation")
    return match.group("slug"), int(conversation) if conversation else None


def inbound_token(workspace: Workspace) -> str:
    """The secret that authorizes posting raw mail for ``workspace`` to the inbound HTTP endpoint.

    Derived (HMAC-SHA256) from the workspace's application secret, so rotating that secret rotates it.
    """
    key = workspace.app_token_secret.encode("utf-8")
    return hmac.new(key, f"inbound-email:{workspace.slug}".encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def check_inbound_token(workspace: Workspace, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(inbound_token(workspace), str(token))


# -- Parsing --------------------------------------------------------------------------------------


def _message_ids(value: str | None) -> list[str]:
    return _MESSAGE_ID.findall(str(value or ""))


def clean_body(text: str) -> str:
    """The new part of a reply: drop quoted lines ("> ..."), everything from an "On ... wrote:"
    header, and the signature (from a "-- " line on)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line.rstrip() == "--" and line.startswith("--"):
            break  # RFC 3676 signature separator "-- " (trailing space is often lost)
        if _QUOTE_HEADER.match(line) or (
            index + 1 < len(lines) and line.lstrip().startswith("On ") and _QUOTE_HEADER.match(line + " " + lines[index + 1])
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # unknown charset or broken encoding: best effort
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return str(content)


def _parse(raw: bytes | str | EmailMessage) -> EmailMessage:
    if isinstance(raw, EmailMessage):
        return raw
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if not raw or not raw.strip():
        raise ValidationError.field("message", "The mail is empty.")
    message = _PARSER.parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


# -- Inbound --------------------------------------------------------------------------------------


def receive_email(
    workspace: Workspace, raw: bytes | str | EmailMessage, *, conversation_id: int | None = None
) -> Message:
    """Turn one inbound mail into a message of ``workspace`` and return it.

    The conversation is, in order: the one named by ``conversation_id`` or by a routing address
    among To/Cc/Delivered-To (only when the sender is that conversation's contact, so a guessed
    address cannot write into someone else's conversation); the one whose stored Message-IDs
    appear in In-Reply-To/References; else a new "email" conversation titled by the Subject.
    Idempotent on Message-ID within the workspace. Raises :class:`ValidationError` for a mail
    without a usable sender or text. Flushes; the caller commits.
    """
    message = _parse(raw)
    _display, sender = parseaddr(str(message.get("From") or ""))
    try:
        sender = normalize_email(sender, field="from")
    except ValidationError:
        raise ValidationError.field("from", "The mail has no valid From address.") from None
    message_id = (_message_ids(message.get("Message-ID")) or [None])[0]
    if message_id is not None:
        existing = db.session.scalar(
            select(Message).where(Message.workspace_id == workspace.id, Message.email_message_id == message_id)
        )
        if existing is not None:
            return existing

    body = clean_body(_text_of(message))[:MAX_BODY]
    if not body:
        raise ValidationError.field("body", "The mail has no text (after removing quoted parts and the signature).")
    contact = find_contact_by_email(workspace.id, sender) or create_contact(
        workspace, email=sender, name=(_display or "").strip()[:200], verified=False
    )
    conversation = _addressed_conversation(workspace, message, contact, conversation_id) or _threaded_conversation(
        workspace, message
    )
    if conversation is not None and conversation.stage != Stage.ARCHIVED:  # archived: closed, start anew
        return conversations.post_message(
            workspace, conversation, body=body, author_contact=contact, email_message_id=message_id
        )
    title = " ".join(str(message.get("Subject") or "").split())[: conversations.TITLE_MAX]
    started = conversations.start_conversation(
        workspace, body=body, title=title, channel="email", contact=contact, email_message_id=message_id
    )
    return started.messages[0]


def _addressed_conversation(
    workspace: Workspace, message: EmailMessage, contact: Contact, conversation_id: int | None
) -> Conversation | None:
    candidates = [conversation_id] if conversation_id is not None else []
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        for _name, address in getaddresses([str(v) for v in message.get_all(header, [])]):
            parsed = parse_recipient(address)
            if parsed is not None and parsed[0] == workspace.slug and parsed[1] is not None:
                candidates.append(parsed[1])
    for candidate in candidates:
        conversation = db.session.scalar(
            select(Conversation).where(Conversation.workspace_id == workspace.id, Conversation.id == candidate)
        )
        if conversation is not None and conversation.contact_id == contact.id:
            return conversation
    return None


def _threaded_conversation(workspace: Workspace, message: EmailMessage) -> Conversation | None:
    # Newest reference first: In-Reply-To names the mail answered; References the thread from its root.
    ids = _message_ids(message.get("In-Reply-To")) + list(reversed(_message_ids(message.get("References"))))
    for reference in ids:
        found = db.session.scalar(
            select(Message.conversation_id).where(Message.workspace_id == workspace.id, Message.email_message_id == reference)
        )
        if found is None:
            found = db.session.scalar(
                select(Conversation.id).where(Conversation.workspace_id == workspace.id, Conversation.email_thread_id == reference)
            )
        if found is not None:
            return db.session.get(Conversation, found)
    return None


# -- Outbound -------------------------------------------------------------------------------------


def _thread_headers(conversation: Conversation, exclude_id: int) -> dict[str, str]:
    ids = [m.email_message_id for m in conversation.messages if m.email_message_id and m.id != exclude_id]
    if conversation.email_thread_id and conversation.email_thread_id not in ids:
        ids.insert(0, conversation.email_thread_id)
    if not ids:
        return {}
    # Customers' mails are the ones their client knows; answer the latest of them.
    inbound = [m.email_message_id for m in conversation.messages if m.email_message_id and m.author_kind == "rev"]
    return {"In-Reply-To": inbound[-1] if inbound else ids[-1], "References": " ".join(ids[-20:])}


def send_agent_reply(sender: str, *, event: DomainEvent) -> None:
    """blinker receiver: mail an agent's public reply on an email conversation to its contact.

    Stores the sent Message-ID on the message (and commits it) so that the customer's answer,
    which carries it in In-Reply-To, threads back into the conversation. A mail failure is logged,
    never raised: the reply is already saved and shown in the inbox.
    """
    if event.name != "message_posted":
        return
    payload_message = event.payload.get("message") or {}
    payload_conversation = event.payload.get("conversation") or {}
    if (
        payload_conversation.get("channel") != "email"
        or payload_message.get("author_kind") != "dev"
        or payload_message.get("internal")
    ):
        return
    message = db.session.scalar(
        select(Message).where(Message.workspace_id == event.workspace_id, Message.id == payload_message.get("id"))
    )
    if message is None or message.email_message_id:
        return
    conversation = message.conversation
    contact = conversation.contact
    if contact is None or not contact.email:
        return
    workspace = db.session.get(Workspace, event.workspace_id)
    assert workspace is not None
    from core.identity import company_name  # identity imports mail/people; keep this module light

    company = company_name(workspace)
    title = conversation.title or "Your conversation"
    subject = title if title.lower().startswith("re:") else f"Re: {title}"
    agent = message.author_user.name if message.author_user is not None else company
    mail = OutgoingMail(
        to=(contact.email,),
        subject=subject,
        text=message.body + f"\n\n-- \n{agent}, {company}\n",
        sender_name=f"{agent} ({company})",
        reply_to=reply_address(workspace, conversation.id),
        headers=_thread_headers(conversation, message.id),
        message_id=make_msgid(domain=inbound_domain()),
    )
    try:
        sent_id = get_runtime().mailer.send(mail)
    except (MailError, ValueError) as exc:
        log.error("could not mail reply %s of conversation %s to %s: %s", message.id, conversation.id, contact.email, exc)
        return
    message.email_message_id = sent_id
    commit()
