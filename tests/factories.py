"""factory_boy factories shared by every test module."""

import factory
from factory.django import DjangoModelFactory

from notifications.models import Notification
from org.models import Employee, OrgUnit, User

PASSWORD = "Stride-test-pass-1"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    full_name = factory.Sequence(lambda n: f"测试员{n}")
    english_name = factory.Sequence(lambda n: f"Tester {n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy passes the object)
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    kind = OrgUnit.Kind.DEPARTMENT
    parent = None


class EmployeeFactory(DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    unit = factory.SubFactory(OrgUnitFactory)
    manager = None
    job_title = "Engineer"
    grade_level = "P5"
    preferred_language = "en"


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    message = "Your objective was approved."
    url = "/"
