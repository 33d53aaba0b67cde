"""The concrete :class:`hooks.Context`: the service API snap-ins get, implemented over core services.

Each service acts inside one workspace; ids from elsewhere are :class:`hooks.NotFoundError`.
Writes join the caller's transaction (the request, or the job that runs the hook), which commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from core import errors
from core.db import db, get_scoped
from core.mail import OutgoingMail
from core.models import Article, Contact, Conversation, SnapinSetting, Ticket, User, Workspace
from core.runtime import get_runtime
from core.snapins.store import SnapinStore
from core.snapshots import (
    account_info,
    article_info,
    comment_info,
    contact_info,
    conversation_info,
    message_info,
    ticket_info,
    user_info,
    workspace_info,
)
from hooks import Context, NotFoundError
from hooks.types import (
    AccountInfo,
    ArticleInfo,
    CommentInfo,
    ContactInfo,
    ConversationInfo,
    MessageInfo,
    TicketInfo,
    UserInfo,
)


def _scoped(model: type, workspace_id: int, object_id: int):
    try:
        return get_scoped(model, workspace_id, object_id)
    except errors.NotFound as exc:
        raise NotFoundError(str(exc)) from None


class _Service:
    def __init__(self, workspace: Workspace, snapin_id: str, title: str) -> None:
        self.workspace = workspace
        self.snapin_id = snapin_id
        self.title = title


class ContactsService(_Service):
    def get(self, contact_id: int) -> ContactInfo:
        return contact_info(_scoped(Contact, self.workspace.id, contact_id))

    def find_by_email(self, email: str) -> ContactInfo | None:
        from core.people import find_contact_by_email

        contact = find_contact_by_email(self.workspace.id, email)
        return contact_info(contact) if contact else None

    def create(self, *, email: str, name: str = "", account_id: int | None = None, verified: bool = False) -> ContactInfo:
        from core.people import create_contact, find_contact_by_email

        existing = find_contact_by_email(self.workspace.id, email)
        if existing is not None:
            return contact_info(existing)
        return contact_info(create_contact(self.workspace, email=email, name=name, account_id=account_id, verified=verified))

    def account_for_email(self, email: str) -> AccountInfo | None:
        from core.people import account_for_email

        account = account_for_email(self.workspace.id, email)
        return account_info(account) if account else None

    def get_account(self, account_id: int) -> AccountInfo:
        from core.models import Account

        return account_info(_scoped(Account, self.workspace.id, account_id))


class UsersService(_Service):
    def get(self, user_id: int) -> UserInfo:
        return user_info(_scoped(User, self.workspace.id, user_id))

    def find_by_email(self, email: str) -> UserInfo | None:
        from core.people import find_user_by_email

        user = find_user_by_email(self.workspace.id, email)
        return user_info(user) if user else None

    def list(self) -> list[UserInfo]:
        rows = db.session.scalars(select(User).where(User.workspace_id == self.workspace.id).order_by(User.id))
        return [user_info(u) for u in rows]


class ConversationsService(_Service):
    def _get(self, conversation_id: int) -> Conversation:
        return _scoped(Conversation, self.workspace.id, conversation_id)

    def get(self, conversation_id: int) -> ConversationInfo:
        return conversation_info(self._get(conversation_id))

    def messages(self, conversation_id: int) -> list[MessageInfo]:
        return [message_info(m) for m in self._get(conversation_id).messages]

    def add_note(self, conversation_id: int, body: str) -> MessageInfo:
        from core.conversations import post_message

        message = post_message(
            self.workspace, self._get(conversation_id), body=f"[{self.title}] {body}", internal=True, system=True
        )
        return message_info(message)

    def change_stage(self, conversation_id: int, stage: str, *, reason: str) -> ConversationInfo:
        from core.conversations import change_stage
        from core.stages import parse

        conversation = self._get(conversation_id)
        try:
            change_stage(self.workspace, conversation, parse(stage), by_kind="snapin", by_snapin=self.snapin_id, reason=reason)
        except errors.SnapdeskError as exc:
            raise ValueError(str(exc)) from None
        return conversation_info(conversation)

    def set_tag(self, conversation_id: int, tag: str, value: str | None = None) -> ConversationInfo:
        from core.conversations import set_tag

        conversation = self._get(conversation_id)
        try:
            set_tag(self.workspace, conversation, tag, value)
        except errors.SnapdeskError as exc:
            raise ValueError(str(exc)) from None
        return conversation_info(conversation)

    def assign(self, conversation_id: int, owner_id: int, *, reason: str) -> ConversationInfo:
        from core.conversations import assign

        conversation = self._get(conversation_id)
        _scoped(User, self.workspace.id, owner_id)
        assign(self.workspace, conversation, owner_id, reason=reason, by_snapin=self.snapin_id)
        return conversation_info(conversation)


class TicketsService(_Service):
    def _get(self, ticket_id: int) -> Ticket:
        return _scoped(Ticket, self.workspace.id, ticket_id)

    def get(self, ticket_id: int) -> TicketInfo:
        return ticket_info(self._get(ticket_id))

    def comments(self, ticket_id: int) -> list[CommentInfo]:
        return [comment_info(c) for c in self._get(ticket_id).comments]

    def add_comment(self, ticket_id: int, body: str, *, internal: bool = True) -> CommentInfo:
        from core.tickets import add_comment

        comment = add_comment(
            self.workspace, self._get(ticket_id), body=body, visibility="internal" if internal else "external",
            author_kind="system",
        )
        return comment_info(comment)


class ArticlesService(_Service):
    def _get(self, article_id: int) -> Article:
        return _scoped(Article, self.workspace.id, article_id)

    def get(self, article_id: int) -> ArticleInfo:
        return article_info(self._get(article_id), _article_url(self.workspace))

    def body_html(self, article_id: int) -> str:
        return self._get(article_id).body_html or ""

    def viewable_by(self, article_id: int, contact_id: int | None) -> bool:
        from core.articles import can_view

        contact = _scoped(Contact, self.workspace.id, contact_id) if contact_id is not None else None
        return can_view(self.workspace, self._get(article_id), contact)


def _article_url(workspace: Workspace) -> Callable[[Article], str]:
    urls = get_runtime().urls
    return lambda article: urls.article(workspace.slug, article.id)


class MailService(_Service):
    def send(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str | None = None,
        sender_name: str | None = None,
        idempotency_key: str | None = None,
    ) -> bool:
        from core import jobs

        key = f"mail:{self.workspace.id}:{self.snapin_id}:{idempotency_key}" if idempotency_key else None
        if key is not None and not jobs.claim_key(key, self.workspace.id):
            return False
        try:
            get_runtime().mailer.send(
                OutgoingMail(to=(to,), subject=subject, text=text, html=html, sender_name=sender_name)
            )
        except Exception:
            if key is not None:
                jobs.release_key(key)  # not sent: a retry may send it
            raise
        return True


class JobsService(_Service):
    def enqueue(self, func: Callable[..., None], /, *, job_key: str | None = None, **kwargs: Any) -> None:
        func_path = f"{func.__module__}:{func.__qualname__}"
        if "." in func.__qualname__ or "<" in func.__qualname__:
            raise ValueError("jobs.enqueue needs a module-level function")
        get_runtime().jobs.enqueue(
            "core.snapins.context:run_snapin_job",
            {
                "workspace_id": self.workspace.id,
                "snapin_id": self.snapin_id,
                "func_path": func_path,
                "job_key": job_key,
                "kwargs": kwargs,
            },
            job_id=None,
        )


def run_snapin_job(*, workspace_id: int, snapin_id: str, func_path: str, job_key: str | None, kwargs: dict[str, Any]) -> str:
    """Job body for :meth:`JobsService.enqueue`: re-check enablement, run once per ``job_key``."""
    from core import jobs
    from core.db import commit

    key = f"snapin-job:{workspace_id}:{snapin_id}:{job_key}" if job_key else None
    if key is not None and jobs.is_done(key):
        return "skipped: already done"
    setting = db.session.scalar(
        select(SnapinSetting).where(
            SnapinSetting.workspace_id == workspace_id,
            SnapinSetting.snapin_id == snapin_id,
            SnapinSetting.enabled.is_(True),
        )
    )
    workspace = db.session.get(Workspace, workspace_id)
    if setting is None or workspace is None:
        return "skipped: not enabled"
    func = jobs.resolve(func_path)
    func(make_context(workspace, setting), **kwargs)
    commit()
    if key is not None:
        jobs.claim_key(key, workspace_id)
    return "done"


class UrlsService(_Service):
    def portal(self, path: str = "") -> str:
        return get_runtime().urls.portal(self.workspace.slug, path)

    def article(self, article_id: int) -> str:
        return get_runtime().urls.article(self.workspace.slug, article_id)

    def ticket(self, ticket_id: int) -> str:
        return get_runtime().urls.ticket(self.workspace.slug, ticket_id)

    def conversation(self, conversation_id: int) -> str:
        return get_runtime().urls.conversation(self.workspace.slug, conversation_id)

    def snapin_route(self, endpoint: str, **params: Any) -> str:
        return get_runtime().urls.snapin_route(self.workspace.slug, self.snapin_id, endpoint, **params)

    def sign_in(self, next_url: str) -> str:
        return get_runtime().urls.sign_in(self.workspace.slug, next_url)


def make_context(workspace: Workspace, setting: SnapinSetting) -> Context:
    """Build the context one snap-in gets in one workspace."""
    from core.portal_settings import feature_switches

    snapin = get_runtime().registry.get(setting.snapin_id)
    title = snapin.title if snapin is not None else setting.snapin_id
    config = _loaded_config(setting)
    args = (workspace, setting.snapin_id, title)
    logger = logging.getLogger(f"snapdesk.snapin.{setting.snapin_id}")
    return Context(
        workspace=workspace_info(workspace),
        snapin_id=setting.snapin_id,
        config=config,
        contacts=ContactsService(*args),
        users=UsersService(*args),
        conversations=ConversationsService(*args),
        tickets=TicketsService(*args),
        articles=ArticlesService(*args),
        mail=MailService(*args),
        jobs=JobsService(*args),
        urls=UrlsService(*args),
        store=SnapinStore(workspace.id, setting.snapin_id),
        log=logging.LoggerAdapter(logger, {"workspace": workspace.slug}),
        features=feature_switches(workspace),
    )


def _loaded_config(setting: SnapinSetting) -> dict[str, Any]:
    """The stored (dumped) config loaded back through the snap-in's schema, so types are rich."""
    from core.snapins.admin import load_stored_config

    return load_stored_config(setting.snapin_id, setting.config or {})
