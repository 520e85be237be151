"""The progress chart's geometry: pure arithmetic, no database, no template."""

from __future__ import annotations

import pytest

from app.web.charts import (
    BAR_GAP,
    BAR_WIDTH,
    GROUP_WIDTH,
    MARGIN_LEFT,
    MARGIN_TOP,
    MIN_PLOT_WIDTH,
    PLOT_HEIGHT,
    grouped_bars,
    tick_step,
)

SERIES = ("planned", "done", "carried_over", "blocked")


def test_the_tick_step_is_one_two_or_five_times_a_power_of_ten():
    assert tick_step(0) == 1
    assert tick_step(3) == 1
    assert tick_step(7) == 2
    assert tick_step(10) == 2
    assert tick_step(23) == 5
    assert tick_step(120) == 50
    assert tick_step(999) == 200


def test_bars_are_as_tall_as_their_share_of_the_scale_and_stand_on_the_baseline():
    chart = grouped_bars([("week 47–48", [8, 4, 2, 0])], SERIES)
    assert chart.scale_max == 8
    planned, done, carried, blocked = chart.groups[0].bars
    assert planned.height == PLOT_HEIGHT
    assert done.height == PLOT_HEIGHT / 2
    assert carried.height == PLOT_HEIGHT / 4
    assert blocked.height == 0
    for bar in (planned, done, carried, blocked):
        assert bar.y + bar.height == chart.baseline
    assert chart.baseline == MARGIN_TOP + PLOT_HEIGHT


def test_bars_sit_side_by_side_in_series_order_within_their_group():
    chart = grouped_bars([("a", [1, 1, 1, 1]), ("b", [1, 1, 1, 1])], SERIES, min_plot_width=0)
    first, second = chart.groups
    xs = [bar.x for bar in first.bars]
    assert xs == sorted(xs)
    assert xs[1] - xs[0] == BAR_WIDTH + BAR_GAP
    assert [bar.series for bar in first.bars] == list(SERIES)
    assert second.bars[0].x - first.bars[0].x == GROUP_WIDTH
    assert first.label_x == MARGIN_LEFT + GROUP_WIDTH / 2
    # the bars of a group are centred under its label
    assert first.bars[0].x - MARGIN_LEFT == pytest.approx(
        MARGIN_LEFT + GROUP_WIDTH - (first.bars[-1].x + BAR_WIDTH)
    )


def test_each_bar_carries_its_number_just_above_it():
    bar = grouped_bars([("a", [5, 0, 0, 0])], SERIES).groups[0].bars[0]
    assert bar.value == 5
    assert bar.label_x == bar.x + bar.width / 2
    assert bar.label_y < bar.y


def test_the_axis_ticks_run_from_zero_to_the_top_of_the_scale():
    chart = grouped_bars([("a", [7, 3, 1, 0])], SERIES)
    assert [tick.value for tick in chart.ticks] == [0, 2, 4, 6, 8]
    assert chart.ticks[0].y == chart.baseline
    assert chart.ticks[-1].y == chart.plot_top


def test_the_chart_grows_with_the_number_of_sprints():
    six = grouped_bars([(str(i), [1, 0, 0, 0]) for i in range(6)], SERIES)
    eight = grouped_bars([(str(i), [1, 0, 0, 0]) for i in range(8)], SERIES)
    assert eight.width - six.width == 2 * GROUP_WIDTH
    assert six.height == eight.height


def test_a_chart_of_few_sprints_widens_its_groups_but_not_its_bars():
    chart = grouped_bars([("a", [1, 1, 1, 1]), ("b", [1, 1, 1, 1])], SERIES)
    assert chart.plot_right - chart.plot_left == MIN_PLOT_WIDTH
    first, second = chart.groups
    assert second.label_x - first.label_x == MIN_PLOT_WIDTH / 2
    assert all(bar.width == BAR_WIDTH for bar in first.bars)


def test_a_chart_of_nothing_but_zeros_draws_flat_bars_without_dividing_by_zero():
    chart = grouped_bars([("a", [0, 0, 0, 0])], SERIES)
    assert chart.scale_max == 1
    assert all(bar.height == 0 for bar in chart.groups[0].bars)


def test_a_group_with_the_wrong_number_of_values_is_refused():
    with pytest.raises(ValueError):
        grouped_bars([("a", [1, 2])], SERIES)
