"""Action plans: the steps and resources under an objective."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from goals.access import action_plan_access_for_change, objective_access_for_action_plans
from goals.api import GoalsModelSerializer, Number, PersonRefSerializer, created
from goals.models import ActionPlan, Objective
from goals.objectives.selectors import action_plan_list_visible_to, action_plan_owner_choices
from goals.objectives.services import action_plan_create, action_plan_update
from org.models import Employee


class ActionPlanSerializer(GoalsModelSerializer):
    owner = PersonRefSerializer(read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id", "objective", "what", "owner", "due_date", "status", "budget_amount", "budget_currency", "people",
            "hours", "other_needs", "created_at", "updated_at",
        ]  # fmt: skip


class ActionPlanInputSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=300)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.filter(is_active=True),
        help_text="The objective's owner or someone below them; for a unit objective, someone in the unit.",
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActionPlan.Status.choices, required=False)
    budget_amount = Number(max_digits=14, decimal_places=2, required=False, allow_null=True)
    budget_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    people = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    hours = Number(max_digits=8, decimal_places=1, required=False, allow_null=True)
    other_needs = serializers.CharField(required=False, allow_blank=True)


def _check_plan_owner(*, objective: Objective, owner: Employee | None, current_owner_id: int | None = None) -> None:
    """The browser's rule: the objective's owner or someone below them; for a unit objective, its people."""
    if owner is None:
        return
    if not action_plan_owner_choices(objective=objective, include_id=current_owner_id).filter(pk=owner.pk).exists():
        raise serializers.ValidationError(
            {"owner": [_("Choose the objective's owner or someone below them (for a unit objective, someone in it).")]}
        )


class ActionPlanCreateSerializer(ActionPlanInputSerializer):
    objective = serializers.IntegerField(help_text="The objective this step serves (one you may edit).")


class ActionPlanFilter(django_filters.FilterSet):
    class Meta:
        model = ActionPlan
        fields = ["objective", "owner", "status"]


class ActionPlanListApi(generics.ListAPIView):
    """Action plans under the objectives the caller may see. POST adds one."""

    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilter
    ordering_fields = ["due_date", "status", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionPlan.objects.none()
        return action_plan_list_visible_to(actor=self.request.user)

    @extend_schema(request=ActionPlanCreateSerializer, responses={201: ActionPlanSerializer})
    def post(self, request):
        data = ActionPlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        objective = objective_access_for_action_plans(actor=request.user, objective_id=values.pop("objective"))
        _check_plan_owner(objective=objective, owner=values["owner"])
        plan = action_plan_create(objective=objective, actor=request.user, **values)
        plan = action_plan_list_visible_to(actor=request.user).get(pk=plan.pk)
        body = ActionPlanSerializer(plan).data
        return created(request, body, url_name="api-goals-action-plan-detail", pk=plan.pk)


class ActionPlanDetailApi(generics.RetrieveAPIView):
    serializer_class = ActionPlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionPlan.objects.none()
        return action_plan_list_visible_to(actor=self.request.user)

    @extend_schema(request=ActionPlanInputSerializer(partial=True), responses=ActionPlanSerializer)
    def patch(self, request, pk: int):
        plan = action_plan_access_for_change(actor=request.user, plan_id=pk)
        data = ActionPlanInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        _check_plan_owner(
            objective=plan.objective, owner=data.validated_data.get("owner"), current_owner_id=plan.owner_id
        )
        action_plan_update(plan=plan, actor=request.user, **data.validated_data)
        return Response(ActionPlanSerializer(self.get_queryset().get(pk=pk)).data)
