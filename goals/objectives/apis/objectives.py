"""Objectives: list and detail with key results, drafting and changing, the SMART check and the
approval workflow (submit, approve, return, close, cancel)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ColumnsFirstSerializer, IdFilter
from goals.access import (
    objective_access_for_approve,
    objective_access_for_cancel,
    objective_access_for_close,
    objective_access_for_create,
    objective_access_for_edit,
    objective_access_for_view,
)
from goals.api import WEIGHT, GoalsModelSerializer, Number, PersonRefSerializer, UnitRefSerializer, created
from goals.models import Objective, Period, StrategicTheme
from goals.objectives.apis.key_results import KeyResultSerializer
from goals.objectives.selectors import (
    objective_list_visible_to,
    objective_parent_choices,
    objective_records_visible_to,
)
from goals.objectives.services import (
    objective_approve,
    objective_cancel,
    objective_close,
    objective_create,
    objective_return,
    objective_submit,
    objective_update,
)
from goals.objectives.smart import objective_smart_check
from org.models import Employee, OrgUnit
from org.selectors import descendants_sql, employee_of


class ObjectiveSerializer(ColumnsFirstSerializer, GoalsModelSerializer):
    owner_employee = PersonRefSerializer(read_only=True, allow_null=True)
    owner_unit = UnitRefSerializer(read_only=True, allow_null=True)
    owner_name = serializers.CharField(read_only=True)
    is_aligned = serializers.BooleanField(read_only=True)
    key_results = KeyResultSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = [
            "id", "title", "description", "period", "level", "owner_employee", "owner_unit", "owner_name",
            "parent", "theme", "is_aligned", "weight", "contribution_weight", "children_weight", "due_date", "track",
            "difficulty", "status", "review_comment", "created_by", "submitted_at", "approved_by", "approved_at",
            "score", "progress", "score_updated_at", "key_results", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["score", "progress", "score_updated_at"]


class SmartResultSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["pass", "warn", "fail"])
    reason = serializers.CharField()
    suggestion = serializers.CharField()
    blocking = serializers.BooleanField(help_text="A failure that refuses submission (not set to warn only by HR).")


class ObjectiveDetailSerializer(ObjectiveSerializer):
    smart = SmartResultSerializer(many=True, read_only=True, source="smart_results")
    children = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, source="children_ids", help_text="Aligned objectives."
    )

    class Meta(ObjectiveSerializer.Meta):
        fields = [*ObjectiveSerializer.Meta.fields, "smart", "children"]


def _detail(request, objective_id: int) -> Objective:
    """The objective as the caller sees it, with its SMART check and visible aligned children."""
    objective = objective_access_for_view(actor=request.user, objective_id=objective_id)
    objective.smart_results = objective_smart_check(objective=objective)
    children = objective_list_visible_to(actor=request.user).filter(parent=objective).prefetch_related(None)
    objective.children_ids = list(children.order_by("pk").values_list("pk", flat=True))
    return objective


# --- objectives ----------------------------------------------------------------------


class ObjectiveFilter(django_filters.FilterSet):
    owner_unit = IdFilter(method="filter_owner_unit", label="Owning unit id (includes units below)")
    unit = IdFilter(method="filter_unit", label="Everything in a unit and below it: its objectives and its people's")
    aligned = django_filters.BooleanFilter(method="filter_aligned", label="Aligned to a parent objective or a theme")
    search = django_filters.CharFilter(method="filter_search", label="Title or description contains")

    class Meta:
        model = Objective
        fields = ["period", "level", "status", "track", "owner_employee", "parent", "theme"]

    @staticmethod
    def _units(value) -> Q:
        return Q(pk=value) | Q(pk__in=descendants_sql(OrgUnit, "parent", value))

    def filter_owner_unit(self, queryset, name, value):
        return queryset.filter(owner_unit__in=OrgUnit.objects.filter(self._units(value)))

    def filter_unit(self, queryset, name, value):
        units = OrgUnit.objects.filter(self._units(value))
        return queryset.filter(Q(owner_unit__in=units) | Q(owner_employee__unit__in=units))

    def filter_aligned(self, queryset, name, value):
        aligned = Q(parent__isnull=False) | Q(theme__isnull=False)
        return queryset.filter(aligned) if value else queryset.exclude(aligned)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class ObjectiveContentSerializer(serializers.Serializer):
    """What an objective's owner writes; changeable while it is a draft or returned."""

    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Objective.objects.exclude(level=Objective.Level.PERSON),
        required=False,
        allow_null=True,
        help_text="Align to this objective (a unit or company objective).",
    )
    theme = serializers.PrimaryKeyRelatedField(
        queryset=StrategicTheme.objects.all(), required=False, allow_null=True, help_text="Or to this theme."
    )
    weight = Number(**WEIGHT, required=False)
    contribution_weight = Number(**WEIGHT, required=False)
    children_weight = Number(
        **WEIGHT, required=False, help_text="Share (%) of the score that comes from aligned child objectives."
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    track = serializers.ChoiceField(choices=Objective.Track.choices, required=False)
    difficulty = serializers.ChoiceField(choices=Objective.Difficulty.choices, required=False)

    def check_parent(self, attrs, *, period: Period, level: str) -> None:
        parent = attrs.get("parent")
        if parent is not None and not objective_parent_choices(period=period, level=level).filter(pk=parent.pk):
            raise serializers.ValidationError(
                {"parent": [_("Align to an objective one level up or more, in this period or the year around it.")]}
            )
        if parent is not None and attrs.get("theme") is not None:
            raise serializers.ValidationError(
                {"theme": [_("Align the objective to a parent objective or to a theme, not both.")]}
            )


class ObjectiveCreateSerializer(ObjectiveContentSerializer):
    period = serializers.PrimaryKeyRelatedField(queryset=Period.objects.all())
    level = serializers.ChoiceField(choices=Objective.Level.choices, default=Objective.Level.PERSON)
    owner_employee = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="For a personal objective; defaults to the caller.",
    )
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="For a unit or company objective.",
    )

    def validate(self, attrs):
        if attrs["level"] == Objective.Level.PERSON:
            attrs["owner_unit"] = None
            attrs["owner_employee"] = attrs.get("owner_employee") or employee_of(self.context["request"].user)
            if attrs["owner_employee"] is None:
                raise serializers.ValidationError({"owner_employee": [_("Choose whose objective this is.")]})
        else:
            attrs["owner_employee"] = None
            unit = attrs.get("owner_unit")
            if unit is None:
                raise serializers.ValidationError({"owner_unit": [_("Choose the unit that owns this objective.")]})
            if attrs["level"] == Objective.Level.COMPANY and unit.parent_id is not None:
                raise serializers.ValidationError(
                    {"owner_unit": [_("A company objective belongs to the top unit. Choose the company.")]}
                )
            if attrs["level"] == Objective.Level.UNIT and unit.parent_id is None:
                raise serializers.ValidationError(
                    {"owner_unit": [_("The top unit's objectives are company objectives. Choose the company level.")]}
                )
        self.check_parent(attrs, period=attrs["period"], level=attrs["level"])
        return attrs


class ObjectiveUpdateSerializer(ObjectiveContentSerializer):
    def validate(self, attrs):
        objective = self.context["objective"]
        self.check_parent(
            {"parent": attrs.get("parent", objective.parent), "theme": attrs.get("theme", objective.theme)}
            if ("parent" in attrs or "theme" in attrs)
            else {},
            period=objective.period,
            level=objective.level,
        )
        return attrs


class ObjectiveListApi(generics.ListAPIView):
    """Objectives the caller may see, with their key results. POST drafts a new one."""

    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    ordering_fields = ["period__start", "level", "weight", "due_date", "status", "title", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Objective.objects.none()
        return objective_records_visible_to(actor=self.request.user)

    @extend_schema(request=ObjectiveCreateSerializer, responses={201: ObjectiveDetailSerializer})
    def post(self, request):
        data = ObjectiveCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        objective_access_for_create(
            actor=request.user,
            level=values["level"],
            owner_employee=values["owner_employee"],
            owner_unit=values["owner_unit"],
        )
        objective = objective_create(actor=request.user, **values)
        body = ObjectiveDetailSerializer(_detail(request, objective.pk)).data
        return created(request, body, url_name="api-goals-objective-detail", pk=objective.pk)


class ObjectiveDetailApi(APIView):
    """One objective with its key results, SMART check and aligned children. PATCH changes a draft."""

    conflict_methods = {"PATCH"}  # 409: not a draft or returned

    @extend_schema(responses=ObjectiveDetailSerializer)
    def get(self, request, pk: int):
        return Response(ObjectiveDetailSerializer(_detail(request, pk)).data)

    @extend_schema(request=ObjectiveUpdateSerializer(partial=True), responses=ObjectiveDetailSerializer)
    def patch(self, request, pk: int):
        objective = objective_access_for_edit(actor=request.user, objective_id=pk)
        data = ObjectiveUpdateSerializer(data=request.data, partial=True, context={"objective": objective})
        data.is_valid(raise_exception=True)
        objective_update(objective=objective, actor=request.user, **data.validated_data)
        return Response(ObjectiveDetailSerializer(_detail(request, pk)).data)


class ObjectiveSmartApi(APIView):
    """The SMART check of a saved objective, per criterion, with HR's warn-only settings applied."""

    @extend_schema(responses=SmartResultSerializer(many=True))
    def get(self, request, pk: int):
        objective = objective_access_for_view(actor=request.user, objective_id=pk)
        return Response(SmartResultSerializer(objective_smart_check(objective=objective), many=True).data)


class _ObjectiveActionApi(APIView):
    conflict_methods = {"POST"}  # 409: the objective's status does not allow this step
    access = staticmethod(objective_access_for_edit)
    service = staticmethod(objective_submit)

    @extend_schema(request=None, responses=ObjectiveDetailSerializer)
    def post(self, request, pk: int):
        objective = self.access(actor=request.user, objective_id=pk)
        self.service(objective=objective, actor=request.user)
        return Response(ObjectiveDetailSerializer(_detail(request, pk)).data)


class ObjectiveSubmitApi(_ObjectiveActionApi):
    """Send for approval. Refused (400) while a SMART criterion fails, listed in `errors` per criterion."""


class ObjectiveApproveApi(_ObjectiveActionApi):
    """Approve a submitted objective (its manager; an executive for company objectives)."""

    access = staticmethod(objective_access_for_approve)
    service = staticmethod(objective_approve)


class ObjectiveCloseApi(_ObjectiveActionApi):
    """Close an approved objective at the end of its period (its approvers, HR)."""

    access = staticmethod(objective_access_for_close)
    service = staticmethod(objective_close)


class ObjectiveCancelApi(_ObjectiveActionApi):
    """Cancel an objective (its editors before approval; approvers and HR at any time)."""

    access = staticmethod(objective_access_for_cancel)
    service = staticmethod(objective_cancel)


class ObjectiveReturnApi(APIView):
    """Return a submitted objective to its owner with a comment (required)."""

    conflict_methods = {"POST"}  # 409: not submitted

    class ReturnSerializer(serializers.Serializer):
        comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="What should change.")

    @extend_schema(request=ReturnSerializer, responses=ObjectiveDetailSerializer)
    def post(self, request, pk: int):
        objective = objective_access_for_approve(actor=request.user, objective_id=pk)
        data = self.ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objective_return(objective=objective, actor=request.user, comment=data.validated_data["comment"])
        return Response(ObjectiveDetailSerializer(_detail(request, pk)).data)
