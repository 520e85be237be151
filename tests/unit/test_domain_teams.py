"""The team tree as a pure mapping of team → parent, and when a team may go: no database."""

from app.domain.teams import NOT_EMPTY, ancestors, removal_problem, would_create_cycle

# 1 is the top team of teams; 2 and 5 hang under it, 3 under 2, 4 under 3; 9 stands alone.
TREE = {1: None, 2: 1, 3: 2, 4: 3, 5: 1, 9: None}


def test_ancestors_lists_the_teams_of_teams_above_a_team_nearest_first():
    assert list(ancestors(4, TREE)) == [3, 2, 1]


def test_a_top_team_and_an_unknown_team_have_no_ancestors():
    assert list(ancestors(1, TREE)) == []
    assert list(ancestors(42, TREE)) == []


def test_ancestors_stops_on_a_cycle_already_in_the_data():
    # a broken tree must not hang the server in an endless loop
    assert list(ancestors(1, {1: 2, 2: 3, 3: 1})) == [2, 3]


def test_a_team_cannot_be_its_own_parent():
    assert would_create_cycle(2, 2, TREE)


def test_a_team_cannot_hang_under_its_own_subteam_at_any_depth():
    assert would_create_cycle(2, 3, TREE)
    assert would_create_cycle(1, 4, TREE)


def test_hanging_a_team_under_an_unrelated_or_sibling_team_is_no_cycle():
    assert not would_create_cycle(5, 9, TREE)
    assert not would_create_cycle(5, 4, TREE)
    assert not would_create_cycle(4, 5, TREE)


def test_hanging_a_team_under_nobody_is_never_a_cycle():
    assert not would_create_cycle(3, None, TREE)


def test_a_team_without_subteams_actions_or_escalations_can_be_removed():
    assert removal_problem(subteams=0, actions=0, escalations=0) is None


def test_a_team_holding_work_or_other_teams_stays_with_one_message():
    for counts in ({"subteams": 1}, {"actions": 3}, {"escalations": 1}):
        in_use = {"subteams": 0, "actions": 0, "escalations": 0, **counts}
        assert removal_problem(**in_use) == NOT_EMPTY
    assert "kan daarom niet weg" in NOT_EMPTY
