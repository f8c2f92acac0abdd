"""How each person in a team is doing in a period — results score, pace and last progress update,
or that they have no objectives yet — for the team pages (goals' team objectives and org's
my-team list). A constant number of queries whatever the team's size (two)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse

from goals import scoring
from goals.models import Period, ScoreKind
from goals.objectives.selectors import objective_facts_by_owner
from goals.progress import pace as pace_rules


@dataclass(frozen=True)
class PersonPerformance:
    objectives: int  # live (not cancelled) personal objectives in the period
    score: Decimal | None  # results score (counted objectives, approved or closed)
    progress: Decimal | None
    pace: pace_rules.Pace | None  # judged on the day of the latest update, like an objective's
    last_update: date | None
    score_url: str
    draft_url: str  # the objective form with this person and period chosen

    @property
    def has_objectives(self) -> bool:
        return self.objectives > 0


def team_performance(*, people: list, period: Period | None) -> dict[int, PersonPerformance]:
    """{employee id: PersonPerformance} for these people in the period (empty without a period)."""
    if period is None or not people:
        return {}
    ids = [person.pk for person in people]
    facts = objective_facts_by_owner(owner_ids=ids, period=period)
    records = scoring.person_scores(employee_ids=ids, period_id=period.pk)
    create_url = reverse("goals:objective-create")
    result = {}
    for person_id in ids:
        fact = facts.get(person_id, {})
        record = records.get(person_id)
        progress = record.progress if record is not None else None
        last_update = fact.get("last_update")
        pace = None
        if fact.get("approved") and last_update is not None:
            day = min(max(last_update, period.start), period.end)
            pace = pace_rules.pace_of(progress=progress, start=period.start, end=period.end, day=day)
        result[person_id] = PersonPerformance(
            objectives=fact.get("objectives", 0),
            score=record.score if record is not None else None,
            progress=progress,
            pace=pace,
            last_update=last_update,
            score_url=scoring.explanation_url(ScoreKind.PERSON, person_id, period.pk),
            draft_url=f"{create_url}?level=person&owner_employee={person_id}&period={period.pk}",
        )
    return result
