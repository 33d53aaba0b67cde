"""core.metrics: percentiles, summaries, weekly and per-owner rows, and timings from stage history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core import metrics
from core.metrics import ConversationTiming, Summary, build_report, by_owner, by_week, percentile, summarize

UTC = timezone.utc


def timing(cid: int, created: datetime, first: float | None, resolved: float | None, owner: int | None = 1) -> ConversationTiming:
    return ConversationTiming(cid, owner, created, first, resolved)


def test_percentile_interpolates_linearly_between_ranks():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert percentile(values, 0.5) == 55.0
    assert percentile(values, 0.9) == pytest.approx(91.0)  # position 8.1: 90 + 0.1 * 10
    assert percentile([5], 0.9) == 5.0
    assert percentile([3, 1, 2], 0.5) == 2.0  # order of input does not matter
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError):
        percentile([1], 1.5)


def test_summarize_leaves_out_what_has_not_happened():
    assert summarize([60, None, 120, 180]) == Summary(count=3, median=120.0, p90=pytest.approx(168.0))
    assert summarize([None, None]) == Summary(count=0, median=None, p90=None)
    assert summarize([]) == Summary(0, None, None)


def test_iso_weeks_and_their_mondays():
    # 2024-12-30 is a Monday in ISO week 1 of 2025; 2024-01-07 (a Sunday) is still in 2024-W01.
    assert metrics.iso_week(datetime(2024, 12, 30, 9, tzinfo=UTC)) == "2025-W01"
    assert metrics.iso_week(datetime(2024, 1, 7, 23, tzinfo=UTC)) == "2024-W01"
    assert metrics.week_start("2025-W01") == datetime(2024, 12, 30)


def test_by_week_groups_by_creation_week_oldest_first():
    monday = datetime(2024, 3, 4, 8, tzinfo=UTC)  # 2024-W10
    rows = by_week([
        timing(1, monday + timedelta(days=7), 600, None),
        timing(2, monday, 60, 3600),
        timing(3, monday + timedelta(days=6, hours=15), 180, 7200),  # Sunday: still W10
        timing(4, monday + timedelta(days=1), None, None),
    ])
    assert [r.key for r in rows] == ["2024-W10", "2024-W11"]
    w10, w11 = rows
    assert w10.conversations == 3
    assert w10.first_response == Summary(2, 120.0, pytest.approx(168.0))
    assert w10.resolution == Summary(2, 5400.0, pytest.approx(6840.0))
    assert w11.conversations == 1 and w11.first_response.median == 600.0 and w11.resolution.count == 0
    assert w10.label.startswith("2024-W10 (from 04 Mar 2024)")


def test_by_owner_names_owners_and_puts_unassigned_last():
    at = datetime(2024, 3, 4, tzinfo=UTC)
    rows = by_owner(
        [timing(1, at, 10, 100, owner=7), timing(2, at, 30, None, owner=None), timing(3, at, 20, 300, owner=8),
         timing(4, at, 40, 500, owner=7)],
        {7: "Zoe", 8: "Adam"},
    )
    assert [(r.key, r.label, r.conversations) for r in rows] == [("8", "Adam", 1), ("7", "Zoe", 2), ("unassigned", "Unassigned", 1)]
    assert rows[1].first_response.median == 25.0 and rows[1].resolution.median == 300.0
    assert by_owner([timing(1, at, 1, 1, owner=99)])[0].label == "User 99"


def test_an_empty_report():
    report = build_report([])
    assert report.weeks == [] and report.owners == []
    assert report.overall.conversations == 0
    assert report.overall.first_response == Summary(0, None, None)


def test_format_duration():
    assert [metrics.format_duration(v) for v in (None, 0, 45, 720, 3 * 3600 + 300, 2 * 86400 + 4 * 3600)] == [
        "—", "0s", "45s", "12m", "3h 05m", "2d 4h"
    ]


def test_timings_come_from_the_stage_history(app, workspace):
    from core import conversations
    from core.db import commit
    from core.people import create_contact, find_user_by_email
    from core.stages import Stage

    agent = find_user_by_email(workspace.id, "agent@acme.test")
    contact = create_contact(workspace, email="c@example.test")
    answered = conversations.start_conversation(workspace, body="a", channel="widget", contact=contact)
    silent = conversations.start_conversation(workspace, body="b", channel="widget", contact=contact)
    for step in (Stage.WAITING_ON_USER, Stage.NEEDS_RESPONSE, Stage.RESOLVED):
        conversations.change_stage(workspace, answered, step, by_kind="dev", by_user=agent)
    # Known times: created at t0, answered 30 min later, resolved 5 h later.
    t0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
    answered.created_at = t0
    offsets = {Stage.NEW: 0, Stage.WAITING_ON_USER: 1800, Stage.NEEDS_RESPONSE: 3600, Stage.RESOLVED: 5 * 3600}
    for change in answered.stage_changes:
        change.at = t0 + timedelta(seconds=offsets[Stage(change.to_stage)])
    silent.created_at = t0 + timedelta(days=8)
    commit()
    timings = {t.conversation_id: t for t in metrics.conversation_timings(workspace)}
    assert timings[answered.id].first_response_seconds == 1800
    assert timings[answered.id].resolution_seconds == 5 * 3600
    assert (timings[silent.id].first_response_seconds, timings[silent.id].resolution_seconds) == (None, None)
    report = metrics.workspace_report(workspace, weeks=None)
    assert [r.key for r in report.weeks] == ["2024-W19", "2024-W20"]
    assert report.overall.first_response == Summary(1, 1800.0, 1800.0)
    assert [(r.key, r.conversations) for r in report.owners] == [("unassigned", 2)]  # no account: not routed
    recent = metrics.workspace_report(workspace, weeks=1, now=t0 + timedelta(days=8))
    assert [r.key for r in recent.weeks] == ["2024-W20"]
