"""The demo's rhythm: the team Voordeur closed its own part of the previous period before the
period ended for everyone. One action went along to this period, one it let go of with a reason;
built through the services as the team's own people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.models import ActionCreate, ActionStatus, DropChoice, Sprint, TeamSprintClose
from app.services import actions, rhythm

if TYPE_CHECKING:
    from app.demo.small import SmallDemo

CARRIED = "Vaste teksten voor de meest gestelde vragen aan de balie"
DROPPED = "Wachtmuziek van de telefooncentrale vervangen"
REASON = (
    "De telefooncentrale wordt in januari vervangen door het KCC van de drie gemeenten. De "
    "wachtmuziek komt dan vanzelf mee."
)


def seed_team_close(demo: SmallDemo, previous: Sprint) -> None:
    """Voordeur closes its part of `previous` (still open): carry one, drop one."""
    assert previous.id is not None
    team_id = demo.teams["voordeur"].id
    assert team_id is not None
    made = {}
    for title, who, status in (
        (CARRIED, "ingrid", ActionStatus.doing),
        (DROPPED, "willem", ActionStatus.todo),
    ):
        actor = demo.as_person(who)
        made[title] = actions.create_action(
            session=demo.session,
            actor=actor,
            data=ActionCreate(
                title=title,
                team_id=team_id,
                owner_id=actor.user_id,
                sprint_id=previous.id,
                status=status,
            ),
            today=demo.today,
        )
    dropped = made[DROPPED].id
    assert dropped is not None
    rhythm.close_team_sprint(
        session=demo.session,
        actor=demo.as_person("willem"),
        team_id=team_id,
        sprint_id=previous.id,
        data=TeamSprintClose(drop=[DropChoice(action_id=dropped, reason=REASON)]),
        today=demo.today,
    )
