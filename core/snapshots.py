"""Rows -> the frozen snapshots of :mod:`hooks.types` that snap-ins and events carry."""

from __future__ import annotations

from typing import Callable

from hooks.types import (
    AccountInfo,
    ArticleInfo,
    CommentInfo,
    ContactInfo,
    ConversationInfo,
    MessageInfo,
    StageChangeInfo,
    TicketInfo,
    UserInfo,
    WorkspaceInfo,
)

from core.models import (
    Account,
    Article,
    Comment,
    Contact,
    Conversation,
    Message,
    StageChange,
    Ticket,
    User,
    Workspace,
)


def workspace_info(workspace: Workspace) -> WorkspaceInfo:
    appearance = (workspace.settings or {}).get("appearance", {})
    return WorkspaceInfo(
        id=workspace.id,
        slug=workspace.slug,
        name=workspace.name,
        company_name=appearance.get("company_name") or workspace.name,
    )


def user_info(user: User) -> UserInfo:
    return UserInfo(id=user.id, email=user.email, name=user.name, role=user.role)


def account_info(account: Account) -> AccountInfo:
    return AccountInfo(
        id=account.id, name=account.name, domains=tuple(account.domain_names), default_owner_id=account.default_owner_id
    )


def contact_info(contact: Contact) -> ContactInfo:
    return ContactInfo(
        id=contact.id,
        email=contact.email,
        name=contact.name,
        account_id=contact.account_id,
        verified=contact.verified,
        is_customer_admin=contact.is_customer_admin,
        locale=contact.locale,
    )


def conversation_info(conversation: Conversation) -> ConversationInfo:
    return ConversationInfo(
        id=conversation.id,
        title=conversation.title,
        channel=conversation.channel,
        creator_kind=conversation.creator_kind,
        stage=conversation.stage,
        owner_id=conversation.owner_id,
        account_id=conversation.account_id,
        contact_id=conversation.contact_id,
        priority=conversation.priority,
        tags={t.tag: t.value for t in conversation.tags},
        created_at=conversation.created_at,
    )


def message_info(message: Message) -> MessageInfo:
    return MessageInfo(
        id=message.id,
        conversation_id=message.conversation_id,
        author_kind=message.author_kind,
        body=message.body,
        internal=message.internal,
        channel=message.channel,
        author_contact_id=message.author_contact_id,
        author_user_id=message.author_user_id,
        created_at=message.created_at,
    )


def stage_change_info(change: StageChange) -> StageChangeInfo:
    return StageChangeInfo(
        conversation_id=change.conversation_id,
        from_stage=change.from_stage,
        to_stage=change.to_stage,
        by_kind=change.by_kind,
        reason=change.reason,
        at=change.at,
    )


def ticket_info(ticket: Ticket) -> TicketInfo:
    return TicketInfo(
        id=ticket.id,
        title=ticket.title,
        body=ticket.body,
        stage=ticket.stage,
        tracker=ticket.tracker,
        account_id=ticket.account_id,
        reported_by=tuple(c.id for c in ticket.reported_by),
        severity=ticket.severity,
        custom_fields=dict(ticket.custom_fields or {}),
        created_at=ticket.created_at,
    )


def comment_info(comment: Comment) -> CommentInfo:
    return CommentInfo(
        id=comment.id,
        ticket_id=comment.ticket_id,
        parent_id=comment.parent_id,
        body=comment.body,
        visibility=comment.visibility,
        author_kind=comment.author_kind,
        created_at=comment.created_at,
    )


def article_info(article: Article, url_for_article: Callable[[Article], str]) -> ArticleInfo:
    return ArticleInfo(
        id=article.id,
        title=article.title,
        description=article.description,
        status=article.status,
        visible_to=article.visible_to,
        locale=article.locale,
        is_native=article.is_native,
        external_url=article.external_url,
        url=url_for_article(article),
        published_at=article.published_at,
        updated_at=article.updated_at,
    )
