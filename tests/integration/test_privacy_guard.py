"""The privacy guard in the services: an action's title, description and blocked reason and a
comment's body that look like a citizen's personal data are refused on their field, unless the
writer confirmed it; nothing is written when refused."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import ActionStatus, Comment, CommentCreate
from app.services import actions
from app.services.errors import Invalid
from app.services.personal_data import is_personal_data, message
from tests.integration.service_helpers import as_, audit_rows, edit, new_action
from tests.support.builders import World

BSN = "Inwoner 111.222.333 belde over zijn aanvraag"
EMAIL = "Antwoord sturen naar j.jansen@example.nl"
PHONE = "Terugbellen op 06-12345678"


@pytest.mark.parametrize(
    ("field", "text"),
    [("title", BSN), ("description", EMAIL), ("blocked_reason", PHONE)],
)
def test_a_new_action_with_personal_data_is_refused_on_that_field(
    world: World, session: Session, field: str, text: str
):
    before = audit_rows(session)
    fields = {"status": ActionStatus.blocked, "blocked_reason": "Wacht op besluit", field: text}
    with pytest.raises(Invalid) as refused:
        new_action(session, world, **({"title": "Actie"} | fields))
    assert list(refused.value.errors) == [field]
    message = refused.value.errors[field]
    assert is_personal_data(message)
    assert "persoonsgegevens van een inwoner" in message
    session.rollback()
    assert audit_rows(session) == before


def test_the_message_names_what_was_found():
    found = message("Mail a@b.nl of bel 06-12345678")
    assert found is not None
    assert "(een e-mailadres, een telefoonnummer)" in found
    assert message("Gewoon werk: zaak 2026-0042") is None


def test_confirmed_personal_data_is_saved(world: World, session: Session):
    action = new_action(session, world, title=BSN, confirm_personal_data=True)
    assert action.id is not None and action.title == BSN


def test_an_edit_is_checked_only_for_the_text_it_changes(world: World, session: Session):
    action = new_action(session, world, title=BSN, confirm_personal_data=True)
    # the confirmed title stays; a new description is looked at on its own
    changed = edit(session, world, action, description="Bespreken in het overleg")
    assert changed.version == 2
    with pytest.raises(Invalid) as refused:
        edit(session, world, changed, description=EMAIL)
    assert list(refused.value.errors) == ["description"]
    session.rollback()
    saved = edit(session, world, changed, description=EMAIL, confirm_personal_data=True)
    assert saved.description == EMAIL and saved.version == 3


def test_a_move_to_blocked_with_a_phone_number_as_reason_is_refused(world: World, session: Session):
    action = new_action(session, world)
    with pytest.raises(Invalid) as refused:
        edit(session, world, action, status=ActionStatus.blocked, blocked_reason=PHONE)
    assert list(refused.value.errors) == ["blocked_reason"]


def test_other_problems_come_with_the_privacy_message(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        new_action(session, world, title=BSN, status=ActionStatus.blocked, blocked_reason=" ")
    assert set(refused.value.errors) == {"title", "blocked_reason"}


def test_a_comment_with_personal_data_is_refused_unless_confirmed(world: World, session: Session):
    action = new_action(session, world)
    assert action.id is not None
    member = as_(session, world, "member")
    with pytest.raises(Invalid) as refused:
        actions.add_comment(
            session=session, actor=member, action_id=action.id, data=CommentCreate(body=PHONE)
        )
    assert list(refused.value.errors) == ["body"]
    session.rollback()
    comment = actions.add_comment(
        session=session,
        actor=member,
        action_id=action.id,
        data=CommentCreate(body=PHONE, confirm_personal_data=True),
    )
    assert session.get(Comment, comment.id) is not None


def test_work_text_passes(world: World, session: Session):
    action = new_action(
        session,
        world,
        title="Raadsvoorstel 2026-0042 voor 4-12-2026",
        description="Budget € 250.000, postcode 5131 AB, zaak Z-2026-001234",
    )
    assert action.version == 1
