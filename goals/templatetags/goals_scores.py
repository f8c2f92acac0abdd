"""Scores and pace on the goals pages, for templates whose views predate the scoring engine.

    {% load goals_scores %}
    {% objective_pace objective progress as pace %}{% include "goals/_pace.html" %}
    {% key_result_pace kr objective progress as pace %}

The pace tags read only what is already loaded (the objective's period and prefetched key
results with their cached last-update day): no query.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from goals.pace import Pace
from goals.progress_rows import key_result_pace as _key_result_pace
from goals.progress_rows import objective_pace as _objective_pace

register = template.Library()


@register.simple_tag
def objective_pace(objective, progress) -> Pace | None:
    """The pace of an objective with this progress (0–100), judged on its latest progress update."""
    if objective is None:
        return None
    return _objective_pace(objective, progress=progress, today=timezone.localdate())


@register.simple_tag
def key_result_pace(kr, objective, progress) -> Pace | None:
    """The pace of one key result with this progress (0–100), judged on its latest progress update."""
    if kr is None or objective is None:
        return None
    return _key_result_pace(kr, objective, progress=progress, last_day=kr.last_measured_on, today=timezone.localdate())
