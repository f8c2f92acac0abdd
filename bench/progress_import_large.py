"""The largest progress import allowed (50,000 rows): how long reading, checking and writing take.

    DATABASE_URL=postgres://…/stride_x .venv/bin/python bench/progress_import_large.py [rows]

Makes an employee with 500 key results in a scratch transaction that is rolled back at the end.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmsite.settings.local")


class _RollBack(Exception):  # noqa: N818
    pass


def main(rows: int) -> None:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from goals.models import Objective
    from goals.progress.importing import progress_import
    from tests.factories import EmployeeFactory
    from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory

    today = timezone.localdate()
    dates_per_key_result = 100
    try:
        with transaction.atomic():
            owner = EmployeeFactory()
            period = PeriodFactory(name="bench", start=today - timedelta(days=300), end=today + timedelta(days=60))
            key_results = []
            for _index in range(-(-rows // dates_per_key_result) // 5 + 1):
                objective = ObjectiveFactory(owner_employee=owner, period=period, status=Objective.Status.APPROVED)
                key_results += [KeyResultFactory(objective=objective, target=Decimal(1000)) for _ in range(5)]
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer)
            writer.writerow(["Key result ID", "Value", "As-of date"])
            for index in range(rows):
                key_result = key_results[index // dates_per_key_result]
                day = today - timedelta(days=index % dates_per_key_result)
                writer.writerow([key_result.pk, index % 900, day.isoformat()])
            data = buffer.getvalue().encode()
            started = time.perf_counter()
            result = progress_import(actor=owner.user, filename="progress.csv", data=data)
            elapsed = time.perf_counter() - started
            print(f"{rows} rows ({len(data) / 1024:,.0f} KB): read, checked and written in {elapsed:.1f} s; "
                  f"{result.recorded} progress updates on {result.key_results} key results")  # fmt: skip
            raise _RollBack
    except _RollBack:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
