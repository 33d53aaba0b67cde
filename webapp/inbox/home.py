"""The inbox: ``/inbox/<slug>/``, the workspace's conversations by stage, filtered and sorted.

Query parameters: ``stage`` (a stage value; none = every stage but Suspended and Archived),
``owner`` ("mine", "unassigned" or a user id), ``tag``, ``priority``, ``channel``, ``account``
(an id), ``sort`` (a key of :data:`SORT_CHOICES`) and ``page``. A bad value shows a message above an
empty list, never an error page. ``/inbox/<slug>/conversations/<id>/summary`` gives one row as
JSON for the live list (with the same query parameters: ``matches`` says whether the row belongs
in the list being viewed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from core.conversations import CHANNELS, PRIORITIES, TAGS, list_conversations, stage_counts, tag_name
from core.db import get_scoped
from core.errors import ValidationError
from core.models import Conversation, User, Workspace
from core.stages import HIDDEN_BY_DEFAULT, Stage, parse
from webapp.auth import login_required
from webapp.inbox.blueprint import blueprint
from webapp.inbox.common import (
    NEEDS_REPLY,
    STAGE_ORDER,
    accounts,
    age,
    agents,
    conversation_heading,
    first_customer_message,
    first_words,
    person_name,
    tag_text,
)

#: Sort choice -> (label, list_conversations sort).
SORT_CHOICES: dict[str, tuple[str, str]] = {
    "updated": ("Recently updated", "-updated_at"),
    "newest": ("Newest first", "-created_at"),
    "oldest": ("Oldest first", "created_at"),
    "priority": ("Most urgent first", "priority"),
}
PAGE_SIZE = 50
#: The filter parameters the list keeps when moving between tabs and pages.
FILTER_NAMES = ("owner", "tag", "priority", "channel", "account", "sort")


@dataclass
class InboxFilters:
    """The parsed query: what to pass to :func:`core.conversations.list_conversations`."""

    stage: str | None = None
    owner: str = ""
    owner_id: int | None = None
    unassigned: bool = False
    tag: str | None = None
    priority: str | None = None
    channel: str | None = None
    account_id: int | None = None
    sort: str = "updated"
    page: int = 1
    problems: dict[str, list[str]] = field(default_factory=dict)

    def query_kwargs(self) -> dict[str, Any]:
        return {
            "stages": [self.stage] if self.stage else None,
            "owner_id": self.owner_id,
            "unassigned": self.unassigned,
            "tag": self.tag,
            "priority": self.priority,
            "channel": self.channel,
            "account_id": self.account_id,
            "sort": SORT_CHOICES[self.sort][1],
        }

    def matches(self, conversation: Conversation) -> bool:
        """Whether ``conversation`` belongs in this list (the same rules as the query)."""
        if self.problems:
            return False
        if self.stage:
            if conversation.stage != self.stage:
                return False
        elif Stage(conversation.stage) in HIDDEN_BY_DEFAULT:
            return False
        if self.owner_id is not None and conversation.owner_id != self.owner_id:
            return False
        if self.unassigned and conversation.owner_id is not None:
            return False
        if self.tag is not None and all(t.tag != self.tag for t in conversation.tags):
            return False
        if self.priority is not None and conversation.priority != self.priority:
            return False
        if self.channel is not None and conversation.channel != self.channel:
            return False
        return self.account_id is None or conversation.account_id == self.account_id


def parse_filters(args: MultiDict[str, str], user: User) -> InboxFilters:
    """Read the list's query parameters; wrong values are collected in ``problems``, not raised."""
    filters = InboxFilters()
    problems = filters.problems

    def pick(name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
        value = (args.get(name) or "").strip()
        if not value:
            return None
        if value not in allowed:
            problems[name] = [f"Unknown {name} '{value}'."]
            return None
        return value

    stage = (args.get("stage") or "").strip()
    if stage:
        try:
            filters.stage = parse(stage).value
        except ValidationError as exc:
            problems.update(exc.fields)
    owner = (args.get("owner") or "").strip()
    filters.owner = owner
    if owner == "mine":
        filters.owner_id = user.id
    elif owner == "unassigned":
        filters.unassigned = True
    elif owner:
        filters.owner_id = _int(owner, "owner", problems)
    tag = (args.get("tag") or "").strip()
    if tag:
        try:
            filters.tag = tag_name(tag)
        except ValidationError as exc:
            problems.update(exc.fields)
    filters.priority = pick("priority", PRIORITIES)
    filters.channel = pick("channel", CHANNELS)
    account = (args.get("account") or "").strip()
    if account:
        filters.account_id = _int(account, "account", problems)
    filters.sort = pick("sort", list(SORT_CHOICES)) or "updated"
    page = _int(args.get("page") or "1", "page", problems)
    filters.page = max(1, page or 1)
    return filters


def _int(raw: str, name: str, problems: dict[str, list[str]]) -> int | None:
    try:
        return int(raw)
    except ValueError:
        problems[name] = [f"Unknown {name} '{raw}'."]
        return None


def row_data(conversation: Conversation) -> dict[str, Any]:
    """One inbox row, as the template and the live list's JSON both use it."""
    first = first_customer_message(conversation)
    contact = conversation.contact
    return {
        "id": conversation.id,
        "url": url_for("inbox.conversation", slug=g.workspace.slug, conversation_id=conversation.id),
        "title": conversation_heading(conversation),
        "snippet": first_words(first.body) if first is not None and conversation.title else "",
        "contact": contact.display_name if contact is not None else "",
        "account": conversation.account.name if conversation.account is not None else "",
        "owner": person_name(conversation.owner) or "Unassigned",
        "priority": conversation.priority,
        "tags": [tag_text(t.tag, t.value) for t in conversation.tags],
        "stage": conversation.stage,
        "stage_label": Stage(conversation.stage).label,
        "channel": conversation.channel,
        "age": age(conversation.created_at),
        "created_at": conversation.created_at.isoformat(),
        "needs_reply": conversation.stage in NEEDS_REPLY,
    }


def _link(workspace: Workspace, args: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
    return url_for("inbox.home", slug=workspace.slug, **merged)


@blueprint.route("/")
@login_required(role="agent")
def home(slug: str) -> str:
    workspace: Workspace = g.workspace
    filters = parse_filters(request.args, g.user)
    rows: list[Conversation] = []
    total = 0
    if not filters.problems:
        try:
            rows, total = list_conversations(
                workspace.id, **filters.query_kwargs(), limit=PAGE_SIZE, offset=(filters.page - 1) * PAGE_SIZE
            )
        except ValidationError as exc:
            filters.problems.update(exc.fields or {"filters": [str(exc)]})
    counts = stage_counts(workspace.id)
    kept = {name: request.args.get(name, "") for name in FILTER_NAMES}
    open_count = sum(n for stage, n in counts.items() if Stage(stage) not in HIDDEN_BY_DEFAULT)
    tabs = [{"stage": "", "label": "All open", "count": open_count, "url": _link(workspace, kept)}]
    for stage in STAGE_ORDER:
        tabs.append({
            "stage": stage.value, "label": stage.label, "count": counts[stage.value],
            "url": _link(workspace, kept, stage=stage.value),
        })
    here = {**kept, "stage": filters.stage or ""}
    pages = {
        "previous": _link(workspace, here, page=filters.page - 1) if filters.page > 1 else None,
        "next": _link(workspace, here, page=filters.page + 1) if filters.page * PAGE_SIZE < total else None,
        "first": (filters.page - 1) * PAGE_SIZE + 1 if rows else 0,
        "last": (filters.page - 1) * PAGE_SIZE + len(rows),
    }
    return render_template(
        "inbox/home.html",
        workspace=workspace,
        filters=filters,
        rows=[row_data(c) for c in rows],
        total=total,
        tabs=tabs,
        pages=pages,
        agents=agents(workspace),
        accounts=accounts(workspace),
        tags=list(TAGS),
        priorities=PRIORITIES,
        channels=CHANNELS,
        sort_choices={key: label for key, (label, _sort) in SORT_CHOICES.items()},
        current_stage_label=Stage(filters.stage).label if filters.stage else "All open",
    )


@blueprint.route("/conversations/<int:conversation_id>/summary")
@login_required(role="agent")
def conversation_summary(slug: str, conversation_id: int) -> Response:
    """``{"row": ..., "matches": bool, "counts": {stage: n}}`` for the live inbox list."""
    workspace: Workspace = g.workspace
    conversation = get_scoped(Conversation, workspace.id, conversation_id)
    filters = parse_filters(request.args, g.user)
    counts = stage_counts(workspace.id)
    counts[""] = sum(n for stage, n in counts.items() if Stage(stage) not in HIDDEN_BY_DEFAULT)
    return jsonify({"row": row_data(conversation), "matches": filters.matches(conversation), "counts": counts})
