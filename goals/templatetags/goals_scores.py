"""Scores and pace on the goals pages, for templates whose views predate the scoring engine.

    {% load goals_scores %}
    {% objective_pace objective progress as pace %}{% include "goals/_pace.html" %}
    {% key_result_pace kr objective progress as pace %}
    {% score_records "person" groups period attr="person" as scores %}{{ scores|lookup:person.pk }}
    {% person_score employee period as mine %}         (None when the reader may not see it)
    {% objective_explanation objective as shown %}     ({"explanation", "totals"})

The pace tags read only what is already loaded (the objective's period and prefetched key
results with their cached last-update day): no query.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import timezone

from goals import scoring
from goals.access import can_see_person_score
from goals.models import ScoreKind
from goals.progress.pace import Pace
from goals.progress.rows import key_result_pace as _key_result_pace
from goals.progress.rows import objective_pace as _objective_pace
from goals.strategy.selectors import period_current

register = template.Library()


@register.simple_tag
def objective_pace(objective, progress) -> Pace | None:
    """The pace of an objective with this progress (0–100), judged on its latest progress update."""
    if objective is None or progress in (None, ""):
        return None
    if not isinstance(progress, Decimal):
        progress = Decimal(str(progress))
    return _objective_pace(objective, progress=progress, today=timezone.localdate())


@register.simple_tag
def key_result_pace(kr, objective, progress) -> Pace | None:
    """The pace of one key result with this progress (0–100), judged on its latest progress update."""
    if kr is None or objective is None:
        return None
    return _key_result_pace(kr, objective, progress=progress, last_day=kr.last_measured_on, today=timezone.localdate())


# --- scores ----------------------------------------------------------------------------


def _pick(subject, attr: str):
    if not attr:
        return subject
    return subject[attr] if isinstance(subject, dict) else getattr(subject, attr)


@register.simple_tag
def score_records(kind: str, subjects, period, attr: str = "") -> dict:
    """{subject id: goals.scoring.Score} of these subjects (objects, or ids; `attr` names the attribute
    that holds the subject) in `period`, in ONE query — or, with no period, each in its own period
    (the subject's `period_id`, as for strategic themes)."""
    subjects = [_pick(s, attr) for s in subjects or []]
    ids = {s if isinstance(s, int) else s.pk for s in subjects}
    if not ids:
        return {}
    if period is not None:
        return scoring.score_record_map(kind=kind, subject_ids=ids, period_id=getattr(period, "pk", period))
    own = {s.pk: s.period_id for s in subjects if not isinstance(s, int)}
    return scoring.score_record_map_own_periods(kind=kind, subject_ids=ids, periods=own)


@register.filter
def lookup(mapping, key):
    """mapping[key], or None."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def person_score(context, employee, period=None) -> dict | None:
    """The results score of a person in a period (default: the current fiscal year) if the reader
    may see it: {"record": goals.scoring.Score or None, "period": Period, "url": the explanation}."""
    request = context.get("request")
    if employee is None or request is None or not can_see_person_score(actor=request.user, employee=employee):
        return None
    period = period or period_current()
    if period is None:
        return None
    record = scoring.person_score(employee_id=employee.pk, period_id=period.pk)
    url = scoring.explanation_url(ScoreKind.PERSON, employee.pk, period.pk)
    return {"record": record, "period": period, "url": url}


@register.simple_tag(takes_context=True)
def objective_explanation(context, objective) -> dict | None:
    """How the objective's score comes about, with what the reader may not open masked, and the total row."""
    request = context.get("request")
    if objective is None or request is None:
        return None
    # the page read the objective with its period this request: no need to read it again
    explanation = scoring.hide_unseen(scoring.explain_objective(objective, as_read=True), actor=request.user)
    return {"explanation": explanation, "totals": scoring.explanation_totals(explanation)}


@register.simple_tag
def score_of(kind: str, subject, period):
    """The goals.scoring.Score of one subject (an object or an id) in a period, or None."""
    if subject is None or period is None:
        return None
    subject_id = subject if isinstance(subject, int) else subject.pk
    return scoring.score_of(kind=kind, subject_id=subject_id, period_id=getattr(period, "pk", period))
