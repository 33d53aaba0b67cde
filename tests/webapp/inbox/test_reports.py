"""``/inbox/<slug>/reports``: the table and the server-drawn SVG chart."""

from __future__ import annotations

import re
from datetime import timedelta

from core.db import commit, utcnow
from core.stages import Stage
from webapp.inbox.charts import bar_chart


def test_reports_show_the_table_and_an_svg_chart(agent_client, desk, other_desk):
    conversation = desk.in_stage(Stage.RESOLVED)
    conversation.created_at = utcnow() - timedelta(hours=2)
    commit()
    other_desk.in_stage(Stage.RESOLVED)
    other_desk.start()
    response = agent_client.get("/inbox/acme/reports")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" in html and "<rect" in html and "Time to first response by week" in html
    weeks = re.search(r'id="report-weeks".*?</table>', html, re.S).group(0)
    assert weeks.count("<tr data-key=") == 1
    overall = re.search(r"<dt>Conversations</dt><dd>(\d+)</dd>", html).group(1)
    assert overall == "1"  # globex's two conversations do not count here
    assert "2h 00m" in html  # first response and resolution: the whole two hours


def test_an_empty_report_and_a_bad_period(agent_client, desk):
    html = agent_client.get("/inbox/acme/reports?weeks=all").get_data(as_text=True)
    assert "No data for this period yet" in html and "No conversations in this period." in html
    response = agent_client.get("/inbox/acme/reports?weeks=-3")
    assert response.status_code == 200 and "Choose 1 to 104 weeks" in response.get_data(as_text=True)
    assert "Unknown period" in agent_client.get("/inbox/acme/reports?weeks=lots").get_data(as_text=True)


def test_bar_chart_geometry():
    chart = bar_chart(["W1", "W2"], [("median", [3600.0, None]), ("p90", [7200.0, 1800.0])])
    assert not chart.empty
    assert len(chart.bars) == 3  # no bar for the missing median
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.y == chart.plot_bottom - tallest.height
    assert tallest.title == "W1 p90: 2.0h"
    assert [t.label for t in chart.ticks] == ["0h", "0.5h", "1h", "1.5h", "2h"]
    assert bar_chart([], []).empty and bar_chart(["W1"], [("median", [None])]).empty
