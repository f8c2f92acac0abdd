"""The largest org chart import allowed (50,000 people): how long the check and the write take.

    DATABASE_URL=postgres://…/stride_x .venv/bin/python bench/org_import_large.py [rows]

Writes into that database (each run adds new people with a fresh prefix): use a scratch database.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmsite.settings.local")


def org_chart_csv(rows: int, prefix: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Employee number", "Name", "E-mail", "Unit path", "Manager's employee number", "Job title",
                     "Grade level"])  # fmt: skip
    for index in range(rows):
        manager = f"{prefix}{(index - 1) // 10}" if index else ""
        unit = f"Bench {prefix}/Unit {index // 500}"
        writer.writerow([f"{prefix}{index}", f"Person {index}", f"{prefix}{index}@bench.example.com".lower(), unit,
                         manager, "Engineer", ""])  # fmt: skip
    return buffer.getvalue().encode()


def main(rows: int) -> None:
    import django

    django.setup()
    from org.importing import org_chart_check, org_chart_import
    from org.models import User

    actor = User.objects.filter(is_hr=True).first() or User.objects.first()
    prefix = "B" + secrets.token_hex(3).upper()
    data = org_chart_csv(rows, prefix)
    started = time.perf_counter()
    plan = org_chart_check(filename="org.csv", data=data)
    checked = time.perf_counter()
    result = org_chart_import(actor=actor, filename="org.csv", data=data, expected_fingerprint=plan.fingerprint)
    written = time.perf_counter()
    print(f"{rows} rows ({len(data) / 1024:,.0f} KB): check and preview {checked - started:.1f} s, "
          f"confirm (check again and write) {written - checked:.1f} s; {result.created} people added")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
