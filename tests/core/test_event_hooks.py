"""Every event hook reaches an enabled snap-in after commit, with the documented arguments."""

from __future__ import annotations

import pytest

from core.db import commit
from hooks import Snapin, hookimpl
from hooks.types import ArticleInfo, CommentInfo, ContactInfo, ConversationInfo, MessageInfo, StageChangeInfo, TicketInfo


class Recorder(Snapin):
    title = "Recorder"
    calls: list[tuple[str, dict]] = []

    def _record(self, hook, **kwargs):
        Recorder.calls.append((hook, kwargs))

    @hookimpl
    def snapdesk_contact_created(self, context, contact, event_id):
        self._record("snapdesk_contact_created", contact=contact, event_id=event_id)

    @hookimpl
    def snapdesk_conversation_created(self, context, conversation, message):
        self._record("snapdesk_conversation_created", conversation=conversation, message=message)

    @hookimpl
    def snapdesk_message_posted(self, context, conversation, message):
        self._record("snapdesk_message_posted", conversation=conversation, message=message)

    @hookimpl
    def snapdesk_stage_changed(self, context, conversation, change):
        self._record("snapdesk_stage_changed", conversation=conversation, change=change)

    @hookimpl
    def snapdesk_ticket_created(self, context, ticket):
        self._record("snapdesk_ticket_created", ticket=ticket)

    @hookimpl
    def snapdesk_comment_added(self, context, ticket, comment):
        self._record("snapdesk_comment_added", ticket=ticket, comment=comment)

    @hookimpl
    def snapdesk_article_published(self, context, article, notify, comment):
        self._record("snapdesk_article_published", article=article, notify=notify, comment=comment)


@pytest.fixture
def desk(make_app, enable_snapin):
    from core.workspaces import create_workspace

    Recorder.calls = []
    make_app(snapins={"recorder": Recorder})
    workspace = create_workspace(slug="acme", name="Acme", admin_email="admin@acme.test")
    commit()
    enable_snapin(workspace, "recorder")
    return workspace


def hooks_called():
    return [hook for hook, _ in Recorder.calls]


def test_contact_created(desk, run_jobs):
    from core.people import create_contact

    create_contact(desk, email="jo@x.test", verified=True)
    commit()
    run_jobs()
    [(hook, kwargs)] = Recorder.calls
    assert hook == "snapdesk_contact_created"
    assert isinstance(kwargs["contact"], ContactInfo) and kwargs["contact"].email == "jo@x.test"
    assert len(kwargs["event_id"]) == 32


def test_conversation_message_and_stage_events(desk, run_jobs):
    from core.conversations import post_message, start_conversation
    from core.people import create_contact, find_user_by_email

    contact = create_contact(desk, email="jo@x.test", verified=True)
    conversation = start_conversation(desk, body="Hello", channel="widget", contact=contact)
    commit()
    post_message(desk, conversation, body="Hi, how can I help?", author_user=find_user_by_email(desk.id, "admin@acme.test"))
    commit()
    run_jobs()
    assert hooks_called() == [
        "snapdesk_contact_created", "snapdesk_conversation_created", "snapdesk_stage_changed", "snapdesk_message_posted",
    ]
    created = dict(Recorder.calls)["snapdesk_conversation_created"]
    assert isinstance(created["conversation"], ConversationInfo) and isinstance(created["message"], MessageInfo)
    assert created["message"].body == "Hello"
    change = dict(Recorder.calls)["snapdesk_stage_changed"]["change"]
    assert isinstance(change, StageChangeInfo) and (change.from_stage, change.to_stage) == ("new", "waiting_on_user")


def test_ticket_and_comment_events(desk, run_jobs):
    from core.people import create_contact
    from core.tickets import add_comment, create_ticket

    contact = create_contact(desk, email="jo@x.test", verified=True)
    ticket = create_ticket(desk, title="Export fails", body="CSV export times out", created_by_contact=contact)
    commit()
    add_comment(desk, ticket, body="Same here", author_contact=contact)
    commit()
    run_jobs()
    calls = dict(Recorder.calls)
    assert isinstance(calls["snapdesk_ticket_created"]["ticket"], TicketInfo)
    assert calls["snapdesk_ticket_created"]["ticket"].reported_by == (contact.id,)
    comment = calls["snapdesk_comment_added"]["comment"]
    assert isinstance(comment, CommentInfo) and comment.body == "Same here" and comment.visibility == "external"


def test_article_published_carries_notify_and_comment(desk, run_jobs):
    from core.articles import create_article, publish_article

    article = create_article(desk, title="Billing FAQ", body="<p>Answers</p>")
    publish_article(desk, article, notify=True, comment="Updated prices")
    commit()
    run_jobs()
    [(hook, kwargs)] = Recorder.calls
    assert hook == "snapdesk_article_published"
    assert isinstance(kwargs["article"], ArticleInfo) and kwargs["article"].url.endswith(f"/acme/articles/{article.id}")
    assert (kwargs["notify"], kwargs["comment"]) == (True, "Updated prices")


def test_nothing_is_delivered_to_a_workspace_where_it_is_disabled(desk, run_jobs):
    from core.people import create_contact
    from core.workspaces import create_workspace

    other = create_workspace(slug="other", name="Other")
    create_contact(other, email="jo@x.test")
    commit()
    run_jobs()
    assert Recorder.calls == []
