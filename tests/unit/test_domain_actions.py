"""An action's blocked reason and its place in a column: no database."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.actions import blocked_reason_problem, insert_at, reason_after_move
from app.models.common import ActionStatus


def test_a_blocked_action_needs_a_reason():
    assert blocked_reason_problem(ActionStatus.blocked, None)
    assert blocked_reason_problem(ActionStatus.blocked, "")
    assert blocked_reason_problem(ActionStatus.blocked, "   \n")


def test_a_blocked_action_with_a_reason_is_fine():
    assert blocked_reason_problem(ActionStatus.blocked, "Wacht op de jurist") is None


def test_an_action_that_is_not_blocked_needs_no_reason():
    for status in (ActionStatus.todo, ActionStatus.doing, ActionStatus.done):
        assert blocked_reason_problem(status, None) is None


def test_a_blocked_action_keeps_its_reason_without_surrounding_spaces():
    assert reason_after_move(ActionStatus.blocked, "  Wacht op de jurist ") == "Wacht op de jurist"


def test_leaving_blocked_clears_the_reason():
    for status in (ActionStatus.todo, ActionStatus.doing, ActionStatus.done):
        assert reason_after_move(status, "Wacht op de jurist") is None


def test_a_blocked_action_without_reason_stores_none():
    assert reason_after_move(ActionStatus.blocked, None) is None


def test_insert_at_moves_an_item_to_the_front():
    assert insert_at([1, 2, 3, 4], 4, 0) == [4, 1, 2, 3]


def test_insert_at_moves_an_item_into_the_middle():
    assert insert_at([1, 2, 3, 4], 1, 2) == [2, 3, 1, 4]


def test_insert_at_without_index_puts_the_item_at_the_end():
    assert insert_at([1, 2, 3], 1, None) == [2, 3, 1]


def test_insert_at_an_index_past_the_end_puts_the_item_at_the_end():
    assert insert_at([1, 2, 3], 2, 99) == [1, 3, 2]
    assert insert_at([1, 2, 3], 2, 2) == [1, 3, 2]


def test_insert_at_a_negative_index_puts_the_item_at_the_front():
    assert insert_at([1, 2, 3], 3, -5) == [3, 1, 2]


def test_insert_at_adds_an_item_that_came_from_another_column():
    assert insert_at([1, 2], 9, 1) == [1, 9, 2]
    assert insert_at([], 9, 3) == [9]


def test_insert_at_its_own_place_changes_nothing():
    assert insert_at([1, 2, 3], 2, 1) == [1, 2, 3]


@settings(database=None, deadline=None)
@given(
    order=st.lists(st.integers(min_value=1, max_value=1000), unique=True, max_size=30),
    item=st.integers(min_value=1, max_value=1000),
    index=st.none() | st.integers(min_value=-5, max_value=40),
)
def test_insert_at_is_a_permutation_of_the_column_and_the_item(
    order: list[int], item: int, index: int | None
):
    result = insert_at(order, item, index)
    assert sorted(result) == sorted({*order, item})
    if index is None or index >= len(result) - 1:
        assert result[-1] == item
    else:
        assert result.index(item) == max(index, 0)
    # the others keep their relative order
    assert [other for other in result if other != item] == [o for o in order if o != item]
