"""Support metrics: time to first response and time to resolution, and a small workspace report.

Per conversation the times come from the stage history (:func:`core.conversations.first_response_seconds`,
:func:`core.conversations.resolution_seconds`), so they mean exactly what the stage machine says:
first response = creation -> first New -> Waiting on user; resolution = creation -> first entry
into Resolved. The report functions (:func:`summarize`, :func:`by_week`, :func:`by_owner`) are pure
functions over :class:`ConversationTiming` rows; :func:`conversation_timings` and
:func:`workspace_report` read the database (scoped to one workspace).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.conversation_queries import first_response_seconds, resolution_seconds
from core.db import db, utcnow
from core.models import Conversation, User, Workspace


@dataclass(frozen=True)
class ConversationTiming:
    """The two response times of one conversation (None: it has not happened yet)."""

    conversation_id: int
    owner_id: int | None
    created_at: datetime
    first_response_seconds: float | None
    resolution_seconds: float | None


@dataclass(frozen=True)
class Summary:
    """Median and 90th percentile of a set of durations in seconds (None when there are none)."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class ReportRow:
    """One group of conversations (a week or an owner): how many, and both summaries."""

    key: str
    label: str
    conversations: int
    first_response: Summary
    resolution: Summary


@dataclass(frozen=True)
class Report:
    overall: ReportRow
    weeks: list[ReportRow] = field(default_factory=list)
    owners: list[ReportRow] = field(default_factory=list)


# -- Pure maths -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` (0..1) percentile with linear interpolation between closest ranks.

    Same definition as NumPy's default ("linear"): position ``(n - 1) * fraction`` in the sorted
    values. None for no values. Raises ValueError for a fraction outside 0..1.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be between 0 and 1, not {fraction!r}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(ordered[lower])
    weight = position - lower
    return ordered[lower] * (1 - weight) + ordered[upper] * weight


def summarize(values: Iterable[float | None]) -> Summary:
    """Median and p90 of the known values (None entries, i.e. not happened yet, are left out)."""
    known = [float(v) for v in values if v is not None]
    return Summary(count=len(known), median=percentile(known, 0.5), p90=percentile(known, 0.9))


def iso_week(moment: datetime) -> str:
    """``"2024-W05"``: the ISO year and week of ``moment`` (weeks start on Monday)."""
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> datetime:
    """The Monday 00:00 that starts an :func:`iso_week` key."""
    year, number = week.split("-W")
    return datetime.fromisocalendar(int(year), int(number), 1)


def _row(key: str, label: str, timings: Sequence[ConversationTiming]) -> ReportRow:
    return ReportRow(
        key=key,
        label=label,
        conversations=len(timings),
        first_response=summarize(t.first_response_seconds for t in timings),
        resolution=summarize(t.resolution_seconds for t in timings),
    )


def _grouped(timings: Iterable[ConversationTiming], key: Callable[[ConversationTiming], Hashable]) -> dict:
    groups: dict = defaultdict(list)
    for timing in timings:
        groups[key(timing)].append(timing)
    return groups


def by_week(timings: Iterable[ConversationTiming]) -> list[ReportRow]:
    """One row per ISO week of creation that has conversations, oldest week first.

    A conversation counts in the week it was created (its times may end in a later week).
    """
    groups = _grouped(timings, lambda t: iso_week(t.created_at))
    rows = []
    for week in sorted(groups, key=week_start):
        rows.append(_row(week, f"{week} (from {week_start(week):%d %b %Y})", groups[week]))
    return rows


def by_owner(timings: Iterable[ConversationTiming], owner_names: dict[int, str] | None = None) -> list[ReportRow]:
    """One row per owner (key ``str(owner_id)``, "unassigned" for None), ordered by label.

    ``owner_names`` maps a user id to its display name; unknown ids read "User <id>".
    """
    names = owner_names or {}
    groups = _grouped(timings, lambda t: t.owner_id)
    rows = []
    for owner_id, members in groups.items():
        if owner_id is None:
            rows.append(_row("unassigned", "Unassigned", members))
        else:
            rows.append(_row(str(owner_id), names.get(owner_id, f"User {owner_id}"), members))
    # Unassigned last, the others alphabetically: the order a reader scans a team list in.
    return sorted(rows, key=lambda r: (r.key == "unassigned", r.label.lower()))


def build_report(timings: Sequence[ConversationTiming], owner_names: dict[int, str] | None = None) -> Report:
    """Overall, weekly and per-owner rows over ``timings`` (pure)."""
    return Report(
        overall=_row("all", "All conversations", timings),
        weeks=by_week(timings),
        owners=by_owner(timings, owner_names),
    )


# -- Reading the database -------------------------------------------------------------------------


def timing_of(conversation: Conversation) -> ConversationTiming:
    return ConversationTiming(
        conversation_id=conversation.id,
        owner_id=conversation.owner_id,
        created_at=conversation.created_at,
        first_response_seconds=first_response_seconds(conversation),
        resolution_seconds=resolution_seconds(conversation),
    )


def conversation_timings(workspace: Workspace, *, since: datetime | None = None) -> list[ConversationTiming]:
    """Timings of the workspace's conversations created at or after ``since`` (all when None), oldest first.

    Conversations not yet answered or resolved are included with None times: they count as
    conversations but add no durations.
    """
    query = (
        select(Conversation)
        .where(Conversation.workspace_id == workspace.id)
        .options(selectinload(Conversation.stage_changes))
        .order_by(Conversation.created_at, Conversation.id)
    )
    if since is not None:
        query = query.where(Conversation.created_at >= since)
    return [timing_of(c) for c in db.session.scalars(query)]


def workspace_report(workspace: Workspace, *, weeks: int | None = 12, now: datetime | None = None) -> Report:
    """The report over conversations created in the last ``weeks`` ISO weeks (None: all time)."""
    since = None
    if weeks is not None:
        current = now or utcnow()
        monday = (current - timedelta(days=current.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        since = monday - timedelta(weeks=weeks - 1)
    timings = conversation_timings(workspace, since=since)
    users = db.session.scalars(select(User).where(User.workspace_id == workspace.id))
    return build_report(timings, {u.id: u.name or u.email for u in users})


def format_duration(seconds: float | None) -> str:
    """Human text for a duration: "—" for None, else "45s", "12m", "3h 05m", "2d 4h"."""
    if seconds is None:
        return "—"
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"
