"""``/inbox/<slug>/reports``: time to first response and to resolution, by week and by owner.

``?weeks=N`` (1..104, default 12) or ``?weeks=all``. The numbers come from :mod:`core.metrics`;
the charts are inline SVG drawn from :func:`webapp.inbox.charts.bar_chart`.
"""

from __future__ import annotations

from flask import g, render_template, request

from core.metrics import ReportRow, format_duration, workspace_report
from webapp.auth import login_required
from webapp.inbox.blueprint import blueprint
from webapp.inbox.charts import Chart, bar_chart

DEFAULT_WEEKS = 12
MAX_WEEKS = 104


def _weeks(raw: str | None) -> tuple[int | None, str | None]:
    """The ``weeks`` parameter -> (weeks or None for all time, problem sentence or None)."""
    if raw in (None, ""):
        return DEFAULT_WEEKS, None
    if raw == "all":
        return None, None
    try:
        weeks = int(raw)
    except ValueError:
        return DEFAULT_WEEKS, f"Unknown period '{raw}'; showing the last {DEFAULT_WEEKS} weeks."
    if not 1 <= weeks <= MAX_WEEKS:
        return DEFAULT_WEEKS, f"Choose 1 to {MAX_WEEKS} weeks; showing the last {DEFAULT_WEEKS} weeks."
    return weeks, None


def _chart(rows: list[ReportRow], attribute: str) -> Chart:
    """Median and p90 of ``attribute`` ("first_response" or "resolution") per row."""
    summaries = [getattr(r, attribute) for r in rows]
    values = [v for s in summaries for v in (s.median, s.p90) if v is not None]
    # Minutes for fast teams, days for slow ones: the axis should read neither 0.0h nor 1000h.
    longest = max(values) if values else 0.0
    scale, unit = (60.0, "m") if longest < 2 * 3600 else (3600.0, "h") if longest < 3 * 86400 else (86400.0, "d")
    return bar_chart(
        [r.key for r in rows],
        [("median", [s.median for s in summaries]), ("p90", [s.p90 for s in summaries])],
        scale=scale, unit=unit, format_value=format_duration,
    )


@blueprint.route("/reports")
@login_required(role="agent")
def reports(slug: str) -> str:
    weeks, problem = _weeks(request.args.get("weeks"))
    report = workspace_report(g.workspace, weeks=weeks)
    return render_template(
        "inbox/reports.html",
        workspace=g.workspace,
        report=report,
        weeks=weeks,
        problem=problem,
        duration=format_duration,
        first_response_chart=_chart(report.weeks, "first_response"),
        resolution_chart=_chart(report.weeks, "resolution"),
        period_choices=[(4, "4 weeks"), (12, "12 weeks"), (26, "26 weeks"), (52, "52 weeks")],
    )
