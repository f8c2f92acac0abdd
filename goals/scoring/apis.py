"""/api/v1/goals/scores/: why a score is what it is — the explanation of an objective's, a person's,
a unit's or a strategic theme's score (formula, contributing items, notes) and its daily history.

Access: an objective as its page (hidden → 404); a person's score as private as their personal
objectives (goals.access.person_score_access_for_view); units and themes to every signed-in user.
Aligned objectives the caller may not open keep their numbers but lose title, link and details.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from goals.access import objective_access_for_view, person_score_access_for_view
from goals.api import Number
from goals.models import Period, ScoreKind, StrategicTheme
from goals.scoring.engine import Explanation, number
from goals.scoring.explain import (
    explain_objective,
    explain_person,
    explain_theme,
    explain_unit,
    hide_unseen,
    score_history,
)
from goals.strategy.selectors import period_default
from org.models import OrgUnit

SCORE = {"max_digits": 7, "decimal_places": 2, "allow_null": True, "read_only": True}
VALUE = {"max_digits": 18, "decimal_places": 4, "allow_null": True, "read_only": True}


class ExplanationItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["key_result", "objective", "milestone", "progress_update"], help_text="What the item is."
    )
    subject_id = serializers.IntegerField(allow_null=True, help_text="The item's id (null when hidden from you).")
    label = serializers.CharField()
    url = serializers.CharField(help_text="The item's page (empty when hidden from you).")
    weight = Number(**SCORE, help_text="The item's weight in the score.")
    value = Number(**VALUE, help_text="The item's own score or achievement, in percent (a value for an update).")
    contribution = Number(**SCORE, help_text="The item's share of the score; the shares add up to the score.")
    detail = serializers.CharField(help_text="The numbers behind the value, in words.")


class ScoreExplanationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ScoreKind.choices)
    subject_id = serializers.IntegerField()
    period = serializers.IntegerField(help_text="The period the score is for.")
    subject = serializers.CharField()
    score = Number(**SCORE, help_text="0 … the period's cap (default 120).")
    progress = Number(**SCORE, help_text="0–100.")
    formula = serializers.CharField(help_text="The formula in words, in your language.")
    items = ExplanationItemSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    history = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text='The score day by day from the daily snapshots: [["2026-01-31", "8.5"], …].',
    )


class PeriodQuerySerializer(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.all(),
        required=False,
        help_text="A period id; when left out, the current fiscal year (else the latest year).",
    )


def _period(request) -> Period:
    query = PeriodQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    period = query.validated_data.get("period") or period_default()
    if period is None:
        raise Http404(_("There is no period yet."))
    return period


def _response(request, explanation: Explanation, *, kind: str, subject_id: int, period: Period) -> Response:
    explanation = hide_unseen(explanation, actor=request.user)
    data = {
        "kind": kind,
        "subject_id": subject_id,
        "period": period.pk,
        "subject": explanation.subject,
        "score": explanation.score,
        "progress": explanation.progress,
        "formula": explanation.formula,
        "items": [vars(item) for item in explanation.items],
        "notes": [str(note) for note in explanation.notes],
        "history": [[day.isoformat(), number(score)] for day, score in score_history(kind, subject_id, period)],
    }
    return Response(ScoreExplanationSerializer(data).data)


class ObjectiveScoreApi(APIView):
    @extend_schema(responses=ScoreExplanationSerializer, summary="Explain an objective's score")
    def get(self, request, pk: int):
        objective = objective_access_for_view(actor=request.user, objective_id=pk)
        return _response(
            request, explain_objective(objective), kind=ScoreKind.OBJECTIVE, subject_id=pk, period=objective.period
        )


class PersonScoreApi(APIView):
    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses=ScoreExplanationSerializer,
        summary="Explain a person's results score in a period",
    )
    def get(self, request, employee_id: int):
        employee = person_score_access_for_view(actor=request.user, employee_id=employee_id)
        period = _period(request)
        return _response(
            request, explain_person(employee, period), kind=ScoreKind.PERSON, subject_id=employee.pk, period=period
        )


class UnitScoreApi(APIView):
    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses=ScoreExplanationSerializer,
        summary="Explain a unit's score in a period",
    )
    def get(self, request, unit_id: int):
        unit = get_object_or_404(OrgUnit, pk=unit_id)
        period = _period(request)
        return _response(request, explain_unit(unit, period), kind=ScoreKind.UNIT, subject_id=unit.pk, period=period)


class ThemeScoreApi(APIView):
    @extend_schema(responses=ScoreExplanationSerializer, summary="Explain a strategic theme's score")
    def get(self, request, pk: int):
        theme = get_object_or_404(StrategicTheme.objects.select_related("period"), pk=pk)
        return _response(request, explain_theme(theme), kind=ScoreKind.THEME, subject_id=theme.pk, period=theme.period)
