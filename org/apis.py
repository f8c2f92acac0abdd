"""Thin API views for people and structure; reads go through selectors and access functions."""

from __future__ import annotations

import django_filters
from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import IdFilter
from org.access import employee_access_for_view
from org.models import Employee, OrgUnit
from org.selectors import (
    employee_list_visible_to,
    employee_of,
    unit_descendants,
    unit_list,
    unit_tree,
    user_roles,
)
from org.signin.tokens import api_token_issue


class UnitSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    employee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "name_en", "display_name", "kind", "parent", "is_active", "employee_count"]


class UnitFilter(django_filters.FilterSet):
    parent = IdFilter(field_name="parent_id")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Top-level units only")
    within = IdFilter(method="filter_within", label="Units below this unit (id)")

    class Meta:
        model = OrgUnit
        fields = ["kind", "is_active"]

    def filter_within(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(pk__in=unit_descendants(unit=unit).values("pk"))


class UnitListApi(generics.ListAPIView):
    """All units, flat, with parent ids and active head counts. Visible to every signed-in user."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["name", "kind", "id"]

    def get_queryset(self):
        return unit_list()


class UnitDetailApi(generics.RetrieveAPIView):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return unit_list()


class UnitTreeNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    display_name = serializers.CharField()
    kind = serializers.CharField()
    employee_count = serializers.IntegerField()
    children = serializers.ListField(child=serializers.DictField())


def _tree_node(node: dict) -> dict:
    unit = node["unit"]
    return {
        "id": unit.pk,
        "name": unit.name,
        "name_en": unit.name_en,
        "display_name": unit.display_name,
        "kind": unit.kind,
        "employee_count": unit.employee_count,
        "children": [_tree_node(child) for child in node["children"]],
    }


class UnitTreeApi(APIView):
    """The whole unit tree, nested, roots first (one query)."""

    @extend_schema(responses=UnitTreeNodeSerializer(many=True))
    def get(self, request):
        return Response([_tree_node(root) for root in unit_tree()])


class EmployeeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    english_name = serializers.CharField(source="user.english_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    unit = serializers.SerializerMethodField()
    manager = serializers.SerializerMethodField()

    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_number",
            "name",
            "full_name",
            "english_name",
            "email",
            "unit",
            "manager",
            "job_title",
            "job_title_en",
            "grade_level",
            "hire_date",
            "is_active",
            "preferred_language",
        ]

    def get_unit(self, obj) -> dict:
        return {"id": obj.unit_id, "name": obj.unit.name, "display_name": obj.unit.display_name}

    def get_manager(self, obj) -> dict | None:
        if obj.manager is None:
            return None
        return {"id": obj.manager_id, "employee_number": obj.manager.employee_number, "name": obj.manager.name}


class EmployeeFilter(django_filters.FilterSet):
    unit = IdFilter(method="filter_unit", label="Unit id (includes units below it)")
    manager = IdFilter(field_name="manager_id", label="Direct manager (employee id)")
    search = django_filters.CharFilter(method="filter_search", label="Name, employee number or e-mail contains")

    class Meta:
        model = Employee
        fields = ["is_active", "grade_level", "employee_number"]

    def filter_unit(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(Q(unit=unit) | Q(unit__in=unit_descendants(unit=unit).values("pk")))

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(user__english_name__icontains=value)
            | Q(employee_number__icontains=value)
            | Q(user__email__icontains=value)
        )


class EmployeeListApi(generics.ListAPIView):
    """Employees the caller may see: HR, executives and admins everyone; others self, chain and subtree."""

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    ordering_fields = ["employee_number", "user__full_name", "hire_date"]
    ordering = ["employee_number"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Employee.objects.none()
        return employee_list_visible_to(actor=self.request.user)


class EmployeeDetailApi(APIView):
    @extend_schema(responses=EmployeeSerializer)
    def get(self, request, employee_id: int):
        employee = employee_access_for_view(actor=request.user, employee_id=employee_id)
        return Response(EmployeeSerializer(employee).data)


class MeApi(APIView):
    """Who am I: account, roles and employee profile."""

    class MeSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        email = serializers.EmailField()
        name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        employee = EmployeeSerializer(allow_null=True)

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        employee = employee_of(user)
        if employee is not None:
            employee = Employee.objects.select_related("user", "unit", "manager__user").get(pk=employee.pk)
        data = {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "name": user.display_name,
            "roles": sorted(user_roles(user)),
            "employee": employee,
        }
        return Response(self.MeSerializer(data).data)


class TokenApi(APIView):
    """Exchange a user name (or e-mail) and password for a new personal API token.

    The password goes through `authenticate()` with the request, so failed attempts count
    toward the sign-in lock-out exactly as on the login page (429 while locked out).
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=254)
        password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
        name = serializers.CharField(max_length=100, required=False, default="API")

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        name = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="Missing fields, or a wrong user name or password."),
            429: OpenApiResponse(description="Too many failed sign-ins: locked out for a while."),
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, so django-axes records and flags it as it does for the login page.
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The user name or password is wrong. Check both and try again.")]}
            )
        token, raw = api_token_issue(user=user, name=data.validated_data["name"])
        body = {"token": raw, "name": token.name, "expires_at": token.expires_at}
        return Response(self.OutputSerializer(body).data)
