"""Periods, strategic themes, the KPI library and HR's reference ranges."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from goals.access import library_access_for_manage, strategy_access_for_manage
from goals.api import GoalsModelSerializer, Number, PersonRefSerializer, created, truthy
from goals.errors import GoalErrorCode, goal_error
from goals.models import Kpi, KpiReference, Period, Perspective, StrategicTheme
from goals.strategy.selectors import kpi_list, kpi_reference_for, period_list, theme_list, theme_owner_choices
from goals.strategy.services import KPI_FIELDS, kpi_create, kpi_reference_set, kpi_update, theme_create, theme_update

# --- periods -------------------------------------------------------------------------


class PeriodSerializer(GoalsModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "kind", "name", "start", "end", "parent"]


class PeriodFilter(django_filters.FilterSet):
    contains = django_filters.DateFilter(method="filter_contains", label="Periods that contain this date")

    class Meta:
        model = Period
        fields = ["kind", "parent"]

    def filter_contains(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)


class PeriodListApi(generics.ListAPIView):
    """Fiscal years, halves, quarters and months."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["start", "kind", "id"]

    def get_queryset(self):
        return period_list()


class PeriodDetailApi(generics.RetrieveAPIView):
    serializer_class = PeriodSerializer

    def get_queryset(self):
        return period_list()


# --- strategic themes ----------------------------------------------------------------


class ThemeSerializer(GoalsModelSerializer):
    owner = PersonRefSerializer(read_only=True)

    class Meta:
        model = StrategicTheme
        fields = [
            "id", "title", "title_en", "display_title", "description", "perspective", "owner", "period",
            "created_at", "updated_at",
        ]  # fmt: skip


class ThemeInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    perspective = serializers.ChoiceField(choices=Perspective.choices)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=theme_owner_choices(), help_text="The owning executive (employee id)."
    )
    period = serializers.PrimaryKeyRelatedField(queryset=Period.objects.all())


class ThemeFilter(django_filters.FilterSet):
    class Meta:
        model = StrategicTheme
        fields = ["period", "perspective", "owner"]


class ThemeListApi(generics.ListAPIView):
    """Strategic themes; executives (and admins) create them."""

    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter
    ordering_fields = ["period__start", "perspective", "title", "id"]

    def get_queryset(self):
        return theme_list()

    @extend_schema(request=ThemeInputSerializer, responses={201: ThemeSerializer})
    def post(self, request):
        strategy_access_for_manage(actor=request.user)
        data = ThemeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        theme = theme_create(actor=request.user, **data.validated_data)
        theme = theme_list().get(pk=theme.pk)
        return created(request, ThemeSerializer(theme).data, url_name="api-goals-theme-detail", pk=theme.pk)


class ThemeDetailApi(generics.RetrieveAPIView):
    serializer_class = ThemeSerializer

    def get_queryset(self):
        return theme_list()

    @extend_schema(request=ThemeInputSerializer(partial=True), responses=ThemeSerializer)
    def patch(self, request, pk: int):
        strategy_access_for_manage(actor=request.user)
        theme = self.get_object()
        data = ThemeInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        theme_update(theme=theme, actor=request.user, **data.validated_data)
        return Response(ThemeSerializer(theme_list().get(pk=theme.pk)).data)


# --- KPI library ---------------------------------------------------------------------


class KpiSerializer(GoalsModelSerializer):
    class Meta:
        model = Kpi
        fields = [
            "id", "code", "version", "is_current", "name", "name_en", "display_name", "definition", "formula",
            "unit", "unit_en", "direction", "category", "perspective", "frequency", "created_at", "updated_at",
        ]  # fmt: skip


class KpiInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = ["code", *sorted(KPI_FIELDS)]

    def validate_code(self, value):
        if Kpi.objects.filter(code=value).exists():
            raise serializers.ValidationError(
                _("A KPI with this code exists. Change that KPI instead; a changed definition becomes a new version.")
            )
        return value


class KpiUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = sorted(KPI_FIELDS)


class KpiFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    search = django_filters.CharFilter(method="filter_search", label="Code, name or definition contains")
    all_versions = django_filters.BooleanFilter(
        method="filter_all_versions", label="Include earlier versions (default: current versions only)"
    )

    class Meta:
        model = Kpi
        fields = ["category", "perspective", "direction"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name__icontains=value)
            | Q(name_en__icontains=value)
            | Q(definition__icontains=value)
        )

    def filter_all_versions(self, queryset, name, value):
        return queryset  # the view picks current or all versions before filtering


class KpiListApi(generics.ListAPIView):
    """HR's KPI library: current versions, or every version with `?all_versions=true`. HR adds KPIs."""

    serializer_class = KpiSerializer
    filterset_class = KpiFilter
    ordering_fields = ["code", "version", "category", "perspective"]

    def get_queryset(self):
        return kpi_list(current_only=not truthy(self.request.query_params.get("all_versions")))

    @extend_schema(request=KpiInputSerializer, responses={201: KpiSerializer})
    def post(self, request):
        library_access_for_manage(actor=request.user)
        data = KpiInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kpi = kpi_create(actor=request.user, **data.validated_data)
        return created(request, KpiSerializer(kpi).data, url_name="api-goals-kpi-detail", pk=kpi.pk)


class KpiDetailApi(generics.RetrieveAPIView):
    """One version of a KPI. Changing its definition (PATCH) makes a new version."""

    conflict_methods = {"PATCH"}  # 409: not the current version

    serializer_class = KpiSerializer

    def get_queryset(self):
        return kpi_list(current_only=False)

    @extend_schema(
        request=KpiUpdateSerializer(partial=True),
        responses={
            200: OpenApiResponse(KpiSerializer, description="Changed in place (name, English name, frequency)."),
            201: OpenApiResponse(
                KpiSerializer, description="The definition changed: the NEW version, with its Location."
            ),
        },
    )
    def patch(self, request, pk: int):
        library_access_for_manage(actor=request.user)
        kpi = self.get_object()
        if not kpi.is_current:
            raise goal_error(GoalErrorCode.KPI_NOT_CURRENT)
        data = KpiUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        result = kpi_update(kpi=kpi, actor=request.user, **data.validated_data)
        if result.pk != kpi.pk:
            return created(request, KpiSerializer(result).data, url_name="api-goals-kpi-detail", pk=result.pk)
        return Response(KpiSerializer(result).data)


# --- reference ranges ----------------------------------------------------------------


class KpiReferenceSerializer(GoalsModelSerializer):
    class Meta:
        model = KpiReference
        fields = ["id", "kpi_code", "grade_level", "low", "high", "per", "created_at", "updated_at"]


class KpiReferenceInputSerializer(serializers.Serializer):
    kpi_code = serializers.CharField(max_length=40)
    grade_level = serializers.CharField(max_length=20)
    low = Number(max_digits=18, decimal_places=4)
    high = Number(max_digits=18, decimal_places=4)
    per = serializers.ChoiceField(choices=Period.Kind.choices, default=Period.Kind.MONTH)

    def validate_kpi_code(self, value):
        if not Kpi.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("No KPI has this code. Add the KPI to the library first."))
        return value

    def validate(self, attrs):
        if attrs["high"] < attrs["low"]:
            raise serializers.ValidationError({"high": [_("The high end must not be below the low end.")]})
        return attrs


class KpiReferenceFilter(django_filters.FilterSet):
    class Meta:
        model = KpiReference
        fields = ["kpi_code", "grade_level", "per"]


class KpiReferenceListApi(generics.ListAPIView):
    """Fair difficulty: the target range HR expects per KPI and grade level. POST sets (adds or replaces) one."""

    serializer_class = KpiReferenceSerializer
    filterset_class = KpiReferenceFilter
    ordering_fields = ["kpi_code", "grade_level"]

    def get_queryset(self):
        return KpiReference.objects.all()

    @extend_schema(
        request=KpiReferenceInputSerializer,
        responses={
            200: OpenApiResponse(KpiReferenceSerializer, description="An existing range was replaced."),
            201: OpenApiResponse(KpiReferenceSerializer, description="A new range was added."),
        },
    )
    def post(self, request):
        library_access_for_manage(actor=request.user)
        data = KpiReferenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        existed = kpi_reference_for(kpi_code=values["kpi_code"], grade_level=values["grade_level"]) is not None
        reference = kpi_reference_set(actor=request.user, **values)
        return Response(KpiReferenceSerializer(reference).data, status=200 if existed else 201)
