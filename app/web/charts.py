"""Geometry for the inline SVG charts: pure arithmetic, so templates only place what is given."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

PLOT_HEIGHT = 200.0
MARGIN_LEFT = 44.0  # room for the value axis
MARGIN_RIGHT = 8.0
MARGIN_TOP = 24.0  # room for the number above the tallest bar
MARGIN_BOTTOM = 36.0  # room for the sprint labels
GROUP_WIDTH = 104.0
MIN_PLOT_WIDTH = 520.0  # a chart of one or two sprints still gets a readable width
BAR_WIDTH = 20.0
BAR_GAP = 3.0
MAX_TICKS = 5


@dataclass(frozen=True)
class Bar:
    series: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float  # where the number above the bar goes
    label_y: float


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    baseline: float
    label_y: float  # where the group labels go
    scale_max: int
    ticks: list[Tick]
    groups: list[BarGroup]


def tick_step(maximum: int, max_ticks: int = MAX_TICKS) -> int:
    """The smallest step of 1, 2 or 5 times a power of ten that covers maximum in at most
    max_ticks steps."""
    if maximum <= 0:
        return 1
    magnitude = 10 ** max(0, math.floor(math.log10(maximum / max_ticks)) if maximum > 1 else 0)
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step) <= max_ticks:
                return step
        magnitude *= 10


def _round(value: float) -> float:
    return round(value, 2)


def grouped_bars(
    groups: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    *,
    plot_height: float = PLOT_HEIGHT,
    group_width: float = GROUP_WIDTH,
    min_plot_width: float = MIN_PLOT_WIDTH,
    bar_width: float = BAR_WIDTH,
    bar_gap: float = BAR_GAP,
) -> BarChart:
    """A grouped bar chart: one group per label, one bar per series, on a shared value axis
    that starts at zero. Groups widen (bars stay as wide) until the plot is min_plot_width."""
    for label, values in groups:
        if len(values) != len(series):
            raise ValueError(f"group {label!r} has {len(values)} values for {len(series)} series")
    maximum = max((value for _, values in groups for value in values), default=0)
    step = tick_step(maximum)
    scale_max = max(step, math.ceil(maximum / step) * step)
    group_width = max(group_width, min_plot_width / max(len(groups), 1))
    top = MARGIN_TOP
    baseline = top + plot_height
    bars_width = len(series) * bar_width + (len(series) - 1) * bar_gap
    padding = (group_width - bars_width) / 2
    placed = []
    for index, (label, values) in enumerate(groups):
        left = MARGIN_LEFT + index * group_width
        bars = []
        for position, (name, value) in enumerate(zip(series, values, strict=True)):
            height = plot_height * value / scale_max
            x = left + padding + position * (bar_width + bar_gap)
            bars.append(
                Bar(
                    series=name,
                    value=value,
                    x=_round(x),
                    y=_round(baseline - height),
                    width=bar_width,
                    height=_round(height),
                    label_x=_round(x + bar_width / 2),
                    label_y=_round(baseline - height - 4),
                )
            )
        placed.append(BarGroup(label=label, label_x=_round(left + group_width / 2), bars=bars))
    plot_right = MARGIN_LEFT + max(len(groups), 1) * group_width
    return BarChart(
        width=_round(plot_right + MARGIN_RIGHT),
        height=_round(baseline + MARGIN_BOTTOM),
        plot_left=MARGIN_LEFT,
        plot_right=_round(plot_right),
        plot_top=top,
        baseline=_round(baseline),
        label_y=_round(baseline + 22),
        scale_max=scale_max,
        ticks=[
            Tick(value=value, y=_round(baseline - plot_height * value / scale_max))
            for value in range(0, scale_max + 1, step)
        ],
        groups=placed,
    )


# --- Line chart of an indicator, with its target ----------------------------------------------

LINE_STEP = 56.0  # horizontal room per measurement
LINE_MIN_WIDTH = 480.0
LINE_HEIGHT = 180.0
LINE_MARGIN_LEFT = 56.0  # room for values such as 1.250
LINE_LABELS = 8  # at most this many date labels under the line


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    text: str  # the value as shown
    x: float
    y: float
    on_target: bool
    labelled: bool  # whether its date label is drawn (the table always has every date)


@dataclass(frozen=True)
class ValueTick:
    text: str
    y: float


@dataclass(frozen=True)
class LineChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    baseline: float
    label_y: float
    target_y: float
    target_text: str
    ticks: list[ValueTick]
    points: list[Point]
    path: str  # the polyline's points attribute


def nice_step(span: float, max_ticks: int = MAX_TICKS) -> float:
    """The smallest step of 1, 2 or 5 times a power of ten that covers span in at most
    max_ticks steps (also below 1: 0.5, 0.2, 0.1, ...)."""
    if span <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(span / max_ticks))
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(span / step - 1e-9) <= max_ticks:
                return step
        magnitude *= 10


def line_chart(
    points: Sequence[tuple[str, float, str, bool]],
    *,
    target: float,
    target_text: str,
    value_text: Callable[[float], str],
    plot_height: float = LINE_HEIGHT,
) -> LineChart:
    """A line through the values (label, value, shown text, on target) in the order given,
    evenly spaced, with a horizontal line at the target. The value axis holds every value,
    the target and zero when the values are not far from it."""
    values = [value for _label, value, _text, _ok in points] + [target]
    low, high = min(values), max(values)
    if low >= 0 and low <= high / 2:
        low = 0.0  # small counts and percentages read best from zero
    if high == low:
        high, low = high + 1, low - 1 if low != 0 else 0.0
    step = nice_step(high - low)
    bottom = math.floor(low / step) * step
    top_value = math.ceil(high / step) * step
    if top_value == bottom:
        top_value = bottom + step
    width = max(LINE_MIN_WIDTH, LINE_STEP * max(len(points), 1))
    top = MARGIN_TOP
    baseline = top + plot_height

    def y_of(value: float) -> float:
        return _round(baseline - plot_height * (value - bottom) / (top_value - bottom))

    every = max(1, math.ceil(len(points) / LINE_LABELS))
    placed = []
    for index, (label, value, text, ok) in enumerate(points):
        x = LINE_MARGIN_LEFT + LINE_STEP / 2 + index * (width - LINE_STEP) / max(len(points) - 1, 1)
        placed.append(
            Point(
                label=label,
                value=value,
                text=text,
                x=_round(x),
                y=y_of(value),
                on_target=ok,
                labelled=(len(points) - 1 - index) % every == 0,
            )
        )
    ticks = []
    count = round((top_value - bottom) / step)
    for number in range(count + 1):
        value = bottom + number * step
        ticks.append(ValueTick(text=value_text(value), y=y_of(value)))
    plot_right = LINE_MARGIN_LEFT + width
    return LineChart(
        width=_round(plot_right + MARGIN_RIGHT),
        height=_round(baseline + MARGIN_BOTTOM),
        plot_left=LINE_MARGIN_LEFT,
        plot_right=_round(plot_right),
        plot_top=top,
        baseline=_round(baseline),
        label_y=_round(baseline + 22),
        target_y=y_of(target),
        target_text=target_text,
        ticks=ticks,
        points=placed,
        path=" ".join(f"{point.x},{point.y}" for point in placed),
    )
