"""Progress updates (measurements): list, record, correct — and pushes from other systems."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import IdFilter
from goals.access import key_result_access_for_progress, measurement_access_for_correct
from goals.api import GoalsModelSerializer, Number, UserRefSerializer, created
from goals.errors import GoalError, GoalErrorCode
from goals.models import IntegrationClient, KeyResult, Measurement
from goals.objectives.selectors import key_results_by_id
from goals.progress.authentication import IntegrationTokenAuthentication, IsIntegrationClient
from goals.progress.selectors import measurement_list_visible_to
from goals.progress.services.imports import (
    ProgressEntry,
    measurement_batch_problems,
    measurement_record_many,
    raise_batch_problems,
)
from goals.progress.services.measurements import measurement_correct, measurement_record

PUSH_MAX_ITEMS = 500
AMOUNT = {"max_digits": 18, "decimal_places": 4}


class ClientRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IntegrationClient
        fields = ["id", "name"]


class MeasurementSerializer(GoalsModelSerializer):
    entered_by = UserRefSerializer(read_only=True, allow_null=True)
    source_client = ClientRefSerializer(read_only=True, allow_null=True)
    corrected_by = serializers.SerializerMethodField(help_text="The update that corrects this one, if any.")

    class Meta:
        model = Measurement
        fields = [
            "id", "key_result", "value", "as_of", "comment", "source", "source_client", "entered_by",
            "evidence_file", "evidence_url", "confidence", "corrects", "corrected_by", "created_at",
        ]  # fmt: skip

    def get_corrected_by(self, obj: Measurement) -> int | None:
        try:
            return obj.corrected_by.pk
        except ObjectDoesNotExist:
            return None


class MeasurementFilter(django_filters.FilterSet):
    objective = IdFilter(field_name="key_result__objective_id")
    as_of = django_filters.DateFromToRangeFilter(label="As of, from (as_of_after) and to (as_of_before)")
    include_corrected = django_filters.BooleanFilter(
        method="filter_include_corrected", label="Include updates a later correction replaced (default: yes)"
    )

    class Meta:
        model = Measurement
        fields = ["key_result", "source", "source_client", "confidence"]

    def filter_include_corrected(self, queryset, name, value):
        return queryset if value else queryset.filter(corrected_by__isnull=True)


class MeasurementInputSerializer(serializers.Serializer):
    key_result = serializers.IntegerField(help_text="A key result of an approved objective you may update.")
    value = Number(**AMOUNT)
    as_of = serializers.DateField(required=False, help_text="Defaults to today.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    confidence = serializers.ChoiceField(choices=Measurement.Confidence.choices, default="on_track")
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)


class MeasurementListApi(generics.ListAPIView):
    """Progress updates of the key results the caller may see. POST records one (a person's entry)."""

    conflict_methods = {"POST"}  # 409: the objective is not approved
    not_found_methods = {"POST"}  # 404: the key result named in the body is hidden or gone

    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    ordering_fields = ["as_of", "created_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Measurement.objects.none()
        return measurement_list_visible_to(actor=self.request.user)

    @extend_schema(request=MeasurementInputSerializer, responses={201: MeasurementSerializer})
    def post(self, request):
        data = MeasurementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key_result = key_result_access_for_progress(actor=request.user, key_result_id=values.pop("key_result"))
        values["as_of"] = values.get("as_of") or timezone.localdate()
        measurement = measurement_record(
            key_result=key_result, actor=request.user, source=KeyResult.Source.MANUAL, **values
        )
        measurement = self.get_queryset().get(pk=measurement.pk)
        body = MeasurementSerializer(measurement).data
        return created(request, body, url_name="api-goals-measurement-detail", pk=measurement.pk)


class MeasurementDetailApi(generics.RetrieveAPIView):
    serializer_class = MeasurementSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Measurement.objects.none()
        return measurement_list_visible_to(actor=self.request.user)


class MeasurementCorrectApi(APIView):
    """Correct a progress update: a new row that points at it; the original stays as it was."""

    conflict_methods = {"POST"}  # 409: already corrected, or the objective is no longer approved

    class CorrectSerializer(serializers.Serializer):
        value = Number(**AMOUNT)
        comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why (required).")
        as_of = serializers.DateField(required=False, allow_null=True, help_text="Defaults to the original's date.")

    @extend_schema(request=CorrectSerializer, responses={201: MeasurementSerializer})
    def post(self, request, pk: int):
        original = measurement_access_for_correct(actor=request.user, measurement_id=pk)
        data = self.CorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = measurement_correct(measurement=original, actor=request.user, **data.validated_data)
        correction = measurement_list_visible_to(actor=request.user).get(pk=correction.pk)
        body = MeasurementSerializer(correction).data
        return created(request, body, url_name="api-goals-measurement-detail", pk=correction.pk)


# --- pushes from other systems -------------------------------------------------------


class PushItemSerializer(serializers.Serializer):
    key_result = serializers.IntegerField(help_text="A key result whose data source is API, of an approved objective.")
    value = Number(**AMOUNT)
    as_of = serializers.DateField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    confidence = serializers.ChoiceField(choices=Measurement.Confidence.choices, default="on_track")


class PushResultSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="The new progress updates, in order.")
    count = serializers.IntegerField()


PUSH_REQUEST = PolymorphicProxySerializer(
    component_name="MeasurementPush",
    serializers=[PushItemSerializer, PushItemSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


class MeasurementPushApi(APIView):
    """For other systems (CRM, ERP, attendance): push progress updates with the token HR issued.

    Send `Authorization: Bearer <token>` and one update or a list of up to 500. All or nothing:
    if any item is wrong, nothing is recorded and `errors` names each problem as `<index>.<field>`.
    Each update records the system that sent it. The rules are those of every progress update
    (a key result fed by the API, of an approved objective; a date in the period and not in the
    future; one value per key result and date, in the batch too).
    """

    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [IsIntegrationClient]
    parser_classes = [JSONParser]

    @extend_schema(
        request=PUSH_REQUEST,
        responses={201: PushResultSerializer},
        examples=[
            OpenApiExample(
                "Two updates",
                value=[
                    {"key_result": 12, "value": "37", "as_of": "2026-10-31", "comment": "From the CRM"},
                    {"key_result": 13, "value": "0.94", "as_of": "2026-10-31", "confidence": "at_risk"},
                ],
                request_only=True,
            )
        ],
    )
    def post(self, request):
        client: IntegrationClient = request.auth
        items = request.data if isinstance(request.data, list) else [request.data]
        if not items:
            raise ValidationError({"non_field_errors": [_("Send at least one progress update.")]})
        if len(items) > PUSH_MAX_ITEMS:
            raise ValidationError(
                {"non_field_errors": [_("Send at most %(max)s progress updates at a time.") % {"max": PUSH_MAX_ITEMS}]}
            )
        data = PushItemSerializer(data=items, many=True)
        if not data.is_valid():
            per_item = data.errors if isinstance(data.errors, dict) else dict(enumerate(data.errors))
            raise ValidationError({str(i): problems for i, problems in per_item.items() if problems})
        rows = data.validated_data
        key_results = key_results_by_id(ids=[row["key_result"] for row in rows])
        entries = [
            ProgressEntry(
                row=i,
                key_result=key_results[row["key_result"]],
                value=row["value"],
                as_of=row["as_of"],
                comment=row["comment"],
                confidence=row["confidence"],
                label=_("item %(index)s") % {"index": i},
            )
            for i, row in enumerate(rows)
            if row["key_result"] in key_results
        ]
        unknown = [
            {"row": i, "field": "key_result", "message": _("No key result has this id.")}
            for i, row in enumerate(rows)
            if row["key_result"] not in key_results
        ]
        try:
            if unknown:  # every problem in one answer, nothing written
                raise_batch_problems(unknown + measurement_batch_problems(entries=entries, source=KeyResult.Source.API))
            measurements = measurement_record_many(
                actor=None, entries=entries, source=KeyResult.Source.API, client=client
            )
        except GoalError as exc:
            if exc.code != GoalErrorCode.PROGRESS_BATCH_INVALID:
                raise
            problems: dict[str, list[str]] = {}
            for problem in exc.extra["problems"]:
                key = f"{problem['row']}.{problem['field'] or 'non_field_errors'}"
                problems.setdefault(key, []).append(str(problem["message"]))
            raise ValidationError(problems) from exc
        ids = [m.pk for m in measurements]
        return Response(PushResultSerializer({"ids": ids, "count": len(ids)}).data, status=201)
