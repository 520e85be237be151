"""Mentions are stored with the comment or knelpunt that makes them, once per person, never for
the writer or an inactive colleague, and only their person marks them seen."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import (
    CommentCreate,
    EscalationCreate,
    EscalationForward,
    EscalationResolve,
    Mention,
    Role,
    TeamCreate,
    TeamUpdate,
    UserCreate,
)
from app.queries.mentions import mentions_of, suggestions
from app.services import actions, escalations, mentions, org
from app.services.errors import Invalid, NotFound
from tests.integration.service_helpers import as_, new_action
from tests.support.builders import PASSWORD, World


def comment(
    session: Session, world: World, body: str, who: str = "member", *, confirmed: bool = False
):
    action = new_action(session, world)
    assert action.id is not None
    return actions.add_comment(
        session=session,
        actor=as_(session, world, who),
        action_id=action.id,
        data=CommentCreate(body=body, confirm_personal_data=confirmed),
    )


def rows(session: Session) -> list[Mention]:
    return list(session.exec(select(Mention).order_by(Mention.id)))  # type: ignore[arg-type]


def colleague(session: Session, world: World, name: str, email: str) -> int:
    user = org.create_user(
        session=session,
        actor=as_(session, world, "admin"),
        data=UserCreate(email=email, name=name, password=PASSWORD),
    ).user
    assert user.id is not None
    return user.id


def test_a_comment_mentions_each_named_colleague_once(world: World, session: Session):
    made = comment(session, world, "@Lead en @Outsider, kijken jullie? Nogmaals @lead.")
    found = rows(session)
    assert sorted(m.user_id for m in found) == sorted([world.ids["lead"], world.ids["outsider"]])
    for mention in found:
        assert mention.author_id == world.ids["member"]
        assert (mention.comment_id, mention.action_id) == (made.id, made.action_id)
        assert mention.escalation_id is None
        assert mention.seen_at is None and mention.mailed_at is None


def test_a_name_with_spaces_is_found_and_the_writer_never_mentions_themselves(
    world: World, session: Session
):
    fatima = colleague(session, world, "Fatima el Amrani", "fatima@example.org")
    comment(session, world, "Graag, @Fatima el Amrani! En @Member zelf.")
    assert [m.user_id for m in rows(session)] == [fatima]


def test_an_inactive_colleague_is_not_matched(world: World, session: Session):
    gone = colleague(session, world, "Karel Weg", "karel@example.org")
    org.set_user_active(
        session=session, actor=as_(session, world, "admin"), user_id=gone, active=False
    )
    comment(session, world, "@Karel Weg wist dit")
    assert rows(session) == []


def test_a_comment_without_a_mention_reads_no_names(world: World, session: Session):
    # (an e-mail address asks the privacy guard's confirmation)
    comment(session, world, "mail lead@example.org", confirmed=True)
    assert rows(session) == []


def test_a_refused_comment_leaves_no_mention(world: World, session: Session):
    action = new_action(session, world)
    assert action.id is not None
    with pytest.raises(Invalid):
        actions.add_comment(
            session=session,
            actor=as_(session, world, "member"),
            action_id=action.id,
            # a citizen's BSN: the privacy guard refuses the comment, and with it the mention
            data=CommentCreate(body="@Lead BSN 111222333"),
        )
    session.rollback()
    assert rows(session) == []


def test_raising_forwarding_and_answering_a_knelpunt_each_mention(world: World, session: Session):
    admin = as_(session, world, "admin")
    top = org.create_team(session=session, actor=admin, data=TeamCreate(name="Directie"))
    assert world.team_of_teams.id is not None
    org.update_team(
        session=session,
        actor=admin,
        team_id=world.team_of_teams.id,
        data=TeamUpdate(parent_id=top.id),
    )
    action = new_action(session, world)
    assert action.id is not None
    raised = escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action.id,
        data=EscalationCreate(note="Hulp nodig, @Representative"),
    )
    assert raised.id is not None
    escalations.forward_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=raised.id,
        data=EscalationForward(note="Dit is voor @Ada Beheer en @Member"),
    )
    escalations.resolve_escalation(
        session=session,
        actor=admin,
        escalation_id=raised.id,
        data=EscalationResolve(resolution="Geregeld, @Member en @Lead"),
    )
    found = [(m.user_id, m.author_id) for m in rows(session)]
    ids = world.ids
    assert found == [
        (ids["representative"], ids["member"]),
        (ids["admin"], ids["representative"]),
        (ids["member"], ids["representative"]),
        (ids["member"], ids["admin"]),
        (ids["lead"], ids["admin"]),
    ]
    assert {(m.escalation_id, m.action_id, m.comment_id) for m in rows(session)} == {
        (raised.id, action.id, None)
    }


def test_only_my_own_mentions_are_marked_seen(world: World, session: Session):
    comment(session, world, "@Lead en @Outsider")
    lead, outsider = (
        next(m for m in rows(session) if m.user_id == world.ids[who])
        for who in ("lead", "outsider")
    )
    with pytest.raises(NotFound):
        mentions.mark_seen(
            session=session, actor=as_(session, world, "lead"), mention_ids=[outsider.id]
        )
    assert (
        mentions.mark_seen(
            session=session, actor=as_(session, world, "lead"), mention_ids=[lead.id]
        )
        == 1
    )
    assert mentions.mark_seen(session=session, actor=as_(session, world, "lead")) == 0
    unseen, total = mentions_of(session, user_id=world.ids["outsider"])
    assert total == 1 and unseen[0].author == "Member"
    assert mentions_of(session, user_id=world.ids["lead"])[1] == 0
    assert mentions.mark_seen(session=session, actor=as_(session, world, "outsider")) == 1


def test_suggestions_put_my_teams_first_and_leave_me_and_the_inactive_out(
    world: World, session: Session
):
    colleague(session, world, "Ria Buiten", "ria@example.org")  # in no team
    rik = colleague(session, world, "Rik Binnen", "rik@example.org")
    gone = colleague(session, world, "Rob Weg", "rob@example.org")
    admin = as_(session, world, "admin")
    assert world.team.id is not None
    org.put_member(
        session=session, actor=admin, team_id=world.team.id, user_id=rik, role=Role.member
    )
    org.set_user_active(session=session, actor=admin, user_id=gone, active=False)

    def names(query: str) -> list[str]:
        found = suggestions(
            session, query=query, viewer_id=world.ids["member"], team_ids={world.team.id}
        )
        return [s.name for s in found]

    assert names("r") == ["Representative", "Rik Binnen", "Ria Buiten"]
    assert names("binnen") == ["Rik Binnen"]
    assert names("mem") == []  # myself
    assert names("rob") == []  # no longer active
