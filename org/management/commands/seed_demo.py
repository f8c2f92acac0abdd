"""Load the demo company 星河科技 / Xinghe Technology."""

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from org import demo
from org.models import Employee, User
from org.services import employee_create, unit_create


class Command(BaseCommand):
    help = "Create the demo company (about 60 people in 4 levels, bilingual), with a login per role."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any employee exists.")

    def handle(self, *args, if_empty=False, **options):
        if Employee.objects.exists():
            if if_empty:
                self.stdout.write("Demo data not loaded: the database already has employees.")
                return
            self.stderr.write("The database already has employees; seed_demo only fills an empty database.")
            raise SystemExit(1)
        with transaction.atomic():
            count = self._seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo company loaded: {count} people. Password for every login: {demo.DEMO_PASSWORD}")
        )

    def _seed(self) -> int:
        units = {}
        for key, name, name_en, kind, parent in demo.UNITS:
            units[key] = unit_create(name=name, name_en=name_en, kind=kind, parent=units.get(parent))

        people = {}
        for index, person in enumerate([*demo.CAST, *demo.crowd()], start=1):
            number = f"XH{index:04d}"
            username = person.username or number.lower()
            people[person.key] = employee_create(
                employee_number=number,
                username=username,
                full_name=person.name,
                english_name=person.english_name,
                email=f"{username}@{demo.EMAIL_DOMAIN}",
                unit=units[person.unit],
                manager=people[person.manager] if person.manager else None,
                job_title=person.title,
                grade_level=person.grade,
                hire_date=demo.hire_date(index),
                preferred_language=person.language,
                is_hr=person.is_hr,
                is_executive=person.is_executive,
            )

        admin = User(
            username="admin",
            email=f"admin@{demo.EMAIL_DOMAIN}",
            full_name="系统管理员",
            english_name="Administrator",
            is_staff=True,
            is_superuser=True,
        )
        admin.full_clean(exclude=["password"])
        admin.save()
        # One hash for everyone: hashing sixty passwords one by one takes tens of seconds.
        User.objects.update(password=make_password(demo.DEMO_PASSWORD))
        return len(people)
