from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from goals.models import KeyResult, Kpi, Measurement, Objective, Period, StrategicTheme
from tests.factories import EmployeeFactory, UserFactory


class PeriodFactory(DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("kind", "start")

    kind = Period.Kind.YEAR
    name = "2026"
    start = date(2026, 1, 1)
    end = date(2026, 12, 31)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = StrategicTheme

    title = "年度销售额达到 1000 万元"
    title_en = "Reach ¥10 M annual sales"
    perspective = "financial"
    owner = factory.SubFactory(EmployeeFactory)
    period = factory.SubFactory(PeriodFactory)


class KpiFactory(DjangoModelFactory):
    class Meta:
        model = Kpi

    code = factory.Sequence(lambda n: f"KPI{n:03d}")
    name = "新客户数"
    name_en = "New customers"
    definition = "Customers who sign their first contract in the period."
    unit = "家"
    category = Kpi.Category.NON_FINANCIAL
    perspective = "customer"


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    title = "华东区新签客户 60 家"
    period = factory.SubFactory(PeriodFactory)
    level = Objective.Level.PERSON
    owner_employee = factory.SubFactory(EmployeeFactory)
    weight = Decimal("100")
    due_date = date(2026, 12, 31)
    created_by = factory.LazyAttribute(lambda o: o.owner_employee.user if o.owner_employee else UserFactory())


class KeyResultFactory(DjangoModelFactory):
    class Meta:
        model = KeyResult

    objective = factory.SubFactory(ObjectiveFactory)
    title = "新签客户数"
    direction = "higher"
    baseline = Decimal("0")
    target = Decimal("60")
    weight = Decimal("100")


class MeasurementFactory(DjangoModelFactory):
    class Meta:
        model = Measurement

    key_result = factory.SubFactory(KeyResultFactory)
    value = Decimal("10")
    as_of = date(2026, 3, 31)
    source = "manual"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """As the progress services leave it: the key result's latest update, value and date kept in step."""
        from goals.progress.services.measurements import refresh_current_values

        measurement = super()._create(model_class, *args, **kwargs)
        refresh_current_values({measurement.key_result_id})
        measurement.key_result.refresh_from_db(fields=["current_value", "last_measured_on", "latest_update"])
        return measurement
