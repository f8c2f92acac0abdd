"""Key results: list, add to an editable objective, change, delete."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ColumnsFirstSerializer
from goals.access import key_result_access_for_edit, key_result_access_for_view, objective_access_for_edit
from goals.api import VALUE, WEIGHT, GoalsModelSerializer, Number, created
from goals.models import Direction, KeyResult, Kpi, Milestone
from goals.objectives.selectors import key_result_list_visible_to
from goals.progress.services.measurements import key_result_create, key_result_delete, key_result_update
from goals.scoring.figures import current_progress


class MilestoneSerializer(ColumnsFirstSerializer, GoalsModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "done_on"]


class KeyResultSerializer(ColumnsFirstSerializer, GoalsModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField(help_text="Progress towards the target, 0–100 (null: no data yet).")

    class Meta:
        model = KeyResult
        fields = [
            "id", "objective", "title", "direction", "baseline", "target", "stretch", "range_low", "range_high",
            "unit", "unit_en", "weight", "kpi", "data_source", "current_value", "last_measured_on", "progress",
            "milestones", "created_at", "updated_at",
        ]  # fmt: skip

    def get_progress(self, obj: KeyResult) -> str | None:
        value = current_progress(obj)
        return None if value is None else format(value.normalize(), "f")


class KeyResultInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    baseline = Number(**VALUE)
    target = Number(**VALUE)
    stretch = Number(**VALUE)
    range_low = Number(**VALUE)
    range_high = Number(**VALUE)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    unit_en = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="The unit of measure shown in English."
    )
    weight = Number(**WEIGHT, required=False)
    kpi = serializers.PrimaryKeyRelatedField(
        queryset=Kpi.objects.current(), required=False, allow_null=True, help_text="A current KPI version."
    )
    data_source = serializers.ChoiceField(choices=KeyResult.Source.choices, required=False)


class KeyResultCreateSerializer(KeyResultInputSerializer):
    objective = serializers.IntegerField(help_text="The objective (a draft or returned one you may edit).")
    milestones = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Milestone titles, in order."
    )


class KeyResultFilter(django_filters.FilterSet):
    class Meta:
        model = KeyResult
        fields = ["objective", "kpi", "direction", "data_source"]


class KeyResultListApi(generics.ListAPIView):
    """Key results of the objectives the caller may see. POST adds one to an editable objective."""

    conflict_methods = {"POST"}  # 409: the objective is not a draft or returned
    not_found_methods = {"POST"}  # 404: the objective named in the body is hidden or gone

    serializer_class = KeyResultSerializer
    filterset_class = KeyResultFilter
    ordering_fields = ["objective", "weight", "last_measured_on", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return KeyResult.objects.none()
        return key_result_list_visible_to(actor=self.request.user)

    @extend_schema(request=KeyResultCreateSerializer, responses={201: KeyResultSerializer})
    def post(self, request):
        data = KeyResultCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        objective = objective_access_for_edit(actor=request.user, objective_id=values.pop("objective"))
        key_result = key_result_create(objective=objective, actor=request.user, **values)
        key_result = key_result_list_visible_to(actor=request.user).get(pk=key_result.pk)
        body = KeyResultSerializer(key_result).data
        return created(request, body, url_name="api-goals-key-result-detail", pk=key_result.pk)


class KeyResultDetailApi(APIView):
    """One key result. PATCH and DELETE only while its objective is a draft or returned."""

    conflict_methods = {"PATCH", "DELETE"}  # 409 otherwise

    @extend_schema(responses=KeyResultSerializer)
    def get(self, request, pk: int):
        key_result = key_result_access_for_view(actor=request.user, key_result_id=pk)
        return Response(KeyResultSerializer(key_result).data)

    @extend_schema(request=KeyResultInputSerializer(partial=True), responses=KeyResultSerializer)
    def patch(self, request, pk: int):
        key_result = key_result_access_for_edit(actor=request.user, key_result_id=pk)
        data = KeyResultInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        key_result = key_result_update(key_result=key_result, actor=request.user, **data.validated_data)
        return Response(KeyResultSerializer(key_result).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        key_result = key_result_access_for_edit(actor=request.user, key_result_id=pk)
        key_result_delete(key_result=key_result, actor=request.user)
        return Response(status=204)
