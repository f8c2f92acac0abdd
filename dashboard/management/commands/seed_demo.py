"""Load the demo company 星河科技 / Xinghe Technology: people, then goals and progress."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from goals.demo import seed_goals
from goals.tasks import roll_ups_deferred
from org.demo import DEMO_PASSWORD, seed_org
from org.holidays import load_official_holidays
from org.models import Employee


class Command(BaseCommand):
    help = "Create the demo company (about 60 people in 4 levels, bilingual) with strategy, goals and progress."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any employee exists.")

    def handle(self, *args, if_empty=False, **options):
        if Employee.objects.exists():
            if if_empty:
                self.stdout.write("Demo data not loaded: the database already has employees.")
                return
            raise CommandError("The database already has employees; seed_demo only fills an empty database.")
        # seed_goals ends with a full score recompute, so the ~700 progress updates it records need
        # no path roll-ups queued after the commit (which is why the pause wraps the transaction).
        with roll_ups_deferred(), transaction.atomic():
            units, people = seed_org()
            seed_goals(units=units, people=people)
            load_official_holidays(year=2026)  # HR's working-day calendar: China's 2026 holidays and 调休
        self.stdout.write(
            self.style.SUCCESS(f"Demo company loaded: {len(people)} people. Password for every login: {DEMO_PASSWORD}")
        )
