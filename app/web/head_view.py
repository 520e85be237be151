"""Stand van zaken: the department head's view of every ambition on one page.

(app/web/head.py is about HTTP HEAD requests; this is the afdelingshoofd's page.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from fastapi import APIRouter
from starlette.responses import Response

from app.models import AmbitionStatus, EscalationType, IndicatorDirection
from app.queries.head import (
    TREND_SPRINTS,
    AmbitionStand,
    IndicatorStand,
    TrendPoint,
    ambition_stands,
)
from app.translatable import N_
from app.web.deps import PageDep
from app.web.i18n import current_locale, ngettext, week_label
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

PATH = "/stand-van-zaken"
TEMPLATE = "head/overview.html"

STATUS_LABELS = {
    AmbitionStatus.active: N_("Actief"),
    AmbitionStatus.achieved: N_("Bereikt"),
    AmbitionStatus.dropped: N_("Losgelaten"),
}
DIRECTION_LABELS = {
    IndicatorDirection.up: N_("hoger is beter"),
    IndicatorDirection.down: N_("lager is beter"),
}
TYPE_LABELS = {
    EscalationType.help: N_("hulp nodig"),
    EscalationType.decision: N_("besluit nodig"),
    EscalationType.capacity: N_("capaciteit"),
}

# the tiny trend: two bars per sprint (klaar, doorgeschoven) on a shared scale from zero
TREND_SLOT = 34.0
TREND_BAR = 12.0
TREND_TOP = 4.0
TREND_PLOT = 48.0


@dataclass(frozen=True)
class TrendBar:
    series: str  # done | carried_over
    x: float
    y: float
    height: float
    width: float = TREND_BAR


@dataclass(frozen=True)
class Trend:
    width: float
    height: float
    baseline: float
    bars: list[TrendBar]
    summary: str  # the text alternative: every number the bars show


@dataclass(frozen=True)
class IndicatorRow:
    name: str
    latest: str
    latest_on: date | None
    target: str
    direction: str
    verdict: str
    verdict_class: str  # gehaald | niet-gehaald | geen-meting


@dataclass(frozen=True)
class EscalationRow:
    id: int
    note: str
    team: str
    type_label: str
    age: str


@dataclass(frozen=True)
class HighlightRow:
    text: str
    team: str
    sprint: str


@dataclass(frozen=True)
class AmbitionCard:
    id: int
    title: str
    status: str
    status_label: str
    teams: str
    goals: str
    trend: Trend
    last_sprint: str
    indicators: list[IndicatorRow]
    escalations: list[EscalationRow]
    highlights: list[HighlightRow]


def number(value: float) -> str:
    """12, 12,5 or 1.234 in Dutch; the way the viewer's language writes numbers."""
    return format_decimal(value, format="#,##0.##", locale=current_locale.get())


def trend_chart(points: list[TrendPoint], slots: int = TREND_SPRINTS) -> Trend:
    """Bars for the sprints given, right-aligned in room for `slots` sprints, so every
    ambition's trend has the same width and its latest sprint in the same place."""
    first = max(0, slots - len(points))
    scale = max([1, *(point.done for point in points), *(point.carried_over for point in points)])
    baseline = TREND_TOP + TREND_PLOT
    bars = []
    for index, point in enumerate(points):
        left = (first + index) * TREND_SLOT + 4
        for offset, (series, value) in enumerate(
            (("done", point.done), ("carried_over", point.carried_over))
        ):
            height = round(TREND_PLOT * value / scale, 2)
            bars.append(
                TrendBar(
                    series=series,
                    x=round(left + offset * (TREND_BAR + 1), 2),
                    y=round(baseline - height, 2),
                    height=height,
                )
            )
    parts = [
        _("%(weken)s: %(klaar)s klaar, %(door)s doorgeschoven")
        % {
            "weken": week_label(point.sprint.start_date, point.sprint.end_date),
            "klaar": point.done,
            "door": point.carried_over,
        }
        for point in points
    ]
    return Trend(
        width=max(slots, len(points)) * TREND_SLOT,
        height=baseline + 2,
        baseline=baseline,
        bars=bars,
        summary="; ".join(parts) + "." if parts else _("Nog geen periodes."),
    )


def latest_sprints(points: list[TrendPoint]) -> str:
    """The last two sprints in words: what the previous one finished and carried over (known
    once it closed), what this one finished so far."""
    parts = []
    if len(points) > 1:
        previous = points[-2]
        parts.append(
            _("vorige periode %(klaar)s klaar en %(door)s doorgeschoven")
            % {"klaar": previous.done, "door": previous.carried_over}
        )
    if points:
        parts.append(_("deze periode tot nu toe %(klaar)s klaar") % {"klaar": points[-1].done})
    return "; ".join(parts)


def indicator_row(stand: IndicatorStand) -> IndicatorRow:
    indicator, latest = stand.indicator, stand.latest
    unit = f" {indicator.unit}" if indicator.unit else ""
    if stand.on_target is None:
        verdict, verdict_class = _("nog geen meting"), "geen-meting"
    elif stand.on_target:
        verdict, verdict_class = _("doel gehaald"), "gehaald"
    else:
        verdict, verdict_class = _("doel nog niet gehaald"), "niet-gehaald"
    return IndicatorRow(
        name=indicator.name,
        latest=f"{number(latest.value)}{unit}" if latest else "–",
        latest_on=latest.measured_on if latest else None,
        target=f"{number(indicator.target)}{unit}",
        direction=_(DIRECTION_LABELS[IndicatorDirection(indicator.direction)]),
        verdict=verdict,
        verdict_class=verdict_class,
    )


def card(stand: AmbitionStand) -> AmbitionCard:
    ambition = stand.ambition
    assert ambition.id is not None
    return AmbitionCard(
        id=ambition.id,
        title=ambition.title,
        status=ambition.status,
        status_label=_(STATUS_LABELS[AmbitionStatus(ambition.status)]),
        teams=", ".join(team.name for team in stand.teams) or _("nog geen teams"),
        goals=_("%(behaald)s van %(totaal)s behaald")
        % {"behaald": stand.goals_met, "totaal": len(stand.goals)}
        if stand.goals
        else _("nog geen kortetermijndoelen"),
        trend=trend_chart(stand.trend),
        last_sprint=latest_sprints(stand.trend),
        indicators=[indicator_row(item) for item in stand.indicators],
        escalations=[
            EscalationRow(
                id=item.escalation.id or 0,
                note=item.escalation.note,
                team=item.from_team.name if item.from_team else "",
                type_label=_(TYPE_LABELS[EscalationType(item.escalation.type)]),
                age=ngettext("%(n)s dag open", "%(n)s dagen open", item.age_days)
                % {"n": item.age_days},
            )
            for item in stand.escalations
        ],
        highlights=[
            HighlightRow(
                text=item.text,
                team=item.team.name if item.team else "",
                sprint=week_label(item.sprint.start_date, item.sprint.end_date),
            )
            for item in stand.highlights
        ],
    )


@router.get(PATH)
def head_view(page: PageDep) -> Response:
    """Hoe staan onze ambities ervoor? Open to everyone logged in, as the ambitions are."""
    stands = ambition_stands(page.session, today=page.today)
    return render(page.request, TEMPLATE, {"cards": [card(stand) for stand in stands]})
