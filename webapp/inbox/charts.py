"""Server-side chart geometry for the reports page (the template draws it as inline SVG; no JS).

:func:`bar_chart` turns labelled groups of values into rectangles, axis ticks and a legend, all in
the chart's own coordinate space; the template only places them, and Jinja escapes every label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 260
MARGIN_LEFT = 56
MARGIN_BOTTOM = 44
MARGIN_TOP = 16
MARGIN_RIGHT = 12
#: Series colours (accessible contrast on white), in legend order.
COLOURS = ("#2f5bd3", "#d9822b", "#1d7a46", "#8e44ad")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    #: Tooltip text (SVG <title>), e.g. "2024-W05 median: 2h 05m".
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class GroupLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    plot_right: int
    bars: list[Bar]
    ticks: list[Tick]
    groups: list[GroupLabel]
    legend: list[tuple[str, str]]
    empty: bool


def _nice_ceiling(value: float) -> float:
    """The smallest 1/2/5 x 10^n at or above ``value`` (so axis ticks read as round numbers)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))


def bar_chart(
    groups: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    scale: float = 3600.0,
    unit: str = "h",
    format_value=None,
) -> Chart:
    """Grouped bars: one group per label in ``groups``, one bar per series (None values: no bar).

    Values are divided by ``scale`` for the axis (default: seconds shown in hours, ``unit`` "h").
    ``format_value`` formats a raw value for tooltips.
    """
    values = [v for _name, points in series for v in points if v is not None]
    plot_right = WIDTH - MARGIN_RIGHT
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    legend = [(name, COLOURS[i % len(COLOURS)]) for i, (name, _points) in enumerate(series)]
    if not groups or not values:
        return Chart(WIDTH, HEIGHT, MARGIN_LEFT, plot_bottom, plot_right, [], [], [], legend, True)
    top = _nice_ceiling(max(values) / scale)
    plot_height = plot_bottom - MARGIN_TOP
    slot = (plot_right - MARGIN_LEFT) / len(groups)
    bar_width = min(28.0, slot * 0.8 / max(1, len(series)))
    bars: list[Bar] = []
    labels: list[GroupLabel] = []
    for index, group in enumerate(groups):
        start = MARGIN_LEFT + index * slot + (slot - bar_width * len(series)) / 2
        labels.append(GroupLabel(MARGIN_LEFT + index * slot + slot / 2, group))
        for number, (name, points) in enumerate(series):
            value = points[index] if index < len(points) else None
            if value is None:
                continue
            height = (value / scale) / top * plot_height
            text = format_value(value) if format_value else f"{value / scale:.1f}{unit}"
            bars.append(Bar(
                x=round(start + number * bar_width, 2), y=round(plot_bottom - height, 2), width=round(bar_width - 2, 2),
                height=round(height, 2), colour=COLOURS[number % len(COLOURS)], title=f"{group} {name}: {text}",
            ))
    ticks = [
        Tick(round(plot_bottom - plot_height * i / 4, 2), f"{top * i / 4:g}{unit}") for i in range(5)
    ]
    return Chart(WIDTH, HEIGHT, MARGIN_LEFT, plot_bottom, plot_right, bars, ticks, labels, legend, False)
