"""Who may do what, over one user's roles: no database."""

from app.domain.permissions import Access
from app.models.common import Role

TEAM_OF_TEAMS, TEAM, OTHER_TEAM, TOP_TEAM = 1, 2, 3, 4
PARENTS = {TOP_TEAM: None, TEAM_OF_TEAMS: TOP_TEAM, TEAM: TEAM_OF_TEAMS, OTHER_TEAM: TEAM_OF_TEAMS}


def access(roles: dict[int, Role], *, is_admin: bool = False) -> Access:
    return Access(user_id=7, is_admin=is_admin, roles=roles, parents=PARENTS)


def test_a_member_writes_only_on_their_own_teams_board():
    member = access({TEAM: Role.member})
    assert member.board_teams() == {TEAM}
    assert member.can_write_board(TEAM)
    assert not member.can_write_board(TEAM_OF_TEAMS)
    assert not member.can_write_board(OTHER_TEAM)


def test_a_lead_does_not_sit_in_the_team_of_teams_by_that_role():
    assert access({TEAM: Role.lead}).board_teams() == {TEAM}


def test_a_representative_also_writes_on_the_board_of_the_team_of_teams_above():
    representative = access({TEAM: Role.representative})
    assert representative.board_teams() == {TEAM, TEAM_OF_TEAMS}
    assert representative.can_write_board(TEAM_OF_TEAMS)
    assert representative.is_member_of(TEAM_OF_TEAMS)
    assert representative.represents_in(TEAM_OF_TEAMS) == [TEAM]


def test_a_representative_gains_only_the_direct_parent_not_the_whole_tree():
    assert not access({TEAM: Role.representative}).can_write_board(TOP_TEAM)


def test_a_representative_of_a_team_without_parent_gains_nothing():
    assert access({TOP_TEAM: Role.representative}).board_teams() == {TOP_TEAM}


def test_a_deputy_sits_in_the_team_of_teams_exactly_like_a_representative():
    deputy = access({TEAM: Role.deputy})
    assert deputy.board_teams() == {TEAM, TEAM_OF_TEAMS}
    assert deputy.can_write_board(TEAM_OF_TEAMS)
    assert deputy.is_member_of(TEAM_OF_TEAMS)
    assert deputy.represents_in(TEAM_OF_TEAMS) == [TEAM]
    assert not deputy.can_write_board(TOP_TEAM)
    assert not deputy.can_write_board(OTHER_TEAM)
    # a seat is not a lead: the deputy manages no members, in the team nor above it
    assert not deputy.can_manage_members(TEAM)
    assert not deputy.can_manage_members(TEAM_OF_TEAMS)


def test_a_deputy_of_a_team_without_parent_gains_nothing():
    assert access({TOP_TEAM: Role.deputy}).board_teams() == {TOP_TEAM}


def test_the_representative_and_the_deputy_of_two_teams_sit_there_for_both():
    both = access({TEAM: Role.representative, OTHER_TEAM: Role.deputy})
    assert both.board_teams() == {TEAM, OTHER_TEAM, TEAM_OF_TEAMS}
    assert sorted(both.represents_in(TEAM_OF_TEAMS)) == [TEAM, OTHER_TEAM]


def test_an_admin_writes_on_every_board_without_being_a_member():
    admin = access({}, is_admin=True)
    assert admin.can_write_board(OTHER_TEAM)
    assert admin.can_administer()
    assert not admin.is_member_of(OTHER_TEAM)


def test_only_a_lead_of_the_team_or_an_admin_manages_its_members():
    assert access({TEAM: Role.lead}).can_manage_members(TEAM)
    assert access({}, is_admin=True).can_manage_members(TEAM)
    assert not access({TEAM: Role.member}).can_manage_members(TEAM)
    assert not access({TEAM: Role.representative}).can_manage_members(TEAM)
    # the representative sits in the team of teams, but does not lead it
    assert not access({TEAM: Role.representative}).can_manage_members(TEAM_OF_TEAMS)
    assert not access({TEAM: Role.lead}).can_manage_members(OTHER_TEAM)


def test_an_ambition_is_edited_by_an_admin_or_a_lead_of_the_team_that_owns_it():
    assert access({TEAM: Role.lead}).can_edit_ambition(TEAM)
    assert access({}, is_admin=True).can_edit_ambition(TEAM)
    assert access({}, is_admin=True).can_edit_ambition(None)
    assert not access({TEAM: Role.member}).can_edit_ambition(TEAM)
    assert not access({OTHER_TEAM: Role.lead}).can_edit_ambition(TEAM)
    assert not access({TEAM: Role.lead}).can_edit_ambition(None)


def test_only_an_admin_administers_locations_users_teams_and_sprints():
    assert not access({TOP_TEAM: Role.lead}).can_administer()


# --- deleting an action ----------------------------------------------------------------------
ME, SOMEONE, ANOTHER = 7, 8, 9  # access() is user 7


def may_delete(actor: Access, *, owner: int = SOMEONE, creator: int | None = ANOTHER) -> bool:
    return actor.can_delete_action(team_id=TEAM, owner_id=owner, created_by_id=creator)


def test_an_action_is_deleted_by_its_owner_or_its_creator():
    member = access({TEAM: Role.member})
    assert may_delete(member, owner=ME)
    assert may_delete(member, creator=ME)


def test_another_member_of_the_team_does_not_delete_an_action():
    assert not may_delete(access({TEAM: Role.member}))
    assert not may_delete(access({TEAM: Role.representative}), creator=None)


def test_the_teams_lead_and_an_admin_delete_any_of_its_actions():
    assert may_delete(access({TEAM: Role.lead}))
    assert may_delete(access({}, is_admin=True))


def test_a_lead_of_the_team_of_teams_above_does_not_delete_a_child_teams_action():
    # "a lead of T": the department head reads everything but deletes only on their own board
    assert not may_delete(access({TEAM_OF_TEAMS: Role.lead}))


def test_an_owner_who_left_the_team_no_longer_deletes_its_action():
    assert not may_delete(access({OTHER_TEAM: Role.member}), owner=ME)


def test_a_representative_deletes_their_own_action_on_the_team_of_teams_board():
    representative = access({TEAM: Role.representative})
    assert representative.can_delete_action(
        team_id=TEAM_OF_TEAMS, owner_id=ME, created_by_id=ANOTHER
    )
    assert not representative.can_delete_action(
        team_id=TEAM_OF_TEAMS, owner_id=SOMEONE, created_by_id=ANOTHER
    )
