"""ColumnsFirstSerializer: a model's own columns read straight off the row, everything else DRF's
general way — the same output as a plain ModelSerializer."""

import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from core.api import ColumnsFirstSerializer
from org.models import Employee
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


class UnitBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class Plain(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)  # a property
    unit = UnitBrief(read_only=True)  # nested
    initials = serializers.SerializerMethodField()

    class Meta:
        model = Employee
        fields = ["id", "user", "manager", "unit", "name", "initials", "employee_number", "job_title",
                  "hire_date", "is_active", "created_at", "updated_at"]  # fmt: skip

    def get_initials(self, obj) -> str:
        return obj.name[:1]


class Fast(ColumnsFirstSerializer, Plain):
    pass


def test_the_rows_are_the_ones_a_plain_model_serializer_writes():
    boss = EmployeeFactory(job_title="Boss")
    people = [boss, EmployeeFactory(manager=boss, hire_date=None), EmployeeFactory(manager=boss)]
    rows = list(Employee.objects.select_related("user", "unit").filter(pk__in=[p.pk for p in people]))

    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):  # datetimes in the reader's zone
        fast, plain = Fast(rows, many=True).data, Plain(rows, many=True).data

    assert fast == plain
    assert {row["manager"] for row in fast} == {None, boss.pk}  # a relation as its id, or None
    assert fast[0]["created_at"].endswith("-05:00") or fast[0]["created_at"].endswith("-04:00")
