"""What a knelpunt shows on a board and on its own page, decided in Python: labels, waiting
time, who may answer, pass on or read it, and the state of its forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from app import clock
from app.domain.escalations import TYPE_LABELS
from app.domain.permissions import Access
from app.models import Escalation, EscalationStep, EscalationType, Team, User
from app.queries.escalations import Knelpunt, Step, action_knelpunten
from app.translatable import N_
from app.web.i18n import gettext as _

STEP_LABELS = {
    EscalationStep.raised: N_("Opgeschaald naar %(team)s"),
    EscalationStep.forwarded: N_("Doorgestuurd naar %(team)s"),
    EscalationStep.answered: N_("Beantwoord"),
    EscalationStep.acknowledged: N_("Antwoord gelezen door het team"),
}


def type_label(value: str) -> str:
    return _(TYPE_LABELS[EscalationType(value)])


def days_label(days: int) -> str:
    if days == 1:
        return _("1 dag")
    return _("%(n)s dagen") % {"n": days}


@dataclass(frozen=True)
class OwnerChoice:
    value: str
    label: str


@dataclass
class KnelpuntView:
    """One knelpunt on a board (or its page), with the forms the viewer may use."""

    knelpunt: Knelpunt
    can_resolve: bool = False  # it lies with this team and the viewer writes here
    can_acknowledge: bool = False  # answered, not read, and the viewer is in the raising team
    owners: list[User] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.knelpunt.id

    @property
    def escalation(self) -> Escalation:
        return self.knelpunt.escalation

    @property
    def url(self) -> str:
        return f"/knelpunten/{self.id}"

    @property
    def from_team(self) -> Team | None:
        return self.knelpunt.from_team

    @property
    def to_team(self) -> Team | None:
        return self.knelpunt.to_team

    @property
    def action_title(self) -> str:
        return self.knelpunt.action_title

    @property
    def raised_by(self) -> str:
        return self.knelpunt.raised_by

    @property
    def type_label(self) -> str:
        return type_label(self.escalation.type)

    @property
    def is_open(self) -> bool:
        return self.knelpunt.is_open

    @property
    def awaits_reading(self) -> bool:
        return self.knelpunt.awaits_reading

    @property
    def owner_label(self) -> str:
        return self.knelpunt.owner or _("nog geen eigenaar")

    @property
    def owner_choices(self) -> list[OwnerChoice]:
        return [OwnerChoice(str(user.id), user.name) for user in self.owners]

    @property
    def chosen_owner(self) -> str:
        owner = self.escalation.owner_id
        return self.values.get("owner_id", str(owner) if owner else "")

    @property
    def waited_label(self) -> str:
        """How long it has waited: since it was raised, and since it arrived where it lies."""
        k = self.knelpunt
        if not k.is_open:
            if k.days_waited == 0:
                return _("Dezelfde dag beantwoord")
            return _("Beantwoord na %(tijd)s") % {"tijd": days_label(k.days_waited)}
        if k.days_waited == 0:
            text = _("Vandaag opgeschaald")
        else:
            text = _("Wacht al %(tijd)s") % {"tijd": days_label(k.days_waited)}
        if k.was_forwarded:
            team = k.to_team.name if k.to_team else ""
            if k.days_here == 0:
                text += " · " + _("sinds vandaag bij %(team)s") % {"team": team}
            else:
                text += " · " + _("%(tijd)s bij %(team)s") % {
                    "tijd": days_label(k.days_here),
                    "team": team,
                }
        return text

    @property
    def waited_since(self) -> datetime:
        return self.escalation.created_at

    @property
    def needed_by(self) -> date | None:
        return self.escalation.needed_by

    @property
    def asks_confirm(self) -> bool:
        return "confirm_personal_data" in self.errors


@dataclass
class StepView:
    step: Step

    @property
    def label(self) -> str:
        team = self.step.team.name if self.step.team else ""
        return _(STEP_LABELS[EscalationStep(self.step.record.kind)]) % {"team": team}

    @property
    def kind(self) -> str:
        return self.step.record.kind

    @property
    def actor(self) -> str:
        return self.step.actor

    @property
    def note(self) -> str:
        return self.step.record.note

    @property
    def moment(self) -> datetime:
        return self.step.record.created_at


def action_knelpunten_views(
    session: Session, access: Access, action_id: int, today: date | None = None
) -> list[KnelpuntView]:
    """The knelpunten raised from one action, for its page: the team may read an answer."""
    return [
        KnelpuntView(
            knelpunt=k,
            can_acknowledge=k.awaits_reading and access.can_write_board(k.escalation.from_team_id),
        )
        for k in action_knelpunten(session, action_id=action_id, today=today or clock.today())
    ]
